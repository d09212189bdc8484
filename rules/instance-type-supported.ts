import { defineRule, fail, pass, skip, unknown } from '../src/engine/outcome.js';
import type { Outcome } from '../src/engine/types.js';
import type { InstanceFacts } from '../src/facts/snapshot.js';
import { resizeInstance } from './lib/commands.js';
import { notWindows, platformOf } from './lib/platform.js';
import { remembering } from './lib/remember.js';

/** Instance types AWS Backup does not support for Windows VSS (BKP-VSS, EC2-TS), each with the same family's next size. */
const UNSUPPORTED: ReadonlyMap<string, string> = new Map([
  ['t2.nano', 't2.small'],
  ['t2.micro', 't2.small'],
  ['t3.nano', 't3.small'],
  ['t3.micro', 't3.small'],
  ['t3a.nano', 't3a.small'],
  ['t3a.micro', 't3a.small'],
]);

export default defineRule({
  id: 'instance-type-supported',
  title: 'Instance type is one AWS Backup supports for Windows VSS',
  severity: 'error',
  consequence: 'vss-fallback',
  outcomes: ['pass', 'fail', 'unknown', 'skip'],
  why:
    'AWS Backup does not support VSS on t2.nano, t2.micro, t3.nano, t3.micro, t3a.nano and t3a.micro; ' +
    'a VSS backup of such an instance is not application-consistent.',
  detection: 'ec2:DescribeInstances InstanceType.',
  fix: 'Stop the instance, change its type to a small or larger size (aws ec2 modify-instance-attribute --instance-type), and start it.',
  sources: [
    'https://docs.aws.amazon.com/aws-backup/latest/devguide/windows-backups.html',
    'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/application-consistent-snapshots-troubleshooting.html',
  ],
  unverified:
    'The documentation only says these types are not supported; that AWS Backup still attempts VSS and the job ends Completed with issues ' +
    '(a crash-consistent fallback) rather than skipping VSS silently is inferred.',
  evaluate({ instance }) {
    const skipped = notWindows(platformOf(instance));
    if (skipped) return skip(skipped);
    return remember(instance, [instance.instanceType], () => judgeType(instance));
  },
});

/** A fleet runs a few instance types. */
const remember = remembering();

function judgeType(instance: InstanceFacts): Outcome {
  const type = instance.instanceType.trim().toLowerCase();
  const evidence = { InstanceType: instance.instanceType };
  if (type === '' || type === 'unknown') return unknown(`EC2 reported no usable InstanceType ("${instance.instanceType}").`, evidence);
  const bigger = UNSUPPORTED.get(type);
  if (!bigger) return pass(`InstanceType ${instance.instanceType} is not one of the types AWS Backup excludes from VSS.`, evidence);
  return fail(
    `InstanceType ${instance.instanceType} is not supported for Windows VSS by AWS Backup, so the backup will not be application-consistent.`,
    evidence,
    // The same family's small size: moving a t2 to a Nitro type (t3) would also need ENA and NVMe drivers.
    `Resize to ${bigger} or larger; the instance is down while it changes: ${resizeInstance(instance.instanceId, instance.region, bigger)}`,
  );
}
