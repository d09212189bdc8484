import { defineRule, fail, pass, skip, unknown } from '../src/engine/outcome.js';
import type { Outcome } from '../src/engine/types.js';
import type { InstanceFacts } from '../src/facts/snapshot.js';
import { notWindows, platformOf } from './lib/platform.js';
import { remembering } from './lib/remember.js';

/** A fleet's instances are in a few states. */
const remember = remembering();

/** AWS Backup runs the VSS document through SSM, which reaches only a running instance. */
const NOT_UP: Record<string, string> = {
  stopped: 'stopped',
  stopping: 'stopping',
  pending: 'still starting',
  'shutting-down': 'shutting down',
};

export default defineRule({
  id: 'instance-running',
  title: 'Instance is running',
  severity: 'warning',
  consequence: 'vss-fallback',
  transient: true,
  outcomes: ['pass', 'fail', 'unknown', 'skip'],
  why:
    'AWS Backup runs AWSEC2-CreateVssSnapshot through SSM Run Command, which cannot reach an instance that is not running: a backup taken while it is stopped ' +
    'has no VSS. The report gives verdictOnceRunning, what the instance gets once it runs.',
  detection: 'ec2:DescribeInstances State.Name.',
  fix: 'Keep the instance running through the backup window, or accept a crash-consistent backup while it is stopped.',
  sources: ['https://docs.aws.amazon.com/aws-backup/latest/devguide/windows-backups.html', 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/application-consistent-snapshots-troubleshooting.html'],
  unverified: 'That a backup of a stopped Windows instance with VSS enabled says "Completed with issues" (rather than Completed) is inferred (vss-facts §4, §8.8).',
  evaluate({ instance }) {
    const skipped = notWindows(platformOf(instance));
    if (skipped) return skip(skipped);
    return remember(instance, [instance.state], () => judgeState(instance));
  },
});

function judgeState(instance: InstanceFacts): Outcome {
  const evidence = { State: instance.state };
  if (instance.state === 'running') return pass('The instance is running.', evidence);
  const down = NOT_UP[instance.state];
  if (!down) return unknown(`The instance state "${instance.state}" is not one EC2 documents.`, evidence);
  return fail(
    `The instance is ${down}, so a backup taken now gets no VSS; see verdictOnceRunning for what it gets once running.`,
    evidence,
    `aws ec2 start-instances --region ${instance.region} --instance-ids ${instance.instanceId}  # before the backup window`,
  );
}
