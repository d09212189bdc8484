import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectAccounts } from '../../src/collect/accounts.js';
import { parseAccountsRequest } from '../../src/collect/accounts-request.js';
import { RateLimiter } from '../../src/collect/rate-limit.js';
import type { Snapshot } from '../../src/facts/snapshot.js';
import type { Report } from '../../src/report/schema.js';
import type { WorldInput } from '../fake-aws/world.js';
import { READ_ONLY, readJson, runCli, withCliEnv, withFakeAws } from './harness.js';
import { ACCOUNT as CALLER, ids, world } from './worlds.js';

const MEMBER = '444455556666';
const UNTRUSTING = '777788889999';
const ROLE = 'VssPreflightRead';
const EXTERNAL_ID = 'vss-ext-42';

/** The one-account scenario world, moved to another account id (profile ARNs included). */
const moved = (account: string, w: WorldInput): WorldInput => JSON.parse(JSON.stringify(w).replaceAll(CALLER, account)) as WorldInput;

const readRole = (externalId: string) => ({
  name: ROLE,
  assumeRolePolicyDocument: {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${CALLER}:root` }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': externalId } } }],
  },
});

const [callerWin, callerLinux, memberWin, memberNoPkg] = [...ids('7', 2), ...ids('8', 2)] as [string, string, string, string];

function fleet(): WorldInput {
  const caller = world({ 'eu-west-1': [{ id: callerWin, os: 'windows' }, { id: callerLinux, os: 'linux' }] });
  const member = moved(MEMBER, world({ 'eu-west-1': [{ id: memberWin, os: 'windows' }, { id: memberNoPkg, os: 'windows', pkg: false }] }));
  const untrusting = moved(UNTRUSTING, world({ 'eu-west-1': [] }));
  return {
    ...caller,
    accounts: [
      { ...member, accountId: MEMBER, iam: { ...member.iam, roles: [...(member.iam?.roles ?? []), readRole(EXTERNAL_ID)] } } as never,
      // Its read role trusts another external id: AssumeRole is denied, as for a missing role.
      { ...untrusting, accountId: UNTRUSTING, iam: { ...untrusting.iam, roles: [...(untrusting.iam?.roles ?? []), readRole('someone-else')] } } as never,
    ],
    organization: {
      accounts: [
        { id: CALLER, name: 'management' },
        { id: MEMBER, name: 'workloads' },
        { id: UNTRUSTING, name: 'leaving', state: 'SUSPENDED' },
      ],
    },
  };
}

const json = (stdout: string) => JSON.parse(stdout) as Report;
const withoutDate = (r: Report) => ({ ...r, generatedAt: undefined });
const multi = ['--role-name', ROLE, '--external-id', EXTERNAL_ID, '--regions', 'eu-west-1'];

describe('multi-account scans against the fake AWS endpoint', () => {
  const { fake } = withFakeAws(fleet);
  const dir = mkdtempSync(join(tmpdir(), 'vss-accounts-'));

  it('scans each account through its role, reports the one it cannot assume, and exits 3 (partial)', async () => {
    const before = fake().calls.length;
    const run = await runCli(['scan', '--accounts', `${CALLER},${MEMBER},${UNTRUSTING}`, ...multi, '--format', 'json'], { fake: fake() });
    expect(run.code, run.stderr).to.equal(3);
    const report = json(run.stdout);
    expect(report.accountIds).to.deep.equal([CALLER, MEMBER, UNTRUSTING]);
    expect(report.instances.map((i) => [i.accountId, i.instanceId, i.verdict])).to.deep.equal([
      [CALLER, callerWin, 'application-consistent'],
      [CALLER, callerLinux, 'no-vss'],
      [MEMBER, memberWin, 'application-consistent'],
      [MEMBER, memberNoPkg, 'vss-fallback'],
    ]);
    expect(report.summary).to.include({ instances: 4, 'application-consistent': 2, 'vss-fallback': 1, 'no-vss': 1 });
    const accounts = new Map(report.accounts!.map((a) => [a.accountId, a]));
    expect(accounts.get(CALLER)).to.include({ status: 'ok', instances: 2, 'application-consistent': 1, 'no-vss': 1, reason: null });
    expect(accounts.get(MEMBER)).to.include({ status: 'ok', instances: 2, 'application-consistent': 1, 'vss-fallback': 1 });
    expect(accounts.get(UNTRUSTING)).to.include({ status: 'failed', instances: 0 });
    expect(accounts.get(UNTRUSTING)!.reason).to.match(/^sts:AssumeRole AccessDenied: .*not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::777788889999:role\/VssPreflightRead/);
    expect(report.errors.map((e) => [e.accountId, e.service, e.action, e.code])).to.deep.equal([[UNTRUSTING, 'sts', 'AssumeRole', 'AccessDenied']]);

    const calls = fake().calls.slice(before);
    const assumes = calls.filter((c) => c.action === 'AssumeRole');
    // The caller's own account is read with its own credentials; each other account assumes once.
    expect(assumes.map((c) => c.params['RoleArn']).sort()).to.deep.equal([`arn:aws:iam::${MEMBER}:role/${ROLE}`, `arn:aws:iam::${UNTRUSTING}:role/${ROLE}`]);
    expect(assumes.every((c) => c.params['ExternalId'] === EXTERNAL_ID && c.params['RoleSessionName'] === 'vss-preflight')).to.equal(true);
    expect(calls.filter((c) => c.action === 'DescribeInstances').map((c) => c.accountId).sort()).to.deep.equal([CALLER, MEMBER]);
    expect(calls.filter((c) => !READ_ONLY.test(c.action) && c.action !== 'AssumeRole')).to.deep.equal([]);
  });

  it('hands each account\'s snapshot to the scan as soon as it is read, the failed one too, before the merge', async () => {
    // In this process, as the CLI runs its collector; quiet about Node 20, as the CLI is (main.ts).
    await withCliEnv(fake().url, { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }, async () => {
      const seen: Snapshot[] = [];
      const request = parseAccountsRequest({ accounts: `${CALLER},${MEMBER},${UNTRUSTING}`, 'role-name': ROLE, 'external-id': EXTERNAL_ID })!;
      const merged = await collectAccounts({ access: { limiter: new RateLimiter() }, request, regions: 'eu-west-1', onAccount: (s) => seen.push(s) });
      expect(seen.map((s) => s.accountIds[0]).sort()).to.deep.equal([CALLER, MEMBER, UNTRUSTING].sort());
      expect(seen.find((s) => s.accountIds[0] === UNTRUSTING)!.errors.map((e) => e.action)).to.deep.equal(['AssumeRole']);
      // The merge is made of those very instances: what was judged early is what the report holds.
      expect(merged.instances).to.have.length(4);
      expect(merged.instances.every((i) => seen.some((s) => s.instances.includes(i)))).to.equal(true);
    });
  });

  it('--max-accounts 1 reads one account after the other', async () => {
    const before = fake().calls.length;
    const run = await runCli(['scan', '--accounts', `${MEMBER},${CALLER}`, ...multi, '--max-accounts', '1', '--format', 'json'], { fake: fake() });
    expect(run.code, run.stderr).to.equal(0);
    const runs = fake().calls.slice(before).map((c) => c.accountId).filter((a, n, all) => n === 0 || all[n - 1] !== a);
    // The caller's identity, regions and the AssumeRole (signed by the caller), then the member, then the caller's own account.
    expect(runs).to.deep.equal([CALLER, MEMBER, CALLER]);
    expect(json(run.stdout).instances.map((i) => i.accountId)).to.deep.equal([MEMBER, MEMBER, CALLER, CALLER]);
  });

  it('prints a line per account under the table summary', async () => {
    const run = await runCli(['scan', '--accounts', `${MEMBER},${UNTRUSTING}`, ...multi], { fake: fake() });
    expect(run.code, run.stderr).to.equal(3);
    expect(run.stdout.split('\n')[0]).to.match(/^INSTANCE\s+ACCOUNT\s+NAME\s+REGION\s+VERDICT\s+REASON$/);
    expect(run.stdout.split('\n').find((l) => l.startsWith(memberWin))).to.match(new RegExp(`^${memberWin}\\s+${MEMBER}\\s+windows-`));
    expect(run.stdout).to.contain(`  account ${MEMBER} ok: 2 instances: 1 application-consistent, 1 vss-fallback, 0 no-vss, 0 unknown`);
    expect(run.stdout).to.match(new RegExp(`  account ${UNTRUSTING} failed: 0 instances: .*; sts:AssumeRole AccessDenied: `));
    expect(run.stdout).to.contain(`Error: account ${UNTRUSTING}: sts:AssumeRole: AccessDenied`);
  });

  it('--org scans the ACTIVE accounts the organization lists', async () => {
    const before = fake().calls.length;
    const run = await runCli(['scan', '--org', ...multi, '--format', 'json'], { fake: fake() });
    expect(run.code, run.stderr).to.equal(0);
    const report = json(run.stdout);
    expect(report.accountIds).to.deep.equal([CALLER, MEMBER]);
    expect(report.accounts!.map((a) => [a.accountId, a.status])).to.deep.equal([[CALLER, 'ok'], [MEMBER, 'ok']]);
    const calls = fake().calls.slice(before);
    expect(calls.filter((c) => c.service === 'organizations').map((c) => [c.action, c.accountId])).to.deep.equal([['ListAccounts', CALLER]]);
    expect(calls.some((c) => c.action === 'AssumeRole' && String(c.params['RoleArn']).includes(UNTRUSTING))).to.equal(false);
  });

  it('collect per account, then scan --facts a --facts b, equals scanning both at once', async () => {
    const [a, b] = [join(dir, 'a.json'), join(dir, 'b.json')];
    const shardA = await runCli(['collect', '--regions', 'eu-west-1', '--out', a], { fake: fake() });
    const shardB = await runCli(['collect', '--accounts', MEMBER, ...multi, '--out', b], { fake: fake() });
    expect([shardA.code, shardB.code], shardA.stderr + shardB.stderr).to.deep.equal([0, 0]);
    expect(readJson<{ accountIds: string[] }>(b).accountIds).to.deep.equal([MEMBER]);
    const merged = await runCli(['scan', '--facts', a, '--facts', b, '--format', 'json']);
    const together = await runCli(['scan', '--accounts', `${CALLER},${MEMBER}`, ...multi, '--format', 'json'], { fake: fake() });
    expect([merged.code, together.code], merged.stderr + together.stderr).to.deep.equal([0, 0]);
    expect(withoutDate(json(merged.stdout))).to.deep.equal(withoutDate(json(together.stdout)));
    expect(json(merged.stdout).accounts).to.have.length(2);
  });

  it('refuses overlapping shards, naming both files', async () => {
    const a = join(dir, 'a.json');
    const copy = join(dir, 'a-copy.json');
    const first = await runCli(['collect', '--regions', 'eu-west-1', '--out', a], { fake: fake() });
    expect(first.code, first.stderr).to.equal(0);
    writeFileSync(copy, JSON.stringify(readJson(a)));
    const run = await runCli(['scan', '--facts', a, '--facts', copy]);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.equal(`vss-preflight: ${a} and ${copy} both hold account/region ${CALLER}/eu-west-1: shards must not overlap; collect each account and region once\n`);
  });
});

describe('sharding one account by region', () => {
  const [eu, us] = ids('9', 2) as [string, string];
  const { fake } = withFakeAws(() => world({ 'eu-west-1': [{ id: eu, os: 'windows' }], 'us-east-1': [{ id: us, os: 'windows', pkg: false }] }));

  it('collect per region, then scan --facts a --facts b, equals scanning both regions at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vss-regions-'));
    const [a, b] = [join(dir, 'eu.json'), join(dir, 'us.json')];
    const shards = await Promise.all([
      runCli(['collect', '--regions', 'eu-west-1', '--out', a], { fake: fake() }),
      runCli(['collect', '--regions', 'us-east-1', '--out', b], { fake: fake() }),
    ]);
    expect(shards.map((r) => r.code), shards.map((r) => r.stderr).join('')).to.deep.equal([0, 0]);
    const merged = await runCli(['scan', '--facts', a, '--facts', b, '--format', 'json']);
    const together = await runCli(['scan', '--regions', 'eu-west-1,us-east-1', '--format', 'json'], { fake: fake() });
    expect([merged.code, together.code], merged.stderr + together.stderr).to.deep.equal([0, 0]);
    expect(withoutDate(json(merged.stdout))).to.deep.equal(withoutDate(json(together.stdout)));
    expect(json(merged.stdout).instances.map((i) => [i.instanceId, i.verdict])).to.deep.equal([[eu, 'application-consistent'], [us, 'vss-fallback']]);
    expect(json(merged.stdout)).to.not.have.property('accounts');
  });
});

describe('a region one member account has not opted into', () => {
  const { fake } = withFakeAws(() => {
    const w = fleet();
    return {
      ...w,
      regions: { ...w.regions, 'ap-east-1': { optInStatus: 'opted-in' } },
      accounts: [{ ...w.accounts![0]!, regions: { ...w.accounts![0]!.regions, 'ap-east-1': { optInStatus: 'not-opted-in' } } }],
    };
  });

  it('fails that account with the region named, and scans the others', async () => {
    const run = await runCli(['scan', '--accounts', `${CALLER},${MEMBER}`, '--role-name', ROLE, '--external-id', EXTERNAL_ID, '--regions', 'eu-west-1,ap-east-1', '--format', 'json'], { fake: fake() });
    expect(run.code, run.stderr).to.equal(3);
    const report = json(run.stdout);
    expect(report.accounts!.map((a) => [a.accountId, a.status, a.instances])).to.deep.equal([[CALLER, 'ok', 2], [MEMBER, 'failed', 0]]);
    expect(report.accounts![1]!.reason).to.equal('ec2:DescribeRegions RegionNotEnabled: region ap-east-1 is not enabled for this account: enable it, or leave it out of --regions');
  });
});

describe('--org where the organization cannot be listed', () => {
  const member = withFakeAws(() => ({ ...fleet(), organization: { managementAccountId: MEMBER, accounts: [{ id: MEMBER, name: 'management' }, { id: CALLER, name: 'member' }] } }));
  const alone = withFakeAws(() => ({ ...fleet(), organization: undefined }));

  it('from a member account: one line naming the denied action and where to run it, exit 2', async () => {
    const run = await runCli(['scan', '--org', ...multi], { fake: member.fake() });
    expect(run.code, run.stderr).to.equal(2);
    expect(run.stderr).to.equal(
      `vss-preflight: --org: organizations:ListAccounts was denied for arn:aws:iam::${CALLER}:user/vss-preflight-test; run from the management account or a delegated administrator, or list the accounts with --accounts\n`,
    );
  });

  it('outside an organization: one line pointing to --accounts, exit 2', async () => {
    const run = await runCli(['scan', '--org', ...multi], { fake: alone.fake() });
    expect(run.code, run.stderr).to.equal(2);
    expect(run.stderr).to.equal(`vss-preflight: --org: account ${CALLER} is not in an organization; list the accounts with --accounts instead\n`);
  });
});

describe('multi-account input errors', () => {
  const cases: { name: string; args: string[]; says: RegExp }[] = [
    { name: 'an account id that is not 12 digits', args: ['scan', '--accounts', '111122223333,12345', '--role-name', ROLE], says: /--accounts: "12345" is not an AWS account id \(12 digits/ },
    { name: '--accounts without --role-name', args: ['scan', '--accounts', MEMBER], says: /--accounts needs --role-name: the IAM role to assume in each account/ },
    { name: '--org and --accounts together', args: ['scan', '--org', '--accounts', MEMBER, '--role-name', ROLE], says: /give --org or --accounts, not both/ },
    { name: '--role-name alone', args: ['collect', '--out', 'x.json', '--role-name', ROLE], says: /--role-name applies to a multi-account scan: add --accounts ID,ID or --org/ },
    { name: 'a role ARN as --role-name', args: ['scan', '--accounts', MEMBER, '--role-name', `arn:aws:iam::${MEMBER}:role/${ROLE}`], says: /--role-name "arn:aws:iam::.*" is not an IAM role name.*give the name, not the ARN/ },
    { name: '--max-accounts 0', args: ['scan', '--accounts', MEMBER, '--role-name', ROLE, '--max-accounts', '0'], says: /--max-accounts must be a whole number of 1 or more, got 0/ },
    { name: 'a bad --external-id', args: ['scan', '--accounts', MEMBER, '--role-name', ROLE, '--external-id', 'x'], says: /--external-id must be 2 to 1224 characters/ },
    { name: '--facts with --accounts', args: ['scan', '--facts', 'examples/fleet.json', '--accounts', MEMBER, '--role-name', ROLE], says: /--facts reads a snapshot and makes no AWS calls: drop .*--accounts/ },
    { name: 'check-plan with --accounts', args: ['check-plan', 'plan.json', '--accounts', MEMBER, '--role-name', ROLE], says: /check-plan reads one account: drop --accounts\/--org/ },
    { name: 'diagnose with --org', args: ['diagnose', 'i-0123456789abcdef0', '--org', '--role-name', ROLE], says: /diagnose reads one account: drop --accounts\/--org/ },
    { name: 'history with --accounts', args: ['history', '--accounts', MEMBER, '--role-name', ROLE], says: /history reads one account/ },
  ];
  for (const c of cases) {
    it(`${c.name}: one line, exit 2`, async () => {
      const run = await runCli(c.args);
      expect(run.code, run.stderr).to.equal(2);
      expect(run.stderr.trimEnd().split('\n'), run.stderr).to.have.length(1);
      expect(run.stderr).to.match(c.says);
      expect(run.stdout).to.equal('');
    });
  }
});
