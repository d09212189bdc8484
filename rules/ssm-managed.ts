import { defineRule, fail, pass, skip, unknown, warn } from '../src/engine/outcome.js';
import type { Outcome, Subject } from '../src/engine/types.js';
import type { InstanceFacts, SsmInfo } from '../src/facts/snapshot.js';
import { nameFromArn } from '../src/facts/arn.js';
import { associateProfile, attachPolicy, SSM_CORE_POLICY } from './lib/commands.js';
import { ageText, hoursBefore } from './lib/age.js';
import { notWindows, platformOf } from './lib/platform.js';
import { remembering } from './lib/remember.js';

const DOWN = new Set(['stopped', 'stopping', 'shutting-down', 'pending']);
/** SSM Agent reports every few minutes; an Online node silent for longer than this is suspect. */
const STALE_PING_HOURS = 1;
const AGENT_RESTART = 'On the instance: Restart-Service AmazonSSMAgent; then check it reaches the ssm, ssmmessages and ec2messages endpoints (C:\\ProgramData\\Amazon\\SSM\\Logs\\amazon-ssm-agent.log).';
const AGENT_CHECK = 'then check that SSM Agent runs on the instance and reaches the ssm, ssmmessages and ec2messages endpoints.';

/** How to make SSM manage the instance, with its real profile or role name. */
function manageFix({ instance, role, instanceProfile }: Subject): string {
  if (role?.known) return `${attachPolicy(role.value.name, SSM_CORE_POLICY)}; ${AGENT_CHECK}`;
  if (instanceProfile?.known) return `Add a role with AmazonSSMManagedInstanceCore to instance profile ${instanceProfile.value.name}; ${AGENT_CHECK}`;
  return `Attach an instance profile whose role has AmazonSSMManagedInstanceCore (${associateProfile(instance.instanceId, instance.region)}) or turn on Default Host Management; ${AGENT_CHECK}`;
}

export default defineRule({
  id: 'ssm-managed',
  title: 'Instance is an SSM managed node that Run Command can reach',
  severity: 'error',
  consequence: 'no-vss',
  why:
    'AWS Backup runs VSS through the SSM Run Command document AWSEC2-CreateVssSnapshot. An instance that SSM does not manage never gets it: ' +
    'the backup is silently crash-consistent and the job says Completed. A running managed node whose agent is not Online (ConnectionLost) cannot run ' +
    'the command, so the VSS attempt fails and the job says Completed with issues.',
  detection: 'ssm:DescribeInstanceInformation (PingStatus, LastPingDateTime), ec2:DescribeInstances State, ssm:GetServiceSetting for Default Host Management.',
  fix: 'Give the instance an SSM identity (an instance profile role with AmazonSSMManagedInstanceCore, or Default Host Management), and make sure SSM Agent runs and reaches the SSM endpoints.',
  sources: [
    'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/application-consistent-snapshots-prereqs.html',
    'https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_InstanceInformation.html',
    'https://docs.aws.amazon.com/systems-manager/latest/userguide/managed-instances-default-host-management.html',
  ],
  unverified:
    'Whether SSM still lists a stopped instance (usually as ConnectionLost) varies; a stopped instance that SSM does not list but would manage once running is reported as unknown. ' +
    'That ConnectionLost leads to "Completed with issues" rather than a failed job is inferred.',
  evaluate(subject) {
    const { instance } = subject;
    const skipped = notWindows(platformOf(instance));
    if (skipped) return skip(skipped);
    if (!instance.ssm.known) return unknown(`SSM management is unknown: ${instance.ssm.reason}.`, {}, 'Allow ssm:DescribeInstanceInformation for the scanning identity.');
    const node = instance.ssm.value;
    if (!node) {
      const inputs = [instance.state, subject.region, subject.instanceProfile, subject.role, instance.instanceProfileArn];
      return remember(instance, inputs, () => judgeUnlisted(subject));
    }
    const inputs = [instance.state, node.pingStatus, node.lastPingDateTime, node.agentVersion, subject.collectedAt];
    return rememberNode(instance, inputs, () => judgeNode(instance, node, subject.collectedAt));
  },
});

/** Unlisted instances with the same state, profile and role, and nodes that last pinged alike, are told the same. */
const remember = remembering();
const rememberNode = remembering();

function judgeUnlisted(subject: Subject): Outcome {
  const { instance, region, instanceProfile } = subject;
  const evidence = { State: instance.state };
  const dhmc = region?.defaultHostManagementRole;
  const couldBeManaged = instanceProfile !== undefined || !dhmc?.known || dhmc.value !== null;
  if (DOWN.has(instance.state) && couldBeManaged) {
    return unknown(
      `The instance is ${instance.state} and not listed by SSM; whether SSM manages it once running cannot be read now.`,
      { ...evidence, IamInstanceProfile: instance.instanceProfileArn ? nameFromArn(instance.instanceProfileArn) : null },
      'Start the instance and run the scan again.',
    );
  }
  return fail(
    `Not listed by ssm:DescribeInstanceInformation in ${instance.region}; AWS Backup will not attempt VSS.`,
    evidence,
    manageFix(subject),
  );
}

function judgeNode(instance: InstanceFacts, node: SsmInfo, collectedAt: string): Outcome {
  const nodeEvidence = { State: instance.state, PingStatus: node.pingStatus, LastPingDateTime: node.lastPingDateTime, AgentVersion: node.agentVersion };
  const silent = hoursBefore(node.lastPingDateTime, collectedAt);
  const lastPing = silent === undefined ? 'never' : `${ageText(silent)} before the scan`;
  if (node.pingStatus === 'Online') {
    if (silent !== undefined && silent > STALE_PING_HOURS) {
      return warn(`PingStatus is Online but the last ping was ${lastPing}; Run Command may not reach the node.`, nodeEvidence, AGENT_RESTART);
    }
    return pass(`SSM Agent${node.agentVersion ? ` ${node.agentVersion}` : ''} is Online.`, nodeEvidence);
  }
  // A stopped instance loses its agent connection; instance-running reports the stop itself.
  if (DOWN.has(instance.state)) {
    return pass(`SSM manages the node; its PingStatus is ${node.pingStatus} because the instance is ${instance.state} (see instance-running).`, nodeEvidence);
  }
  return fail(
    `PingStatus is ${node.pingStatus} (last ping ${lastPing}) while the instance runs; Run Command cannot reach the node, so the VSS attempt fails.`,
    nodeEvidence,
    AGENT_RESTART,
    'vss-fallback',
  );
}
