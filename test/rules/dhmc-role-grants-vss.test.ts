import { expect } from 'chai';
import rule from '../../rules/dhmc-role-grants-vss.js';
import type { Subject } from '../../src/engine/types.js';
import type { RoleFacts } from '../../src/facts/snapshot.js';
import { ACCOUNT, denied, linuxInstance, noProfile, region, subject, VSS_POLICY_DOCUMENT, windowsInstance } from '../fixtures/facts.js';

const SETTING = 'service-role/AWSSystemsManagerDefaultEC2InstanceManagementRole';
const policy = (name: string, document: unknown, arn: string | null = null) => ({ name, arn, document });

const DEFAULT_POLICY = policy(
  'AmazonSSMManagedEC2InstanceDefaultPolicy',
  { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['ssm:*', 'ssmmessages:*', 'ec2messages:*'], Resource: '*' }] },
  'arn:aws:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy',
);
const MANAGED_VSS = policy('AWSEC2VssSnapshotPolicy', VSS_POLICY_DOCUMENT, 'arn:aws:iam::aws:policy/AWSEC2VssSnapshotPolicy');
const UNCONDITIONED_VSS = policy('vss-for-dhmc', {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['ec2:CreateImage', 'ec2:CreateTags', 'ec2:DescribeImages', 'ec2:DescribeInstanceAttribute', 'ec2:DescribeInstances'], Resource: '*' }],
});
const DENY_CREATE_IMAGE = policy('no-amis', { Version: '2012-10-17', Statement: [{ Sid: 'NoAmis', Effect: 'Deny', Action: 'ec2:CreateImage', Resource: '*' }] });

const dhmcRole = (attachedPolicies: RoleFacts['attachedPolicies'], inlinePolicies: RoleFacts['inlinePolicies'] = []): RoleFacts => ({
  name: 'AWSSystemsManagerDefaultEC2InstanceManagementRole',
  arn: `arn:aws:iam::${ACCOUNT}:role/${SETTING}`,
  attachedPolicies,
  inlinePolicies,
  permissionsBoundary: null,
});
/** A Windows instance without a profile in a region whose DHMC role is `role`. */
const dhmcOnly = (role: Subject['dhmcRole'], over: Partial<Subject> = {}) =>
  subject({ ...noProfile(), region: region(SETTING), dhmcRole: role, ...over });

const cases = [
  {
    name: 'DHMC role with an unconditioned VSS policy',
    s: dhmcOnly({ known: true, value: dhmcRole([DEFAULT_POLICY, UNCONDITIONED_VSS]) }),
    status: 'pass',
    says: 'allows all 7 requests of AwsVssComponents 2.3.1 or later, relying on SSM Agent handing DHMC credentials to Run Command scripts',
  },
  {
    name: 'DHMC role with an unconditioned VSS policy, package 2.0.1',
    s: dhmcOnly({ known: true, value: dhmcRole([DEFAULT_POLICY, UNCONDITIONED_VSS]) }, { instance: windowsInstance({ instanceProfileArn: null, inventory: { known: true, value: { captureTime: '2026-11-24T08:00:00Z', vssComponents: { typeName: 'AWS:Application', name: 'AwsVssComponents', version: '2.0.1', publisher: 'Amazon Web Services' } } } }) }),
    status: 'pass',
    says: 'requests of AwsVssComponents before 2.2.1',
  },
  {
    name: 'DHMC role with only the default SSM policy',
    s: dhmcOnly({ known: true, value: dhmcRole([DEFAULT_POLICY]) }),
    status: 'fail',
    says: 'Default Host Management role AWSSystemsManagerDefaultEC2InstanceManagementRole does not allow ec2:DescribeInstanceAttribute, ec2:CreateImage, ec2:CreateTags, ec2:DescribeImages',
  },
  {
    name: 'an explicit Deny on the DHMC role',
    s: dhmcOnly({ known: true, value: dhmcRole([DEFAULT_POLICY, UNCONDITIONED_VSS], [DENY_CREATE_IMAGE]) }),
    status: 'fail',
    says: 'ec2:CreateImage is explicitly denied by statement "NoAmis" of policy no-amis',
  },
  {
    name: 'AWSEC2VssSnapshotPolicy on the DHMC role: ec2:SourceInstanceARN is unverified',
    s: dhmcOnly({ known: true, value: dhmcRole([DEFAULT_POLICY, MANAGED_VSS]) }),
    status: 'unknown',
    says: 'has condition key ec2:SourceInstanceARN, which this check cannot know',
  },
  { name: 'DHMC role unreadable', s: dhmcOnly(denied('iam:GetRole')), status: 'unknown', says: 'iam:GetRole was denied' },
  {
    name: 'DHMC setting unreadable',
    s: dhmcOnly(undefined, { region: region(null, { defaultHostManagementRole: denied('ssm:GetServiceSetting') }) }),
    status: 'unknown',
    says: 'ssm:GetServiceSetting was denied',
  },
  { name: 'instance has a profile', s: subject({ dhmcRole: { known: true, value: dhmcRole([DEFAULT_POLICY]) }, region: region(SETTING) }), status: 'skip', says: 'has an instance profile' },
  { name: 'Default Host Management off', s: subject({ ...noProfile(), region: region(null) }), status: 'skip', says: 'Default Host Management is off' },
  { name: 'Linux: not applicable', s: dhmcOnly({ known: true, value: dhmcRole([DEFAULT_POLICY]) }, { instance: linuxInstance({ instanceProfileArn: null }) }), status: 'skip', says: 'Not Windows' },
] as const;

describe('rule dhmc-role-grants-vss', () => {
  for (const c of cases) {
    it(`${c.status}: ${c.name}`, () => {
      const out = rule.evaluate(c.s);
      expect(out.status, out.message).to.equal(c.status);
      expect(out.message).to.contain(c.says);
    });
  }

  it('the fix attaches AWSEC2VssSnapshotPolicy to the DHMC role by name (not path) or gives this instance a profile', () => {
    const out = rule.evaluate(dhmcOnly({ known: true, value: dhmcRole([DEFAULT_POLICY]) }));
    expect(out.fix).to.contain(
      'aws iam attach-role-policy --role-name AWSSystemsManagerDefaultEC2InstanceManagementRole --policy-arn arn:aws:iam::aws:policy/AWSEC2VssSnapshotPolicy',
    );
    expect(out.fix).to.contain('aws ec2 associate-iam-instance-profile --region eu-west-1 --instance-id i-0a1b2c3d4e5f60718');
  });

  it('with a package before 2.3.1 the fix also upgrades it, since the managed policy needs its AwsVssConfig tag', () => {
    const old = windowsInstance({
      instanceProfileArn: null,
      inventory: { known: true, value: { captureTime: '2026-11-24T08:00:00Z', vssComponents: { typeName: 'AWS:Application', name: 'AwsVssComponents', version: '2.2.1', publisher: 'Amazon Web Services' } } },
    });
    const out = rule.evaluate(dhmcOnly({ known: true, value: dhmcRole([DEFAULT_POLICY, MANAGED_VSS]) }, { instance: old }));
    expect(out.status, out.message).to.equal('fail');
    expect(out.fix).to.contain('--document-name AWS-ConfigureAWSPackage').and.to.contain('--instance-ids i-0a1b2c3d4e5f60718');
  });

  it('evidence names the DHMC setting and what decided each request', () => {
    const out = rule.evaluate(dhmcOnly({ known: true, value: dhmcRole([DEFAULT_POLICY, MANAGED_VSS]) }));
    expect(out.evidence).to.include({
      DefaultHostManagementRole: SETTING,
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/${SETTING}`,
      'ec2:DescribeImages': 'allowed by AWSEC2VssSnapshotPolicy',
    });
    expect(out.evidence['ec2:CreateImage on the instance']).to.match(/^undecided: .*ec2:SourceInstanceARN/);
  });
});
