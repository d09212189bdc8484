import {
  BackupClient,
  DescribeBackupJobCommand,
  GetBackupPlanCommand,
  GetBackupSelectionCommand,
  ListBackupJobsCommand,
  paginateListBackupJobs,
  paginateListBackupPlans,
  paginateListBackupSelections,
  type BackupJob,
  type BackupPlansListMember,
  type ListBackupJobsCommandInput,
} from '@aws-sdk/client-backup';
import { expect } from 'chai';
import { APP, ROLE, SQL, backupWorld } from './backup-fixture.js';
import { sdkConfig, startFakeAws, type FakeAws } from './server.js';
import { expectAwsError } from './test-helpers.js';

describe('fake AWS: Backup plans and selections', () => {
  let fake: FakeAws;
  let backup: BackupClient;
  before(async () => {
    fake = await startFakeAws(backupWorld());
    backup = new BackupClient(sdkConfig(fake, 'eu-west-1'));
  });
  after(async () => {
    backup.destroy();
    await fake.close();
  });

  const allPlans = async (pageSize?: number) => {
    const pages: BackupPlansListMember[][] = [];
    for await (const p of paginateListBackupPlans({ client: backup, ...(pageSize ? { pageSize } : {}) }, {})) pages.push(p.BackupPlansList ?? []);
    return pages;
  };

  it('lists plans with AdvancedBackupSettings only where WindowsVSS is set', async () => {
    const plans = (await allPlans()).flat();
    expect(plans.map((p) => p.BackupPlanId)).to.deep.equal(['plan-vss', 'plan-plain', 'plan-off']);
    const [vss, plain, off] = plans;
    expect(vss).to.include({ BackupPlanName: 'vss-daily', BackupPlanArn: 'arn:aws:backup:eu-west-1:111122223333:backup-plan:plan-vss' });
    expect(vss!.VersionId).to.be.a('string').and.not.empty;
    expect(vss!.CreationDate?.toISOString()).to.equal('2025-12-01T10:00:00.000Z');
    expect(vss!.AdvancedBackupSettings).to.deep.equal([{ ResourceType: 'EC2', BackupOptions: { WindowsVSS: 'enabled' } }]);
    expect(plain!.AdvancedBackupSettings).to.equal(undefined);
    expect(off!.AdvancedBackupSettings).to.deep.equal([{ ResourceType: 'EC2', BackupOptions: { WindowsVSS: 'disabled' } }]);
  });

  it('pages plans with maxResults and nextToken through the SDK paginator', async () => {
    expect((await allPlans(2)).map((p) => p.length)).to.deep.equal([2, 1]);
    const second = fake.calls.filter((c) => c.action === 'ListBackupPlans').at(-1)!;
    expect(second.params).to.include({ maxResults: '2' });
    expect(second.params.nextToken).to.be.a('string');
  });

  it('gets a plan with its rules and WindowsVSS setting; a wrong version or id is ResourceNotFound', async () => {
    const out = await backup.send(new GetBackupPlanCommand({ BackupPlanId: 'plan-vss' }));
    expect(out.BackupPlan?.BackupPlanName).to.equal('vss-daily');
    expect(out.BackupPlan?.AdvancedBackupSettings).to.deep.equal([{ ResourceType: 'EC2', BackupOptions: { WindowsVSS: 'enabled' } }]);
    expect(out.BackupPlan?.Rules?.map((r) => [r.RuleName, r.TargetBackupVaultName])).to.deep.equal([['Daily', 'Primary']]);
    expect(out.BackupPlan?.Rules?.[0]?.RuleId).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(out).to.include({ BackupPlanId: 'plan-vss' });
    const same = await backup.send(new GetBackupPlanCommand({ BackupPlanId: 'plan-vss', VersionId: out.VersionId }));
    expect(same.VersionId).to.equal(out.VersionId);
    const plain = await backup.send(new GetBackupPlanCommand({ BackupPlanId: 'plan-plain' }));
    expect(plain.BackupPlan?.AdvancedBackupSettings).to.equal(undefined);
    expect(plain.BackupPlan?.Rules).to.have.length(1);
    await expectAwsError(backup.send(new GetBackupPlanCommand({ BackupPlanId: 'plan-vss', VersionId: 'nope' })), 'ResourceNotFoundException', 400);
    await expectAwsError(backup.send(new GetBackupPlanCommand({ BackupPlanId: 'missing' })), 'ResourceNotFoundException', 400);
  });

  it('lists a plan\'s selections, paged, and gets each kind (ARNs, ListOfTags, Conditions)', async () => {
    const pages: string[][] = [];
    for await (const p of paginateListBackupSelections({ client: backup, pageSize: 2 }, { BackupPlanId: 'plan-vss' })) {
      pages.push((p.BackupSelectionsList ?? []).map((s) => `${s.SelectionId}:${s.SelectionName}:${s.BackupPlanId}`));
    }
    expect(pages).to.deep.equal([['sel-arns:by-arn:plan-vss', 'sel-tags:by-tag:plan-vss'], ['sel-conds:by-condition:plan-vss']]);
    const get = (SelectionId: string) => backup.send(new GetBackupSelectionCommand({ BackupPlanId: 'plan-vss', SelectionId }));
    const arns = await get('sel-arns');
    expect(arns).to.include({ SelectionId: 'sel-arns', BackupPlanId: 'plan-vss' });
    expect(arns.BackupSelection).to.deep.include({ SelectionName: 'by-arn', IamRoleArn: ROLE, Resources: [SQL, 'arn:aws:ec2:*:*:instance/*'], NotResources: [APP], ListOfTags: [] });
    const tags = await get('sel-tags');
    expect(tags.BackupSelection?.ListOfTags).to.deep.equal([{ ConditionType: 'STRINGEQUALS', ConditionKey: 'Backup', ConditionValue: 'vss' }]);
    expect(tags.BackupSelection?.Resources).to.deep.equal([]);
    const conds = (await get('sel-conds')).BackupSelection?.Conditions;
    expect(conds).to.deep.equal({
      StringEquals: [{ ConditionKey: 'aws:ResourceTag/Backup', ConditionValue: 'vss' }],
      StringNotEquals: [{ ConditionKey: 'aws:ResourceTag/Stage', ConditionValue: 'test' }],
      StringLike: [{ ConditionKey: 'aws:ResourceTag/Name', ConditionValue: 'sql-*' }],
      StringNotLike: [{ ConditionKey: 'aws:ResourceTag/Owner', ConditionValue: '*temp*' }],
    });
    await expectAwsError(get('sel-missing'), 'ResourceNotFoundException', 400);
    const none = paginateListBackupSelections({ client: backup }, { BackupPlanId: 'missing' });
    await expectAwsError(none.next(), 'ResourceNotFoundException', 400);
  });
});

describe('fake AWS: Backup jobs', () => {
  let fake: FakeAws;
  let backup: BackupClient;
  before(async () => {
    fake = await startFakeAws(backupWorld());
    backup = new BackupClient(sdkConfig(fake, 'eu-west-1'));
  });
  after(async () => {
    backup.destroy();
    await fake.close();
  });

  const jobs = async (input: ListBackupJobsCommandInput, pageSize?: number) => {
    const pages: BackupJob[][] = [];
    for await (const p of paginateListBackupJobs({ client: backup, ...(pageSize ? { pageSize } : {}) }, input)) pages.push(p.BackupJobs ?? []);
    return pages;
  };
  const ids = async (input: ListBackupJobsCommandInput) => (await jobs(input)).flat().map((j) => j.BackupJobId);

  it('lists the region\'s jobs newest first, with the BackupJob fields parsed', async () => {
    expect(await ids({})).to.deep.equal(['job-running', 'job-vss-ok', 'job-app', 'job-vss-issues', 'job-failed']);
    const [ok] = (await jobs({ ByResourceArn: SQL, ByState: 'COMPLETED', ByMessageCategory: 'SUCCESS' })).flat();
    expect(ok).to.deep.include({
      BackupJobId: 'job-vss-ok', AccountId: '111122223333', BackupVaultName: 'Primary', ResourceArn: SQL, ResourceType: 'EC2',
      State: 'COMPLETED', MessageCategory: 'SUCCESS', BackupOptions: { WindowsVSS: 'enabled' }, BackupType: 'WindowsVSS', IamRoleArn: ROLE,
    });
    expect(ok!.CreationDate?.toISOString()).to.equal('2026-01-03T05:00:00.000Z');
    expect(ok!.CompletionDate?.toISOString()).to.equal('2026-01-03T05:20:00.000Z');
    expect(ok!.RecoveryPointArn).to.match(/^arn:aws:ec2:eu-west-1::image\/ami-[0-9a-f]{17}$/);
    expect(ok!.CreatedBy).to.deep.include({ BackupPlanId: 'plan-vss', BackupPlanArn: 'arn:aws:backup:eu-west-1:111122223333:backup-plan:plan-vss' });
  });

  it('filters by resource ARN, state, message category and creation time', async () => {
    expect(await ids({ ByResourceArn: SQL })).to.deep.equal(['job-vss-ok', 'job-vss-issues', 'job-failed']);
    expect(await ids({ ByResourceArn: SQL, ByState: 'COMPLETED' })).to.deep.equal(['job-vss-ok', 'job-vss-issues']);
    // "Completed with issues" = COMPLETED minus COMPLETED+SUCCESS (vss-facts §5).
    expect(await ids({ ByState: 'COMPLETED', ByMessageCategory: 'SUCCESS' })).to.deep.equal(['job-vss-ok', 'job-app']);
    expect(await ids({ ByMessageCategory: 'AccessDenied' })).to.deep.equal(['job-vss-issues']);
    expect(await ids({ ByMessageCategory: 'ANY', ByResourceArn: APP })).to.deep.equal(['job-running', 'job-app']);
    expect(await ids({ ByState: 'FAILED', ByResourceType: 'EC2' })).to.deep.equal(['job-failed']);
    expect(await ids({ ByResourceType: 'EBS' })).to.deep.equal([]);
    expect(await ids({ ByCreatedAfter: new Date('2026-01-02T05:30:00Z'), ByCreatedBefore: new Date('2026-01-03T05:30:00Z') })).to.deep.equal(['job-vss-ok', 'job-app']);
    const sent = fake.calls.filter((c) => c.action === 'ListBackupJobs').at(-1)!;
    expect(sent.params).to.include({ createdAfter: '2026-01-02T05:30:00Z' });
    const issues = (await jobs({ ByResourceArn: SQL, ByState: 'COMPLETED' })).flat().find((j) => j.BackupJobId === 'job-vss-issues')!;
    expect(issues).to.include({ MessageCategory: 'AccessDenied', StatusMessage: 'Windows VSS Backup Job Error encountered, trying for regular backup' });
    expect(issues.BackupType).to.equal(undefined);
  });

  it('pages jobs and validates maxResults (1-1000) and the state enum', async () => {
    expect((await jobs({}, 2)).map((p) => p.length)).to.deep.equal([2, 2, 1]);
    await expectAwsError(backup.send(new ListBackupJobsCommand({ MaxResults: 0 })), 'ValidationException', 400);
    await expectAwsError(backup.send(new ListBackupJobsCommand({ MaxResults: 1001 })), 'ValidationException', 400);
    await expectAwsError(backup.send(new ListBackupJobsCommand({ ByState: 'DONE' as never })), 'ValidationException', 400);
    const first = await backup.send(new ListBackupJobsCommand({ MaxResults: 1 }));
    const replay = backup.send(new ListBackupJobsCommand({ MaxResults: 1, NextToken: first.NextToken, ByState: 'FAILED' }));
    await expectAwsError(replay, 'InvalidParameterValueException', 400);
  });

  it('describes a job (BackupType is the VSS evidence); an unknown job is ResourceNotFound', async () => {
    const ok = await backup.send(new DescribeBackupJobCommand({ BackupJobId: 'job-vss-ok' }));
    expect(ok).to.deep.include({ BackupJobId: 'job-vss-ok', State: 'COMPLETED', BackupType: 'WindowsVSS', BackupOptions: { WindowsVSS: 'enabled' }, IsParent: false });
    const failed = await backup.send(new DescribeBackupJobCommand({ BackupJobId: 'job-failed' }));
    expect(failed).to.include({ State: 'FAILED', StatusMessage: 'Backup job failed' });
    expect(failed.MessageCategory).to.equal(undefined);
    expect(failed.RecoveryPointArn).to.equal(undefined);
    await expectAwsError(backup.send(new DescribeBackupJobCommand({ BackupJobId: 'job-other-region' })), 'ResourceNotFoundException', 400);
    const east = new BackupClient(sdkConfig(fake, 'us-east-1'));
    expect((await east.send(new DescribeBackupJobCommand({ BackupJobId: 'job-other-region' }))).State).to.equal('COMPLETED');
    east.destroy();
  });
});
