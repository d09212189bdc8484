import { expect } from 'chai';
import rule from '../../rules/backup-role-can-run-vss.js';
import type { Subject } from '../../src/engine/types.js';
import type { RoleFacts } from '../../src/facts/snapshot.js';
import { ACCOUNT, denied, linuxInstance, subject, windowsInstance } from '../fixtures/facts.js';

const policy = (name: string, statements: unknown[], arn: string | null = null) => ({ name, arn, document: { Version: '2012-10-17', Statement: statements } });

/** The SSM statements of AWSBackupServiceRolePolicyForBackup (vss-facts §1, MP-BKP), with one EC2 statement beside them. */
const BACKUP_POLICY = policy(
  'AWSBackupServiceRolePolicyForBackup',
  [
    { Sid: 'EC2Permissions', Effect: 'Allow', Action: ['ec2:CreateImage', 'ec2:DescribeImages', 'ec2:DescribeInstances'], Resource: '*' },
    { Sid: 'SSMPermissions', Effect: 'Allow', Action: ['ssm:CancelCommand', 'ssm:GetCommandInvocation'], Resource: '*' },
    { Sid: 'SSMSendPermissions', Effect: 'Allow', Action: 'ssm:SendCommand', Resource: ['arn:aws:ssm:*:*:document/AWSEC2-CreateVssSnapshot', 'arn:aws:ec2:*:*:instance/*'] },
  ],
  'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup',
);
const EC2_ONLY = policy('ec2-backup-only', [{ Effect: 'Allow', Action: ['ec2:CreateImage', 'ec2:CreateSnapshot', 'ec2:Describe*'], Resource: '*' }]);
const OTHER_DOCUMENT = policy('run-powershell-only', [
  { Effect: 'Allow', Action: 'ssm:GetCommandInvocation', Resource: '*' },
  { Effect: 'Allow', Action: 'ssm:SendCommand', Resource: ['arn:aws:ssm:*:*:document/AWS-RunPowerShellScript', 'arn:aws:ec2:*:*:instance/*'] },
]);
const TAGGED_ONLY = policy('vss-tagged-instances', [
  { Effect: 'Allow', Action: 'ssm:GetCommandInvocation', Resource: '*' },
  { Effect: 'Allow', Action: 'ssm:SendCommand', Resource: 'arn:aws:ssm:*:*:document/AWSEC2-CreateVssSnapshot' },
  { Effect: 'Allow', Action: 'ssm:SendCommand', Resource: 'arn:aws:ec2:*:*:instance/*', Condition: { StringEquals: { 'ssm:resourceTag/Backup': 'vss' } } },
]);
const DENY_SEND = policy('no-run-command', [{ Sid: 'NoRunCommand', Effect: 'Deny', Action: 'ssm:SendCommand', Resource: '*' }]);
const OFFICE_ONLY = policy('office-only', [{ Effect: 'Allow', Action: 'ssm:*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }]);

const backupRole = (attachedPolicies: RoleFacts['attachedPolicies'], inlinePolicies: RoleFacts['inlinePolicies'] = []): RoleFacts => ({
  name: 'AWSBackupDefaultServiceRole',
  arn: `arn:aws:iam::${ACCOUNT}:role/service-role/AWSBackupDefaultServiceRole`,
  attachedPolicies,
  inlinePolicies,
  permissionsBoundary: null,
});
const withBackupRole = (role: RoleFacts, over: Partial<Subject> = {}) => subject({ backupRole: { known: true, value: role }, ...over });
const taggedInstance = windowsInstance({ tags: { Name: 'sql-01', Backup: 'vss' } });

const cases = [
  { name: 'AWSBackupServiceRolePolicyForBackup attached', s: withBackupRole(backupRole([BACKUP_POLICY])), status: 'pass', says: 'may send AWSEC2-CreateVssSnapshot to this instance' },
  { name: 'SendCommand limited to instances tagged Backup=vss, instance tagged', s: withBackupRole(backupRole([TAGGED_ONLY]), { instance: taggedInstance }), status: 'pass', says: 'AWSBackupDefaultServiceRole may send' },
  {
    name: 'custom role with EC2 permissions only',
    s: withBackupRole(backupRole([EC2_ONLY])),
    status: 'fail',
    says: 'has no Allow for ssm:SendCommand on document/AWSEC2-CreateVssSnapshot, ssm:SendCommand on the instance, ssm:GetCommandInvocation',
  },
  { name: 'SendCommand for another document only', s: withBackupRole(backupRole([OTHER_DOCUMENT])), status: 'fail', says: 'has no Allow for ssm:SendCommand on document/AWSEC2-CreateVssSnapshot.' },
  { name: 'SendCommand limited to tagged instances, instance untagged', s: withBackupRole(backupRole([TAGGED_ONLY])), status: 'fail', says: 'has no Allow for ssm:SendCommand on the instance.' },
  {
    name: 'explicit Deny on ssm:SendCommand',
    s: withBackupRole(backupRole([BACKUP_POLICY], [DENY_SEND])),
    status: 'fail',
    says: 'ssm:SendCommand on the instance are explicitly denied by statement "NoRunCommand" of policy no-run-command',
  },
  { name: 'backup role unreadable', s: subject({ backupRole: denied('iam:GetRole') }), status: 'unknown', says: 'iam:GetRole was denied' },
  { name: 'a condition on aws:SourceIp cannot be decided here', s: withBackupRole(backupRole([OFFICE_ONLY])), status: 'unknown', says: 'aws:SourceIp' },
  { name: 'no backup role named', s: subject(), status: 'skip', says: 'No backup plan or --backup-role names the role AWS Backup uses' },
  { name: 'Linux: not applicable', s: withBackupRole(backupRole([EC2_ONLY]), { instance: linuxInstance() }), status: 'skip', says: 'Not Windows' },
] as const;

describe('rule backup-role-can-run-vss', () => {
  for (const c of cases) {
    it(`${c.status}: ${c.name}`, () => {
      const out = rule.evaluate(c.s);
      expect(out.status, out.message).to.equal(c.status);
      expect(out.message).to.contain(c.says);
    });
  }

  it('the fix attaches AWSBackupServiceRolePolicyForBackup to the real backup role', () => {
    const out = rule.evaluate(withBackupRole(backupRole([EC2_ONLY])));
    expect(out.fix).to.equal(
      'aws iam attach-role-policy --role-name AWSBackupDefaultServiceRole --policy-arn arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup',
    );
  });

  it('evidence names the role and the ARNs AWS Backup sends the command to', () => {
    const out = rule.evaluate(withBackupRole(backupRole([BACKUP_POLICY])));
    expect(out.evidence).to.include({
      IamRoleArn: `arn:aws:iam::${ACCOUNT}:role/service-role/AWSBackupDefaultServiceRole`,
      'ssm:SendCommand on document/AWSEC2-CreateVssSnapshot': 'allowed by AWSBackupServiceRolePolicyForBackup',
      'ssm:SendCommand on the instance': 'allowed by AWSBackupServiceRolePolicyForBackup',
    });
  });
});
