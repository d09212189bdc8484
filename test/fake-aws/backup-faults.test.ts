import { BackupClient, GetBackupPlanCommand, ListBackupJobsCommand, ListBackupPlansCommand, paginateListBackupJobs } from '@aws-sdk/client-backup';
import { expect } from 'chai';
import { SQL, backupWorld } from './backup-fixture.js';
import { sdkConfig, startFakeAws, type FakeAws } from './server.js';
import { expectAwsError } from './test-helpers.js';
import { parseWorld } from './world.js';

describe('fake AWS: Backup faults', () => {
  let fake: FakeAws;
  before(async () => {
    fake = await startFakeAws({
      ...backupWorld(),
      faults: {
        deny: [{ service: 'backup', action: 'ListBackupJobs', region: 'us-east-1' }, { service: 'backup', action: 'GetBackupPlan' }],
        throttle: [{ service: 'backup', action: 'ListBackupPlans', times: 1 }],
        maxPageSize: { 'backup:ListBackupJobs': 2 },
      },
    });
  });
  after(() => fake.close());

  it('a denied action is AccessDeniedException naming the caller and the backup: action', async () => {
    const backup = new BackupClient(sdkConfig(fake, 'us-east-1'));
    const e = await expectAwsError(backup.send(new ListBackupJobsCommand({ ByResourceArn: SQL })), 'AccessDeniedException', 403);
    expect(e.message).to.equal('User: arn:aws:iam::111122223333:user/vss-preflight-test is not authorized to perform: backup:ListBackupJobs because no identity-based policy allows the backup:ListBackupJobs action');
    await expectAwsError(backup.send(new GetBackupPlanCommand({ BackupPlanId: 'plan-vss' })), 'AccessDeniedException', 403);
    expect(fake.calls.filter((c) => c.service === 'backup').map((c) => `${c.action}:${c.status}`)).to.deep.equal(['ListBackupJobs:403', 'GetBackupPlan:403']);
    backup.destroy();
  });

  it('throttles the first call with ThrottlingException; the SDK retries and succeeds', async () => {
    const backup = new BackupClient(sdkConfig(fake, 'eu-west-1'));
    const out = await backup.send(new ListBackupPlansCommand({}));
    expect(out.BackupPlansList).to.have.length(3);
    expect(out.$metadata.attempts).to.equal(2);
    expect(fake.calls.filter((c) => c.action === 'ListBackupPlans').map((c) => c.status)).to.deep.equal([400, 200]);
    backup.destroy();
  });

  it('maxPageSize caps ListBackupJobs pages below maxResults; the deny of another region does not apply', async () => {
    const backup = new BackupClient(sdkConfig(fake, 'eu-west-1'));
    const sizes: number[] = [];
    for await (const p of paginateListBackupJobs({ client: backup, pageSize: 1000 }, {})) sizes.push(p.BackupJobs?.length ?? 0);
    expect(sizes).to.deep.equal([2, 2, 1]);
    backup.destroy();
  });
});

const auth = (region: string) => `AWS4-HMAC-SHA256 Credential=AKIDFAKE/20260101/${region}/backup/aws4_request, SignedHeaders=host;x-amz-date, Signature=00`;

describe('fake AWS: Backup raw restJson1 wire', () => {
  let fake: FakeAws;
  before(async () => {
    fake = await startFakeAws(backupWorld());
  });
  after(() => fake.close());
  const get = (path: string) => fetch(`${fake.url}${path}`, { headers: { authorization: auth('eu-west-1') } });

  it('routes by method and path, trailing slash or not; JSON body with epoch-second timestamps', async () => {
    const res = await get('/backup/plans/?maxResults=1');
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('application/json');
    const body = (await res.json()) as { BackupPlansList: Array<{ CreationDate: unknown }>; NextToken: unknown };
    expect(body.BackupPlansList[0]?.CreationDate).to.equal(Date.parse('2025-12-01T10:00:00Z') / 1000);
    expect(body.NextToken).to.be.a('string');
    const job = (await (await get('/backup-jobs/job-vss-ok')).json()) as { CreationDate: unknown; BackupType: unknown };
    expect(job).to.include({ CreationDate: Date.parse('2026-01-03T05:00:00Z') / 1000, BackupType: 'WindowsVSS' });
    expect((await get('/backup/plans/plan-vss/selections/sel-tags')).status).to.equal(200);
    expect(fake.calls.at(-1)).to.deep.include({ service: 'backup', action: 'GetBackupSelection', params: { BackupPlanId: 'plan-vss', SelectionId: 'sel-tags' } });
  });

  it('errors carry x-amzn-ErrorType and {"Message"}; an unknown path is UnknownOperationException', async () => {
    const missing = await get('/backup-jobs/nope');
    expect(missing.status).to.equal(400);
    expect(missing.headers.get('x-amzn-errortype')).to.equal('ResourceNotFoundException');
    expect(await missing.json()).to.deep.equal({ Message: 'Backup job nope not found' });
    const unknown = await get('/backup-vaults');
    expect(unknown.status).to.equal(404);
    expect(unknown.headers.get('x-amzn-errortype')).to.equal('UnknownOperationException');
    expect(fake.calls.at(-1)).to.deep.include({ service: 'backup', action: '', status: 404 });
    const post = await fetch(`${fake.url}/backup/plans`, { method: 'POST', headers: { authorization: auth('eu-west-1') }, body: '{}' });
    expect(post.status).to.equal(404);
  });
});

describe('fake AWS: Backup world schema', () => {
  it('fills defaults and rejects inconsistent Backup state', () => {
    const w = parseWorld(backupWorld());
    const plain = w.regions['eu-west-1']!.backupPlans.find((p) => p.id === 'plan-plain')!;
    expect(plain.windowsVss).to.equal(undefined);
    expect(plain.rules).to.deep.equal([{ name: 'DailyBackups', targetBackupVaultName: 'Default', scheduleExpression: 'cron(0 5 ? * * *)' }]);
    expect(w.regions['eu-west-1']!.backupPlans[0]!.selections[1]!.listOfTags).to.deep.equal([{ conditionKey: 'Backup', conditionValue: 'vss', conditionType: 'STRINGEQUALS' }]);
    const region = (backup: object) => ({ accountId: '111122223333', regions: { 'eu-west-1': backup } });
    const job = { resourceArn: SQL, state: 'COMPLETED', creationDate: '2026-01-01T00:00:00Z' };
    expect(() => parseWorld(region({ backupJobs: [{ ...job, id: 'j', planId: 'ghost' }] }))).to.throw(/backup job j references unknown plan ghost/);
    expect(() => parseWorld(region({ backupJobs: [{ ...job, id: 'j' }, { ...job, id: 'j' }] }))).to.throw(/duplicate backup job j/);
    expect(() => parseWorld(region({ backupPlans: [{ id: 'p', name: 'a' }, { id: 'p', name: 'b' }] }))).to.throw(/duplicate backup plan p/);
    expect(() => parseWorld(region({ backupPlans: [{ id: 'p', name: 'has space' }] }))).to.throw(/plan names/);
    expect(() => parseWorld(region({ backupJobs: [{ ...job, id: 'j', state: 'DONE' }] }))).to.throw();
  });
});
