import { always, defineRule, pass, skip, unknown } from '../src/engine/outcome.js';
import type { Evidence } from '../src/engine/types.js';
import { notWindows, platformOf } from './lib/platform.js';

/** Most instances have no Multi-Attach volume. */
const NONE = always(pass('No Multi-Attach EBS volume is attached to the instance.', { MultiAttachEnabled: false }));

export default defineRule({
  id: 'no-multi-attach-volumes',
  title: 'Instance shares no Multi-Attach EBS volume with another instance',
  severity: 'warning',
  outcomes: ['pass', 'unknown', 'skip'],
  consequence: 'vss-fallback',
  why:
    'In a Windows failover cluster on shared Multi-Attach EBS volumes, AWSEC2-CreateVssSnapshot succeeds only on the cluster\'s primary node and fails on ' +
    'the secondary nodes, whose backups then say Completed with issues. Which node is primary at backup time cannot be read from any API.',
  detection: 'ec2:DescribeVolumes filtered on multi-attach-enabled=true, once per region: Attachments[].InstanceId of each VolumeId.',
  fix: 'Back up the cluster from its primary node only, or exclude the secondary nodes from VSS backups.',
  sources: ['https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/create-vss-snapshots-ssm.html'],
  unverified:
    'That AWS Backup, like a direct run of the document, falls back to a crash-consistent backup on a secondary node is inferred; a node that is primary ' +
    'now may not be at backup time, so a shared volume gives unknown, never pass.',
  evaluate({ instance, region }) {
    const skipped = notWindows(platformOf(instance));
    if (skipped) return skip(skipped);
    if (!region) return unknown(`Multi-Attach volumes were not collected for ${instance.region}.`);
    const volumes = region.multiAttachVolumes;
    if (!volumes.known) return unknown(`Multi-Attach volumes could not be listed: ${volumes.reason}.`, {}, 'Allow ec2:DescribeVolumes for the scanning identity.');

    const mine = volumes.value[instance.instanceId] ?? [];
    if (mine.length === 0) return NONE;
    // Volume → the other instances it is attached to: a shared cluster disk.
    const sharedWith = new Map<string, string[]>();
    for (const [other, attached] of Object.entries(volumes.value)) {
      if (other === instance.instanceId) continue;
      for (const volumeId of attached) if (mine.includes(volumeId)) sharedWith.set(volumeId, [...(sharedWith.get(volumeId) ?? []), other]);
    }
    const evidence: Evidence = { MultiAttachEnabled: true, VolumeId: mine.join(', ') };
    if (sharedWith.size === 0) return pass(`Multi-Attach volume ${mine.join(', ')} is attached to this instance only.`, evidence);

    const others = [...new Set([...sharedWith.values()].flat())].sort();
    evidence['Attachments.InstanceId'] = [instance.instanceId, ...others].join(', ');
    const shared = [...sharedWith.keys()];
    return unknown(
      `Multi-Attach volume ${shared.join(', ')} is also attached to ${others.join(', ')}, so VSS succeeds only if ${instance.instanceId} is the cluster's primary node at backup time, which no API shows.`,
      evidence,
      `Back up the cluster from its primary node only, or exclude the secondary nodes among ${[instance.instanceId, ...others].join(', ')} from VSS backups.`,
    );
  },
});
