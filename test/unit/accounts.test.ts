import { expect } from 'chai';
import { memoizeCredentials } from '../../src/collect/accounts.js';
import { parseAccountsRequest } from '../../src/collect/accounts-request.js';
import { accountSummaries } from '../../src/engine/accounts.js';
import { buildReport } from '../../src/engine/report.js';
import { SNAPSHOT_SCHEMA_VERSION, type Snapshot } from '../../src/facts/snapshot.js';
import { REPORTERS } from '../../src/report/index.js';
import { RULES } from '../../rules/index.js';
import { linuxInstance, region } from '../fixtures/facts.js';

type Creds = { accessKeyId: string; secretAccessKey: string; expiration?: Date };

describe('memoizeCredentials', () => {
  const MINUTE = 60_000;
  function provider(lifetimeMs: number, clock: { t: number }) {
    const issued: number[] = [];
    const fn = async (): Promise<Creds> => {
      issued.push(clock.t);
      return { accessKeyId: `ASIA${issued.length}`, secretAccessKey: 's', expiration: new Date(clock.t + lifetimeMs) };
    };
    return { fn, issued };
  }

  it('assumes once for every client of the account, and once for concurrent first calls', async () => {
    const clock = { t: 0 };
    const { fn, issued } = provider(60 * MINUTE, clock);
    const creds = memoizeCredentials(fn, () => clock.t);
    const got = await Promise.all([creds(), creds(), creds()]);
    clock.t = 30 * MINUTE;
    await creds();
    expect(issued).to.deep.equal([0]);
    expect(new Set(got.map((c) => c.accessKeyId))).to.deep.equal(new Set(['ASIA1']));
  });

  it('renews within five minutes of expiry, so a long scan never signs with an expired session', async () => {
    const clock = { t: 0 };
    const { fn, issued } = provider(60 * MINUTE, clock);
    const creds = memoizeCredentials(fn, () => clock.t);
    await creds();
    clock.t = 54 * MINUTE;
    expect((await creds()).accessKeyId).to.equal('ASIA1');
    clock.t = 56 * MINUTE;
    const [a, b] = await Promise.all([creds(), creds()]);
    expect([a.accessKeyId, b.accessKeyId]).to.deep.equal(['ASIA2', 'ASIA2']);
    clock.t = 100 * MINUTE;
    expect((await creds()).accessKeyId).to.equal('ASIA2');
    clock.t = 112 * MINUTE;
    expect((await creds()).accessKeyId).to.equal('ASIA3');
    expect(issued).to.deep.equal([0, 56 * MINUTE, 112 * MINUTE]);
  });

  it('tries again after a failed AssumeRole instead of keeping the failure', async () => {
    let calls = 0;
    const creds = memoizeCredentials(async () => {
      calls++;
      if (calls === 1) throw new Error('AccessDenied');
      return { accessKeyId: 'ASIAOK', secretAccessKey: 's' };
    });
    await creds().then(
      () => expect.fail('the first call should fail'),
      (err: Error) => expect(err.message).to.equal('AccessDenied'),
    );
    expect((await creds()).accessKeyId).to.equal('ASIAOK');
    await creds();
    expect(calls).to.equal(2);
  });
});

describe('parseAccountsRequest', () => {
  it('is undefined without --accounts/--org, and de-duplicates the account list', () => {
    expect(parseAccountsRequest({})).to.equal(undefined);
    expect(parseAccountsRequest({ accounts: ' 111122223333,444455556666,111122223333 ', 'role-name': 'path/Read' })).to.deep.equal({
      accounts: ['111122223333', '444455556666'],
      roleName: 'path/Read',
      maxAccounts: 4,
    });
    expect(parseAccountsRequest({ org: true, 'role-name': 'Read', 'external-id': 'abc', 'max-accounts': 2 })).to.deep.equal({
      accounts: 'org',
      roleName: 'Read',
      externalId: 'abc',
      maxAccounts: 2,
    });
  });
});

describe('per-account summary', () => {
  const A = '111122223333';
  const B = '444455556666';
  const C = '777788889999';
  const HOSTILE = '<img src=x onerror=alert(1)>|**x**';
  const snap = (over: Partial<Snapshot>): Snapshot => ({
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    generatedAt: '2026-11-25T08:00:00.000Z',
    accountIds: [A, B, C],
    regions: ['eu-west-1'],
    regionFacts: { [`${A}/eu-west-1`]: region(), [`${B}/eu-west-1`]: region() },
    instances: [linuxInstance({ instanceId: 'i-0a1', accountId: A }), linuxInstance({ instanceId: 'i-0b1', accountId: B }), linuxInstance({ instanceId: 'i-0b2', accountId: B })],
    instanceProfiles: {},
    roles: {},
    scps: {},
    backupRoleArn: null,
    errors: [
      { service: 'ssm', action: 'DescribeInstanceInformation', region: 'eu-west-1', code: 'AccessDeniedException', message: 'no', accountId: B },
      { service: 'sts', action: 'AssumeRole', region: null, code: 'AccessDenied', message: HOSTILE, accountId: C },
    ],
    ...over,
  });

  it('is ok, partial (errors in a read account) or failed (nothing read), with counts per verdict', () => {
    const report = buildReport(snap({}), RULES);
    expect(report.accounts).to.deep.equal([
      { accountId: A, instances: 1, 'application-consistent': 0, 'vss-fallback': 0, 'no-vss': 1, unknown: 0, status: 'ok', reason: null },
      { accountId: B, instances: 2, 'application-consistent': 0, 'vss-fallback': 0, 'no-vss': 2, unknown: 0, status: 'partial', reason: '1 AWS error: ssm:DescribeInstanceInformation in eu-west-1 AccessDeniedException' },
      { accountId: C, instances: 0, 'application-consistent': 0, 'vss-fallback': 0, 'no-vss': 0, unknown: 0, status: 'failed', reason: `sts:AssumeRole AccessDenied: ${HOSTILE}` },
    ]);
  });

  it('is left out for one account, so a single-account report is as before', () => {
    const one = snap({ accountIds: [A], instances: [linuxInstance({ accountId: A })], errors: [] });
    expect(accountSummaries(one, buildReport(one, RULES).instances)).to.equal(undefined);
    const report = buildReport(one, RULES);
    expect(report).to.not.have.property('accounts');
    expect(REPORTERS.markdown(report)).to.not.contain('## Accounts');
    expect(REPORTERS.markdown(report)).to.contain('| Instance | Name | Region | Verdict | Reason |');
    expect(REPORTERS.table(report, { color: false }).split('\n')[0]).to.match(/^INSTANCE\s+NAME\s+REGION/);
    expect(REPORTERS.html(report, { color: false })).to.not.contain('id="accounts"');
  });

  it('escapes AWS text in the markdown and HTML account tables', () => {
    const report = buildReport(snap({}), RULES);
    const md = REPORTERS.markdown(report);
    expect(md).to.contain('## Accounts');
    expect(md).to.contain(`| i-0b1 | ${B} | `);
    expect(REPORTERS.table(report, { color: false }).split('\n')[0]).to.match(/^INSTANCE\s+ACCOUNT\s+NAME/);
    expect(md).to.contain(`| ${C} | failed | 0 | 0 | 0 | 0 | 0 | sts:AssumeRole AccessDenied: \\<img src=x onerror=alert(1)\\>\\|\\*\\*x\\*\\* |`);
    const html = REPORTERS.html(report, { color: false });
    expect(html).to.contain('<section id="accounts"');
    expect(html).to.not.contain('<img');
    expect(html).to.contain('&#60;img src=x onerror=alert(1)&#62;|**x**');
  });
});
