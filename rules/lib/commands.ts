/** Ready-to-run AWS CLI fixes with the real names filled in. Shell-quoted: names come from AWS data. */
const q = (s: string) => (/^[\w.:/@+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

export const attachPolicy = (roleName: string, policyArn: string) =>
  `aws iam attach-role-policy --role-name ${q(roleName)} --policy-arn ${q(policyArn)}`;

export const associateProfile = (instanceId: string, region: string, profile = 'PROFILE_NAME') =>
  `aws ec2 associate-iam-instance-profile --region ${q(region)} --instance-id ${q(instanceId)} --iam-instance-profile Name=${q(profile)}`;

export const addRoleToProfile = (profileName: string, role = 'ROLE_NAME') =>
  `aws iam add-role-to-instance-profile --instance-profile-name ${q(profileName)} --role-name ${q(role)}`;

export const installVssComponents = (instanceId: string, region: string) =>
  `aws ssm send-command --region ${q(region)} --instance-ids ${q(instanceId)} --document-name AWS-ConfigureAWSPackage ` +
  `--parameters '{"action":["Install"],"name":["AwsVssComponents"]}'`;

export const SSM_CORE_POLICY = 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore';
export const VSS_POLICY = 'arn:aws:iam::aws:policy/AWSEC2VssSnapshotPolicy';

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
