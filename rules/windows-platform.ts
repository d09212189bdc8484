import { defineRule, fail, pass, unknown } from '../src/engine/outcome.js';
import type { Outcome } from '../src/engine/types.js';
import { platformOf, type PlatformView } from './lib/platform.js';
import { remembering } from './lib/remember.js';

/** Instances with the same platform facts share a view (platformOf), and so what is said of it. */
const remember = remembering();

export default defineRule({
  id: 'windows-platform',
  title: 'Instance runs Windows',
  severity: 'error',
  consequence: 'no-vss',
  why:
    'VSS exists only on Windows; AWS Backup takes a plain crash-consistent backup of any other instance and the job still says Completed.',
  detection:
    'ssm:DescribeInstanceInformation PlatformType when SSM manages the instance (it reports the running OS), otherwise ' +
    'ec2:DescribeInstances Platform ("windows") and PlatformDetails (e.g. "Windows BYOL").',
  fix: 'None: VSS is Windows-only. Use a pre/post backup script for application consistency on Linux.',
  sources: [
    'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/application-consistent-snapshots.html',
    'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/billing-info-fields.html',
    'https://docs.aws.amazon.com/aws-backup/latest/devguide/windows-backups.html',
  ],
  evaluate({ instance }) {
    const view = platformOf(instance);
    return remember(instance, [view], () => judge(view));
  },
});

function judge(view: PlatformView): Outcome {
  if (view.windows === undefined) {
    return unknown('EC2 returned neither Platform nor PlatformDetails and SSM does not report the OS.', view.evidence);
  }
  if (view.windows) return pass(`Windows per ${view.source}.`, view.evidence);
  const seen = view.evidence['PlatformType'] ?? view.evidence['PlatformDetails'];
  return fail(
    `The instance runs ${seen} (per ${view.source}); AWS Backup never attempts VSS on it.`,
    view.evidence,
    undefined, // nothing to fix: it gets a crash-consistent backup whatever the plan says
  );
}
