import { defineRule, fail, pass, skip, unknown } from '../src/engine/outcome.js';
import type { Evidence } from '../src/engine/types.js';
import type { InstanceFacts, RoleFacts } from '../src/facts/snapshot.js';
import { attachPolicy } from './lib/commands.js';
import { notWindows, platformOf } from './lib/platform.js';
import { byDecision, evaluateRole, type LabeledRequest } from '../src/iam/role-requests.js';
import { actionsOf, deniedWhere, labelsOf, recordEvaluations } from './lib/role-requests.js';

const BACKUP_POLICY = 'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup';
const DOCUMENT = 'AWSEC2-CreateVssSnapshot';

/**
 * What AWS Backup itself calls to run VSS, as its managed role policy grants it (vss-facts §1,
 * MP-BKP): SendCommand on the document and on the instance, GetCommandInvocation on `*`.
 * The instance request carries the instance's tags, which SendCommand policies may test.
 */
function backupRequests(role: RoleFacts, instance: InstanceFacts): LabeledRequest[] {
  const { region, accountId, instanceId, tags } = instance;
  // Same partition as the role: arn:aws, arn:aws-cn, arn:aws-us-gov.
  const partition = role.arn.split(':')[1] || 'aws';
  const tagContext: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags)) {
    tagContext[`aws:ResourceTag/${key}`] = value;
    tagContext[`ssm:resourceTag/${key}`] = value;
  }
  return [
    // AWS-owned documents have an empty account field.
    { label: `ssm:SendCommand on document/${DOCUMENT}`, action: 'ssm:SendCommand', resource: `arn:${partition}:ssm:${region}::document/${DOCUMENT}`, context: {} },
    { label: 'ssm:SendCommand on the instance', action: 'ssm:SendCommand', resource: `arn:${partition}:ec2:${region}:${accountId}:instance/${instanceId}`, context: tagContext },
    { label: 'ssm:GetCommandInvocation', action: 'ssm:GetCommandInvocation', resource: '*', context: {} },
  ];
}

export default defineRule({
  id: 'backup-role-can-run-vss',
  title: 'AWS Backup\'s role may run AWSEC2-CreateVssSnapshot on the instance',
  severity: 'error',
  consequence: 'vss-fallback',
  why:
    'AWS Backup starts VSS by calling ssm:SendCommand with the AWSEC2-CreateVssSnapshot document on the instance and reads the result with ' +
    'ssm:GetCommandInvocation, using the IAM role of the backup selection. A custom role without these permissions cannot start the VSS step, ' +
    'so the backup is crash-consistent.',
  detection:
    'backup:ListBackupSelections/GetBackupSelection IamRoleArn (or --backup-role); iam:GetRole, ListAttachedRolePolicies, GetPolicyVersion, ' +
    'ListRolePolicies, GetRolePolicy of that role, evaluated locally for ssm:SendCommand on arn:aws:ssm:<region>::document/AWSEC2-CreateVssSnapshot and ' +
    'arn:aws:ec2:<region>:<account>:instance/<id>, and ssm:GetCommandInvocation on *.',
  fix: 'Attach AWSBackupServiceRolePolicyForBackup to the backup role, or grant the same ssm:SendCommand and ssm:GetCommandInvocation permissions.',
  sources: [
    'https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSBackupServiceRolePolicyForBackup.html',
    'https://docs.aws.amazon.com/aws-backup/latest/devguide/windows-backups.html',
    'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/create-vss-snapshots-backup.html',
  ],
  unverified:
    'That a backup role lacking these permissions makes the job "Completed with issues" rather than failing is inferred from the managed policy, ' +
    'as is that AWS Backup needs exactly these calls. SCPs, RCPs and the instance\'s tags as seen at backup time are not evaluated.',
  evaluate({ instance, backupRole }) {
    const skipped = notWindows(platformOf(instance));
    if (skipped) return skip(skipped);
    if (!backupRole) return skip('No backup plan or --backup-role names the role AWS Backup uses.');
    if (!backupRole.known) {
      return unknown(
        `AWS Backup's role could not be read: ${backupRole.reason}.`,
        {},
        'Allow iam:GetRole, iam:ListAttachedRolePolicies, iam:ListRolePolicies, iam:GetRolePolicy, iam:GetPolicy and iam:GetPolicyVersion for the scanning identity.',
      );
    }
    const role = backupRole.value;
    const evidence: Evidence = { IamRoleArn: role.arn, PermissionsBoundary: role.permissionsBoundary?.arn ?? null };
    const results = evaluateRole(role, backupRequests(role, instance));
    recordEvaluations(results, evidence);

    const denied = byDecision(results, 'explicitDeny');
    if (denied.length) {
      const where = deniedWhere(denied[0]!.evaluation);
      return fail(
        `Backup role ${role.name}: ${labelsOf(denied)} ${denied.length > 1 ? 'are' : 'is'} explicitly denied by ${where}.`,
        evidence,
        `Narrow or remove ${where} so it no longer denies ${actionsOf(denied)} for ${DOCUMENT} and this instance; an explicit Deny overrides every Allow.`,
      );
    }
    const notAllowed = byDecision(results, 'implicitDeny');
    if (notAllowed.length) {
      const boundary = role.permissionsBoundary;
      if (boundary && notAllowed.some((r) => r.evaluation.notAllowedBy === 'boundary')) {
        return fail(
          `Backup role ${role.name}: permissions boundary ${boundary.name} does not allow ${labelsOf(notAllowed)}.`,
          evidence,
          `Add ssm:SendCommand (document/${DOCUMENT} and instance/*) and ssm:GetCommandInvocation to permissions boundary ${boundary.name}, or remove it.`,
        );
      }
      return fail(`Backup role ${role.name} has no Allow for ${labelsOf(notAllowed)}.`, evidence, attachPolicy(role.name, BACKUP_POLICY));
    }
    const undecided = byDecision(results, 'undecided');
    if (undecided.length) {
      return unknown(
        `Backup role ${role.name}: ${labelsOf(undecided)} cannot be decided locally: ${undecided[0]!.evaluation.undecidedBecause ?? 'a condition depends on the request'}.`,
        evidence,
        'Check the condition against the role in the IAM policy simulator (aws iam simulate-principal-policy).',
      );
    }
    return pass(`Backup role ${role.name} may send ${DOCUMENT} to this instance and read the command's result.`, evidence);
  },
});
