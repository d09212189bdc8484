import { defineRule, fail, pass, skip, unknown } from '../src/engine/outcome.js';
import type { Evidence, Outcome, Subject } from '../src/engine/types.js';
import type { InstanceFacts, InstanceProfileFacts, RoleFacts } from '../src/facts/snapshot.js';
import type { Evaluation } from '../src/iam/evaluate.js';
import { associateProfile, addRoleToProfile, attachPolicy, VSS_POLICY } from './lib/commands.js';
import { notWindows, platformOf } from './lib/platform.js';
import { byDecision } from '../src/iam/role-requests.js';
import { actionsOf, deniedWhere, recordEvaluations } from './lib/role-requests.js';
import { installedGeneration } from './lib/inventory.js';
import { remembering } from './lib/remember.js';
import { evaluateVssPermissions, GENERATION_NAMES, GENERATIONS, grants, resultsScope, type Generation, type RequestResult } from '../src/iam/vss-requests.js';

function judge(role: RoleFacts, results: RequestResult[], evidence: Evidence): Outcome {
  recordEvaluations(results, evidence);
  const by = (d: Evaluation['decision']) => byDecision(results, d);
  // Messages name the distinct actions; the evidence keeps one line per request.
  const labels = actionsOf;
  const where = deniedWhere;

  const denied = by('explicitDeny');
  if (denied.length) {
    const first = denied[0]!.evaluation;
    return fail(
      `Role ${role.name}: ${labels(denied)} is explicitly denied by ${where(first)}.`,
      evidence,
      `Narrow or remove ${where(first)} so it no longer denies ${labels(denied)} for this instance; an explicit Deny overrides every Allow.`,
    );
  }
  const notAllowed = by('implicitDeny');
  if (notAllowed.length) {
    const boundary = role.permissionsBoundary;
    if (boundary && notAllowed.some((r) => r.evaluation.notAllowedBy === 'boundary')) {
      return fail(
        `Role ${role.name}: permissions boundary ${boundary.name} does not allow ${labels(notAllowed)}.`,
        evidence,
        `Add the AWSEC2VssSnapshotPolicy actions to permissions boundary ${boundary.name}, or remove it: aws iam delete-role-permissions-boundary --role-name ${role.name}`,
      );
    }
    return fail(
      `Role ${role.name} does not allow ${labels(notAllowed)}.`,
      evidence,
      `${attachPolicy(role.name, VSS_POLICY)} (works with AwsVssComponents 2.3.1 or later)`,
    );
  }
  const undecided = by('undecided');
  if (undecided.length) {
    return unknown(
      `Role ${role.name}: ${labels(undecided)} cannot be decided locally: ${undecided[0]!.evaluation.undecidedBecause ?? 'a condition depends on the request'}.`,
      evidence,
      'Check the condition against the role in the IAM policy simulator (aws iam simulate-principal-policy).',
    );
  }
  return pass(`Role ${role.name} allows all ${results.length} requests of the VSS backup path.`, evidence);
}

export default defineRule({
  id: 'instance-role-grants-vss',
  title: 'Instance role allows the VSS snapshot requests',
  severity: 'error',
  consequence: 'vss-fallback',
  why:
    'The VSS script calls EC2 on the instance with the instance profile role\'s credentials: ec2:CreateImage (instance, image, snapshot), ec2:CreateTags (image), ' +
    'ec2:DescribeImages and ec2:DescribeInstanceAttribute, the minimum of AWSEC2VssSnapshotPolicy for AWS Backup. ' +
    'A role without these permissions makes the VSS attempt fail ("insufficient privileges") and the job says Completed with issues.',
  detection:
    'ec2:DescribeInstances IamInstanceProfile, then iam:GetInstanceProfile, GetRole (PermissionsBoundary), ListAttachedRolePolicies, GetPolicy/GetPolicyVersion, ' +
    'ListRolePolicies/GetRolePolicy; the documents are evaluated locally as IAM would, with explicit Deny statements, the permissions boundary and the ' +
    'managed policy\'s conditions (ec2:SourceInstanceARN, aws:RequestTag/AwsVssConfig, ec2:CreateAction, aws:TagKeys).',
  fix: 'Attach AWSEC2VssSnapshotPolicy to the instance profile role (with AwsVssComponents 2.3.1 or later), and lift any Deny or boundary that blocks it.',
  sources: [
    'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/vss-iam-reqs.html',
    'https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSEC2VssSnapshotPolicy.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html',
  ],
  unverified:
    'Service control policies, resource control policies and VPC endpoint policies are not visible to this check; an SCP that denies these EC2 actions still makes VSS fail.',
  evaluate(subject: Subject) {
    const { instance, instanceProfile, role, region } = subject;
    const skipped = notWindows(platformOf(instance));
    if (skipped) return skip(skipped);
    if (!instanceProfile) {
      const dhmc = region?.defaultHostManagementRole;
      if (dhmc?.known && dhmc.value) return skip(`No instance profile; SSM manages it through Default Host Management role ${dhmc.value}, which dhmc-role-grants-vss checks.`);
      const evidence = { IamInstanceProfile: null, DefaultHostManagementRole: dhmc?.known ? dhmc.value : null };
      const fix = `${associateProfile(instance.instanceId, instance.region)} (a profile whose role has AWSEC2VssSnapshotPolicy and AmazonSSMManagedInstanceCore)`;
      if (dhmc && !dhmc.known) return unknown(`No instance profile, and whether Default Host Management gives it credentials is unknown: ${dhmc.reason}.`, evidence, fix);
      return fail('No instance profile and no Default Host Management, so the VSS script has no credentials for ec2:CreateImage.', evidence, fix);
    }
    if (!instanceProfile.known) return unknown(`The instance profile could not be read: ${instanceProfile.reason}.`, { IamInstanceProfile: instance.instanceProfileArn }, 'Allow iam:GetInstanceProfile for the scanning identity.');
    const evidence: Evidence = { IamInstanceProfile: instanceProfile.value.name };
    if (!role) {
      return fail(`Instance profile ${instanceProfile.value.name} holds no role, so the instance has no credentials.`, evidence, addRoleToProfile(instanceProfile.value.name));
    }
    if (!role.known) return unknown(`The role could not be read: ${role.reason}.`, evidence, 'Allow iam:GetRole, iam:ListAttachedRolePolicies, iam:ListRolePolicies, iam:GetRolePolicy, iam:GetPolicy and iam:GetPolicyVersion for the scanning identity.');
    const installed = installedGeneration(instance);
    const profile = instanceProfile.value;
    return remember(instance, [profile, resultsScope(role.value, instance), installed], () => judgeRole(instance, profile, role.value, installed));
  },
});

/** Instances of the same profile and results, with the same package generation, are told the same. */
const remember = remembering();

function judgeRole(instance: InstanceFacts, profile: InstanceProfileFacts, role: RoleFacts, installed: Generation | undefined): Outcome {
  const evidence: Evidence = { IamInstanceProfile: profile.name, RoleArn: role.arn, PermissionsBoundary: role.permissionsBoundary?.arn ?? null };
  // The installed package's requests first; any generation the role serves is a pass here,
  // and vss-package-matches-policy judges whether it is the installed one.
  const order = installed ? [installed, ...GENERATIONS.filter((g) => g !== installed)] : GENERATIONS;
  for (const generation of order) {
    const results = evaluateVssPermissions(role, instance, generation);
    if (grants(results)) {
      recordEvaluations(results, evidence);
      return pass(`Role ${role.name} allows all ${results.length} requests of ${GENERATION_NAMES[generation]}.`, evidence);
    }
  }
  return judge(role, evaluateVssPermissions(role, instance, installed ?? 'tagged'), evidence);
}
