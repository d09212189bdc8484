import { expect } from 'chai';
import rule from '../../rules/vss-package-matches-policy.js';
import type { InstanceFacts, RoleFacts } from '../../src/facts/snapshot.js';
import { absenceFact, denied, generationFact, linuxInstance, noProfile, onlineNode, presenceOf, subject, VSS_POLICY_DOCUMENT, vssRole, windowsInstance } from '../fixtures/facts.js';

/** The legacy custom policy of the 2023 EC2 guide (vss-facts §6, OLD): no tag conditions, no DescribeInstanceAttribute. */
const LEGACY_POLICY = {
  name: 'VssSnapshotRole',
  arn: 'arn:aws:iam::111122223333:policy/VssSnapshotRole',
  document: {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'ec2:CreateTags', Resource: ['arn:aws:ec2:*::snapshot/*', 'arn:aws:ec2:*::image/*'] },
      { Effect: 'Allow', Action: ['ec2:DescribeInstances', 'ec2:CreateSnapshot', 'ec2:CreateImage', 'ec2:DescribeImages', 'ec2:DescribeSnapshots'], Resource: '*' },
    ],
  },
};
const MANAGED_POLICY = { name: 'AWSEC2VssSnapshotPolicy', arn: 'arn:aws:iam::aws:policy/AWSEC2VssSnapshotPolicy', document: VSS_POLICY_DOCUMENT };
const SSM_ONLY = { name: 'ssm-only', arn: null, document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ssm:*', Resource: '*' }] } };

const withPackage = (version: string | null, over: Partial<InstanceFacts> = {}) =>
  windowsInstance({
    inventory: {
      known: true,
      value: { captureTime: '2026-11-24T08:00:00Z', vssComponents: { typeName: 'AWS:Application', name: 'AwsVssComponents', version, publisher: 'Amazon Web Services' } },
    },
    ...over,
  });
const pair = (policies: RoleFacts['attachedPolicies'], instance: InstanceFacts) =>
  subject({ instance, role: { known: true, value: vssRole({ attachedPolicies: policies }) } });
const server2012R2 = { ssm: { known: true as const, value: onlineNode({ platformName: 'Microsoft Windows Server 2012 R2 Standard', platformVersion: '6.3.9600' }) } };

const cases = [
  { name: 'managed policy with 2.5.1', s: subject(), status: 'pass', says: 'allows the requests of the installed AwsVssComponents 2.5.1.' },
  { name: 'managed and legacy policy with 2.0.1', s: pair([MANAGED_POLICY, LEGACY_POLICY], withPackage('2.0.1')), status: 'pass', says: 'installed AwsVssComponents 2.0.1 and of 2.3.1 or later' },
  {
    name: 'managed and legacy policy, inventory denied: any version matches',
    s: pair([MANAGED_POLICY, LEGACY_POLICY], windowsInstance({ inventory: denied('ssm:ListInventoryEntries') })),
    status: 'pass',
    says: 'every AwsVssComponents version',
  },
  { name: 'legacy policy with 2.1.0 on Windows Server 2012 R2, which cannot upgrade', s: pair([LEGACY_POLICY], withPackage('2.1.0', server2012R2)), status: 'pass', says: 'cannot install 2.2.1 or later' },
  {
    name: 'managed policy with 2.2.1: no AwsVssConfig tag',
    s: pair([MANAGED_POLICY], withPackage('2.2.1')),
    status: 'fail',
    says: 'Role WindowsBackupRole allows AwsVssComponents 2.3.1 or later (AWSEC2VssSnapshotPolicy needs its AwsVssConfig tag) but 2.2.1 is installed',
  },
  { name: 'managed policy with 2.0.1', s: pair([MANAGED_POLICY], withPackage('2.0.1')), status: 'fail', says: 'but 2.0.1 is installed, whose ec2:DescribeInstances' },
  {
    name: 'legacy policy with 2.2.1: lacks DescribeInstanceAttribute',
    s: pair([LEGACY_POLICY], withPackage('2.2.1')),
    status: 'fail',
    says: 'allows AwsVssComponents before 2.2.1 but 2.2.1 is installed, whose ec2:DescribeInstanceAttribute it does not allow',
  },
  { name: 'legacy policy with 2.0.1: works now, breaks on upgrade', s: pair([LEGACY_POLICY], withPackage('2.0.1')), status: 'warn', says: 'upgrading the package will make VSS fail' },
  { name: 'role unreadable', s: subject({ role: denied('iam:GetRole') }), status: 'unknown', says: 'iam:GetRole was denied' },
  { name: 'inventory denied', s: subject({ instance: windowsInstance({ inventory: denied('ssm:ListInventoryEntries') }) }), status: 'unknown', says: 'ssm:ListInventoryEntries was denied' },
  {
    name: 'no inventory at all',
    s: subject({ instance: windowsInstance({ inventory: { known: true, value: { captureTime: null, vssComponents: null } } }) }),
    status: 'unknown',
    says: 'no AWS:Application inventory',
  },
  { name: 'version not reported', s: subject({ instance: withPackage(null) }), status: 'unknown', says: 'without a Version' },
  { name: 'role grants no generation', s: pair([SSM_ONLY], withPackage('2.5.1')), status: 'skip', says: 'allows the requests of no AwsVssComponents version' },
  {
    name: 'version not read, role allows every generation',
    s: pair([MANAGED_POLICY, LEGACY_POLICY], windowsInstance({ inventory: presenceOf() })),
    status: 'pass',
    says: 'so whichever is installed matches (the version was not read)',
  },
  { name: 'version not read, role grants no generation', s: pair([SSM_ONLY], windowsInstance({ inventory: presenceOf() })), status: 'skip', says: 'allows the requests of no AwsVssComponents version' },
  {
    name: 'managed policy, generation before 2.2.1 from the Version filter',
    s: pair([MANAGED_POLICY], windowsInstance({ inventory: generationFact('legacy') })),
    status: 'fail',
    says: 'but AwsVssComponents before 2.2.1 is installed, whose ec2:DescribeInstances',
  },
  {
    name: 'managed policy, generation 2.3.1 or later from the Version filter',
    s: pair([MANAGED_POLICY], windowsInstance({ inventory: generationFact('tagged') })),
    status: 'pass',
    says: 'allows the requests of the installed AwsVssComponents 2.3.1 or later',
  },
  { name: 'missing per GetInventory filters: nothing to match', s: pair([MANAGED_POLICY], windowsInstance({ inventory: absenceFact() })), status: 'skip', says: 'not in the inventory' },
  {
    name: 'version not read, yet the role allows only some generations',
    s: pair([MANAGED_POLICY], windowsInstance({ inventory: presenceOf('a test') })),
    status: 'unknown',
    says: 'the installed version is unknown: the version was not read (a test)',
  },
  {
    name: 'package not installed',
    s: subject({ instance: windowsInstance({ inventory: { known: true, value: { captureTime: '2026-11-24T08:00:00Z', vssComponents: null } } }) }),
    status: 'skip',
    says: 'not in the inventory',
  },
  { name: 'no instance profile', s: subject(noProfile()), status: 'skip', says: 'No instance profile' },
  { name: 'profile without a role', s: subject({ role: undefined }), status: 'skip', says: 'holds no role' },
  { name: 'Linux: not applicable', s: subject({ instance: linuxInstance() }), status: 'skip', says: 'Not Windows' },
] as const;

describe('rule vss-package-matches-policy', () => {
  for (const c of cases) {
    it(`${c.status}: ${c.name}`, () => {
      const out = rule.evaluate(c.s);
      expect(out.status, out.message).to.equal(c.status);
      expect(out.message).to.contain(c.says);
    });
  }

  it('a managed policy with an old package is fixed by upgrading the package on the real instance', () => {
    const out = rule.evaluate(pair([MANAGED_POLICY], withPackage('2.2.1')));
    expect(out.fix).to.contain('aws ssm send-command --region eu-west-1 --instance-ids i-0a1b2c3d4e5f60718 --document-name AWS-ConfigureAWSPackage');
    expect(out.fix).to.not.contain('attach-role-policy');
  });

  it('a legacy policy with a newer package is fixed by attaching the managed policy to the real role, then upgrading', () => {
    const out = rule.evaluate(pair([LEGACY_POLICY], withPackage('2.2.1')));
    expect(out.fix).to.contain('aws iam attach-role-policy --role-name WindowsBackupRole --policy-arn arn:aws:iam::aws:policy/AWSEC2VssSnapshotPolicy');
    expect(out.fix).to.contain('--instance-ids i-0a1b2c3d4e5f60718');
  });

  it('the upgrade warning attaches the managed policy to the real role', () => {
    const out = rule.evaluate(pair([LEGACY_POLICY], withPackage('2.0.1')));
    expect(out.fix).to.contain('aws iam attach-role-policy --role-name WindowsBackupRole --policy-arn arn:aws:iam::aws:policy/AWSEC2VssSnapshotPolicy');
  });

  it('on Windows Server 2012 R2 the fix does not ask for a package that cannot install', () => {
    const out = rule.evaluate(pair([MANAGED_POLICY], withPackage('2.1.0', server2012R2)));
    expect(out.status).to.equal('fail');
    expect(out.fix).to.contain('cannot install AwsVssComponents 2.2.1 or later').and.to.contain('WindowsBackupRole');
  });

  it('evidence says which generations the role allows, and the installed Version', () => {
    const out = rule.evaluate(pair([LEGACY_POLICY], withPackage('2.2.1')));
    expect(out.evidence).to.include({
      Version: '2.2.1',
      RoleArn: 'arn:aws:iam::111122223333:role/WindowsBackupRole',
      'AwsVssComponents before 2.2.1': 'allowed',
      'AwsVssComponents 2.2.1 to 2.3.0': 'ec2:DescribeInstanceAttribute not allowed',
    });
  });
});
