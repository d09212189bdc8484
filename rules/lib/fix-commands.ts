/**
 * Ready-to-run AWS CLI fixes for the instance-level rules, with the real instance id and region.
 * Shell-quoted like ./commands.ts: the values come from AWS data.
 */
const q = (s: string) => (/^[\w.:/@+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** Stop, resize and start: modify-instance-attribute refuses a running instance. */
export function resizeInstance(instanceId: string, region: string, instanceType: string): string {
  const on = `--region ${q(region)} --instance-ids ${q(instanceId)}`;
  return [
    `aws ec2 stop-instances ${on}`,
    `aws ec2 wait instance-stopped ${on}`,
    `aws ec2 modify-instance-attribute --region ${q(region)} --instance-id ${q(instanceId)} --instance-type Value=${q(instanceType)}`,
    `aws ec2 start-instances ${on}`,
  ].join(' && ');
}

export const updateSsmAgent = (instanceId: string, region: string) =>
  `aws ssm send-command --region ${q(region)} --instance-ids ${q(instanceId)} --document-name AWS-UpdateSSMAgent`;

/** AWS-ConfigureAWSPackage with a pinned version (its optional `version` parameter); without it Install takes the latest. */
export const installVssComponentsVersion = (instanceId: string, region: string, version: string) =>
  `aws ssm send-command --region ${q(region)} --instance-ids ${q(instanceId)} --document-name AWS-ConfigureAWSPackage ` +
  `--parameters '{"action":["Install"],"name":["AwsVssComponents"],"version":["${version}"]}'`;

/** Which inventory associations apply to the instance, and how to run one now. */
export const gatherInventory = (instanceId: string, region: string) =>
  `Check the inventory association of ${instanceId} (aws ssm describe-instance-associations-status --region ${q(region)} --instance-id ${q(instanceId)}); ` +
  `find the AWS-GatherSoftwareInventory association (aws ssm list-associations --association-filter-list key=Name,value=AWS-GatherSoftwareInventory --region ${q(region)}), ` +
  `make sure it targets the instance with applications Enabled, and run it now (aws ssm start-associations-once --region ${q(region)} --association-ids ASSOCIATION_ID).`;

/** An on-demand VSS backup settles what the documentation leaves open: BackupType is WindowsVSS only when VSS worked. */
export const tryVssBackup = (instanceId: string, region: string, accountId: string) =>
  `run an on-demand VSS backup (aws backup start-backup-job --region ${q(region)} --backup-vault-name VAULT_NAME ` +
  `--resource-arn ${q(`arn:aws:ec2:${region}:${accountId}:instance/${instanceId}`)} --iam-role-arn BACKUP_ROLE_ARN --backup-options WindowsVSS=enabled) ` +
  `and check that aws backup describe-backup-job --region ${q(region)} --backup-job-id JOB_ID reports BackupType WindowsVSS.`;
