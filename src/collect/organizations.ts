import { paginateSimulatePrincipalPolicy, type ContextEntry, type IAMClient } from '@aws-sdk/client-iam';

/** The EC2 actions the VSS script calls on the AWS Backup path (vss-facts §6, minimum set). */
export const VSS_EC2_ACTIONS = ['ec2:CreateImage', 'ec2:CreateTags', 'ec2:DescribeImages', 'ec2:DescribeInstanceAttribute'];

/**
 * Service control policies are invisible to the scanning account's IAM reads, but the policy
 * simulator includes them (vss-facts §6, IAM-SIM): OrganizationsDecisionDetail.AllowedByOrganizations.
 * SCPs apply to the whole account, so one call per account and region, with any instance role as
 * the principal, answers for all. aws:RequestedRegion is passed because SCPs often restrict regions.
 * Returns action → AllowedByOrganizations (null when the simulator reports no Organizations detail,
 * i.e. the account is not governed by SCPs).
 */
export async function simulateScps(iam: IAMClient, roleArn: string, region: string): Promise<Record<string, boolean | null>> {
  const context: ContextEntry[] = [
    { ContextKeyName: 'aws:RequestedRegion', ContextKeyValues: [region], ContextKeyType: 'string' },
    { ContextKeyName: 'aws:RequestTag/AwsVssConfig', ContextKeyValues: ['vss-preflight'], ContextKeyType: 'string' },
    { ContextKeyName: 'aws:TagKeys', ContextKeyValues: ['AwsVssConfig'], ContextKeyType: 'stringList' },
    { ContextKeyName: 'ec2:CreateAction', ContextKeyValues: ['CreateImage'], ContextKeyType: 'string' },
  ];
  const allowed: Record<string, boolean | null> = {};
  const pages = paginateSimulatePrincipalPolicy({ client: iam, pageSize: 1000 }, { PolicySourceArn: roleArn, ActionNames: VSS_EC2_ACTIONS, ContextEntries: context });
  for await (const page of pages) {
    for (const r of page.EvaluationResults ?? []) {
      if (!r.EvalActionName) continue;
      const verdict = r.OrganizationsDecisionDetail?.AllowedByOrganizations;
      allowed[r.EvalActionName] = verdict === undefined ? null : verdict;
    }
  }
  return allowed;
}
