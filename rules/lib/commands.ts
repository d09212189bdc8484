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
