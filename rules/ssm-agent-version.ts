import { defineRule, fail, pass, skip, unknown } from '../src/engine/outcome.js';
import type { Outcome } from '../src/engine/types.js';
import type { InstanceFacts } from '../src/facts/snapshot.js';
import { updateSsmAgent } from './lib/commands.js';
import { notWindows, platformOf } from './lib/platform.js';
import { remembering } from './lib/remember.js';
import { atLeast } from './lib/version.js';

/** The current EC2 prerequisites (EC2-PRE); the archived guide said 2.2.58.0 (OLD). */
const MINIMUM = '3.0.502.0';

export default defineRule({
  id: 'ssm-agent-version',
  title: `SSM Agent is version ${MINIMUM} or later`,
  severity: 'error',
  consequence: 'vss-fallback',
  outcomes: ['pass', 'fail', 'unknown', 'skip'],
  why:
    `The EC2 prerequisites for VSS snapshots require SSM Agent ${MINIMUM} or later (older guides said 2.2.58.0); ` +
    'an older agent may not run AWSEC2-CreateVssSnapshot as AWS Backup sends it, and the backup falls back to crash-consistent.',
  detection: 'ssm:DescribeInstanceInformation AgentVersion (IsLatestVersion is meaningless on Windows and not used).',
  fix: 'Update the agent with the AWS-UpdateSSMAgent document, or keep it current with a State Manager association or SSM Agent auto-update.',
  sources: [
    'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/application-consistent-snapshots-prereqs.html',
    'https://github.com/awsdocs/amazon-ec2-user-guide-windows',
    'https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_InstanceInformation.html',
  ],
  unverified: `That an agent older than ${MINIMUM} makes the VSS attempt fail (Completed with issues) is inferred; the documentation only lists the minimum.`,
  evaluate({ instance }) {
    const skipped = notWindows(platformOf(instance));
    if (skipped) return skip(skipped);
    const { ssm, instanceId } = instance;
    if (!ssm.known) return unknown(`AgentVersion is unknown: ${ssm.reason}.`, {}, 'Allow ssm:DescribeInstanceInformation for the scanning identity.');
    if (!ssm.value) return unknown(`AgentVersion is unknown because SSM does not list ${instanceId} (ssm-managed reports it).`, { AgentVersion: null });
    const version = ssm.value.agentVersion;
    return remember(instance, [version], () => judgeVersion(instance, version));
  },
});

/** A fleet runs a few agent versions. */
const remember = remembering();

function judgeVersion({ instanceId, region }: InstanceFacts, version: string | null): Outcome {
  const evidence = { AgentVersion: version };
  if (!version) return unknown('SSM lists the node but reports no AgentVersion.', evidence);
  const ok = atLeast(version, MINIMUM);
  if (ok === undefined) return unknown(`AgentVersion ${version} is not a numeric version, so it cannot be compared with ${MINIMUM}.`, evidence);
  if (ok) return pass(`SSM Agent ${version} is ${MINIMUM} or later.`, evidence);
  return fail(`SSM Agent ${version} is older than ${MINIMUM}, the minimum the EC2 VSS prerequisites name.`, evidence, updateSsmAgent(instanceId, region));
}
