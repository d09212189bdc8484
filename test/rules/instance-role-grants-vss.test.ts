import { expect } from 'chai';
import rule from '../../rules/instance-role-grants-vss.js';
import type { RoleFacts } from '../../src/facts/snapshot.js';
import { denied, linuxInstance, noProfile, presenceOf, region, subject, VSS_POLICY_DOCUMENT, vssRole, windowsInstance } from '../fixtures/facts.js';

const withRole = (role: RoleFacts) => subject({ role: { known: true, value: role } });
const policy = (name: string, document: unknown, arn: string | null = null) => ({ name, arn, document });

const INLINE_GRANT = policy('vss-inline', {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['ec2:CreateImage', 'ec2:CreateTags', 'ec2:DescribeImages', 'ec2:DescribeInstanceAttribute'], Resource: '*' }],
});
const DENY_CREATE_IMAGE = policy(
  'no-amis',
  { Version: '2012-10-17', Statement: [{ Sid: 'NoAmis', Effect: 'Deny', Action: 'ec2:CreateImage', Resource: '*' }] },
  'arn:aws:iam::111122223333:policy/no-amis',
);
const BOUNDARY_SSM_ONLY = policy(
  'ssm-only-boundary',
  { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['ssm:*', 'ec2messages:*', 'ssmmessages:*', 'ec2:Describe*'], Resource: '*' }] },
  'arn:aws:iam::111122223333:policy/ssm-only-boundary',
);
/** The legacy custom policy of the 2023 docs (vss-facts §6, OLD). */
const LEGACY_2023 = policy('VssSnapshotRole', {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: 'ec2:CreateTags', Resource: ['arn:aws:ec2:*::snapshot/*', 'arn:aws:ec2:*::image/*'] },
    { Effect: 'Allow', Action: ['ec2:DescribeInstances', 'ec2:CreateSnapshot', 'ec2:CreateImage', 'ec2:DescribeImages', 'ec2:DescribeSnapshots'], Resource: '*' },
  ],
});
const SOURCE_IP = policy('office-only', {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }],
});

const cases = [
  { name: 'AWSEC2VssSnapshotPolicy attached', s: subject(), status: 'pass', says: 'allows all 7 requests of AwsVssComponents 2.3.1 or later' },
  {
    name: 'legacy custom policy serves packages before 2.2.1',
    s: withRole(vssRole({ attachedPolicies: [LEGACY_2023] })),
    status: 'pass',
    says: 'requests of AwsVssComponents before 2.2.1',
  },
  { name: 'inline policy grants the actions', s: withRole(vssRole({ attachedPolicies: [], inlinePolicies: [INLINE_GRANT] })), status: 'pass', says: 'allows all' },
  { name: 'no policy grants anything', s: withRole(vssRole({ attachedPolicies: [] })), status: 'fail', says: 'does not allow ec2:DescribeInstanceAttribute, ec2:CreateImage, ec2:CreateTags, ec2:DescribeImages.' },
  {
    name: 'explicit Deny beats the managed policy',
    s: withRole(vssRole({ inlinePolicies: [DENY_CREATE_IMAGE] })),
    status: 'fail',
    says: 'explicitly denied by statement "NoAmis" of policy no-amis',
  },
  {
    name: 'permissions boundary blocks the actions',
    s: withRole(vssRole({ permissionsBoundary: BOUNDARY_SSM_ONLY })),
    status: 'fail',
    says: 'permissions boundary ssm-only-boundary does not allow ec2:CreateImage',
  },
  { name: 'no instance profile, no Default Host Management', s: subject(noProfile()), status: 'fail', says: 'No instance profile and no Default Host Management' },
  {
    name: 'no instance profile, Default Host Management on: dhmc-role-grants-vss decides',
    s: subject({ ...noProfile(), region: region('AWSSystemsManagerDefaultEC2InstanceManagementRole') }),
    status: 'skip',
    says: 'Default Host Management role AWSSystemsManagerDefaultEC2InstanceManagementRole',
  },
  {
    name: 'no instance profile, Default Host Management setting unreadable',
    s: subject({ ...noProfile(), region: region(null, { defaultHostManagementRole: denied('ssm:GetServiceSetting') }) }),
    status: 'unknown',
    says: 'ssm:GetServiceSetting was denied',
  },
  { name: 'profile holds no role', s: subject({ role: undefined }), status: 'fail', says: 'holds no role' },
  { name: 'GetInstanceProfile denied', s: subject({ instanceProfile: denied('iam:GetInstanceProfile'), role: denied('iam:GetInstanceProfile') }), status: 'unknown', says: 'iam:GetInstanceProfile was denied' },
  { name: 'GetRole denied', s: subject({ role: denied('iam:GetRole') }), status: 'unknown', says: 'iam:GetRole was denied' },
  { name: 'a condition on aws:SourceIp cannot be decided here', s: withRole(vssRole({ attachedPolicies: [SOURCE_IP] })), status: 'unknown', says: 'aws:SourceIp' },
  {
    name: 'version not read (presence only): judged as for any version',
    s: subject({ instance: windowsInstance({ inventory: presenceOf() }), role: { known: true, value: vssRole({ attachedPolicies: [] }) } }),
    status: 'fail',
    says: 'does not allow ec2:DescribeInstanceAttribute, ec2:CreateImage, ec2:CreateTags, ec2:DescribeImages.',
  },
  { name: 'Linux: not applicable', s: subject({ instance: linuxInstance() }), status: 'skip', says: 'Not Windows' },
] as const;

describe('rule instance-role-grants-vss', () => {
  for (const c of cases) {
    it(`${c.status}: ${c.name}`, () => {
      const out = rule.evaluate(c.s);
      expect(out.status, out.message).to.equal(c.status);
      expect(out.message).to.contain(c.says);
    });
  }

  it('evidence names what decided each request', () => {
    const out = rule.evaluate(withRole(vssRole({ inlinePolicies: [DENY_CREATE_IMAGE] })));
    expect(out.evidence).to.include({
      RoleArn: 'arn:aws:iam::111122223333:role/WindowsBackupRole',
      'ec2:CreateImage on the instance': 'denied by statement "NoAmis" of policy no-amis',
      'ec2:DescribeImages': 'allowed by AWSEC2VssSnapshotPolicy',
    });
  });

  it('the fix attaches AWSEC2VssSnapshotPolicy to the real role', () => {
    const out = rule.evaluate(withRole(vssRole({ attachedPolicies: [] })));
    expect(out.fix).to.contain('aws iam attach-role-policy --role-name WindowsBackupRole --policy-arn arn:aws:iam::aws:policy/AWSEC2VssSnapshotPolicy');
  });

  it('the managed policy still passes when the instance is in another region and account', () => {
    const s = subject();
    const out = rule.evaluate({ ...s, instance: { ...s.instance, region: 'ap-southeast-2', accountId: '444455556666' } });
    expect(out.status).to.equal('pass');
    expect(VSS_POLICY_DOCUMENT.Statement).to.have.length(9);
  });
});
