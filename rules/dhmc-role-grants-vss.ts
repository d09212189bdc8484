import { always, defineRule, fail, pass, skip, unknown } from '../src/engine/outcome.js';
import type { Evidence, Outcome } from '../src/engine/types.js';
import { nameFromArn } from '../src/facts/arn.js';
import type { InstanceFacts, RoleFacts } from '../src/facts/snapshot.js';
import { associateProfile, attachPolicy, installVssComponents, VSS_POLICY } from './lib/commands.js';
import { evaluateDhmc } from '../src/iam/dhmc-requests.js';
import { installedGeneration } from './lib/inventory.js';
import { notWindows, platformOf } from './lib/platform.js';
import { byDecision, type Judged } from '../src/iam/role-requests.js';
import { actionsOf, deniedWhere, recordEvaluations } from './lib/role-requests.js';
import { remembering } from './lib/remember.js';
import { GENERATION_NAMES, type Generation } from '../src/iam/vss-requests.js';

function judge(instance: InstanceFacts, role: RoleFacts, generation: Generation, results: readonly Judged[], evidence: Evidence): Outcome {
  evidence['Generation'] = GENERATION_NAMES[generation];
  recordEvaluations(results, evidence);
  const name = nameFromArn(role.arn);
  const orProfile = `or give the instance its own profile: ${associateProfile(instance.instanceId, instance.region)}`;

  const denied = byDecision(results, 'explicitDeny');
  if (denied.length) {
    const where = deniedWhere(denied[0]!.evaluation);
    return fail(
      `Default Host Management role ${name}: ${actionsOf(denied)} is explicitly denied by ${where}, and the VSS script on this instance without a profile would use its credentials.`,
      evidence,
      `Narrow or remove ${where} so it no longer denies ${actionsOf(denied)}, ${orProfile}`,
    );
  }
  const notAllowed = byDecision(results, 'implicitDeny');
  if (notAllowed.length) {
    const boundary = role.permissionsBoundary;
    const byBoundary = boundary && notAllowed.some((r) => r.evaluation.notAllowedBy === 'boundary');
    return fail(
      `Default Host Management role ${name} does not allow ${actionsOf(notAllowed)}${byBoundary ? ` (permissions boundary ${boundary.name})` : ''}, and the VSS script on this instance without a profile would use its credentials.`,
      evidence,
      byBoundary
        ? `Add the AWSEC2VssSnapshotPolicy actions to permissions boundary ${boundary.name}, ${orProfile}`
        : generation === 'tagged'
          ? `${attachPolicy(name, VSS_POLICY)}; ${orProfile}`
          : // The managed policy's tag conditions need the AwsVssConfig tag of 2.3.1 and later (vss-facts §3 P3).
            `${attachPolicy(name, VSS_POLICY)} and upgrade AwsVssComponents: ${installVssComponents(instance.instanceId, instance.region)}; ${orProfile}`,
    );
  }
  const undecided = byDecision(results, 'undecided');
  if (undecided.length) {
    return unknown(
      `Default Host Management role ${name}: ${actionsOf(undecided)} cannot be decided, because ${undecided[0]!.evaluation.undecidedBecause ?? 'a condition depends on the request'} ` +
        '(whether DHMC credentials carry ec2:SourceInstanceARN is unverified).',
      evidence,
      `Run AWSEC2-CreateVssSnapshot once on the instance to see whether it succeeds, ${orProfile}`,
    );
  }
  return pass(
    `Default Host Management role ${name} allows all ${results.length} requests of ${GENERATION_NAMES[generation]}, relying on SSM Agent handing DHMC credentials to Run Command scripts.`,
    evidence,
  );
}

export default defineRule({
  id: 'dhmc-role-grants-vss',
  title: 'Default Host Management role allows the VSS snapshot requests of an instance without a profile',
  severity: 'error',
  consequence: 'vss-fallback',
  why:
    'An instance without an instance profile is managed through Default Host Management: SSM Agent falls back to the DHMC role\'s credentials and gives ' +
    'them to Run Command scripts through AWS_SHARED_CREDENTIALS_FILE, so the VSS script\'s ec2:CreateImage, ec2:CreateTags, ec2:DescribeImages and ' +
    'ec2:DescribeInstanceAttribute calls are made as the DHMC role. Without those permissions the VSS attempt fails and the job says Completed with issues.',
  detection:
    'ec2:DescribeInstances IamInstanceProfile (absent); ssm:GetServiceSetting(/ssm/managed-instance/default-ec2-instance-management-role) SettingValue; ' +
    'iam:GetRole, ListAttachedRolePolicies, GetPolicyVersion, ListRolePolicies, GetRolePolicy of that role, evaluated locally against the requests of the ' +
    'installed AwsVssComponents version (SSM Inventory), without assuming ec2:SourceInstanceARN.',
  fix: 'Give the instance an instance profile whose role has AWSEC2VssSnapshotPolicy, or attach AWSEC2VssSnapshotPolicy to the Default Host Management role.',
  sources: [
    'https://docs.aws.amazon.com/systems-manager/latest/userguide/managed-instances-default-host-management.html',
    'https://github.com/aws/amazon-ssm-agent/tree/mainline',
    'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/vss-iam-reqs.html',
    'https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSEC2VssSnapshotPolicy.html',
  ],
  unverified:
    'That the VSS script gets DHMC credentials is read from the SSM Agent source, not documented; whether those credentials carry ec2:SourceInstanceARN ' +
    '(which the conditions of AWSEC2VssSnapshotPolicy test) is unverified, so such conditions give unknown. The SettingValue that means DHMC is off is unverified.',
  evaluate(subject) {
    const { instance, instanceProfile, region, dhmcRole } = subject;
    const skipped = notWindows(platformOf(instance));
    if (skipped) return skip(skipped);
    if (instanceProfile) {
      const arn = instance.instanceProfileArn;
      return rememberSkip(instance, [arn], () => skip('The instance has an instance profile, so the VSS script uses its role (instance-role-grants-vss).', { IamInstanceProfile: arn }));
    }
    const setting = region?.defaultHostManagementRole;
    if (!setting) return unknown(`Default Host Management was not read for ${instance.region}.`, { IamInstanceProfile: null });
    if (!setting.known) return unknown(`Whether Default Host Management is on is unknown: ${setting.reason}.`, { IamInstanceProfile: null }, 'Allow ssm:GetServiceSetting for the scanning identity.');
    if (setting.value === null) return DHMC_OFF;
    const evidence: Evidence = { IamInstanceProfile: null, DefaultHostManagementRole: setting.value };
    if (!dhmcRole) return unknown(`Default Host Management role ${setting.value} was not collected.`, evidence);
    if (!dhmcRole.known) {
      return unknown(
        `Default Host Management role ${setting.value} could not be read: ${dhmcRole.reason}.`,
        evidence,
        'Allow iam:GetRole, iam:ListAttachedRolePolicies, iam:ListRolePolicies, iam:GetRolePolicy, iam:GetPolicy and iam:GetPolicyVersion for the scanning identity.',
      );
    }
    evidence['RoleArn'] = dhmcRole.value.arn;
    // Without a known version, judge the requests of the current package (2.3.1 or later).
    const generation = installedGeneration(instance) ?? 'tagged';
    const results = evaluateDhmc(dhmcRole.value, instance, generation);
    // The results are shared by every instance they hold for, and stand for the role and generation.
    return remember(instance, [setting.value, results], () => judge(instance, dhmcRole.value, generation, results, evidence));
  },
});

const DHMC_OFF = always(
  skip('Default Host Management is off, so nothing gives the instance credentials (instance-role-grants-vss reports it).', { IamInstanceProfile: null, DefaultHostManagementRole: null }),
);
const rememberSkip = remembering();
const remember = remembering();
