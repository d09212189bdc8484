import { expect } from 'chai';
import { RULES } from '../../rules/index.js';
import { EarlyJudge } from '../../src/engine/early-judge.js';
import { buildReport, type ReportOptions } from '../../src/engine/report.js';
import { loadSnapshot } from '../../src/facts/load.js';
import { mergeSnapshots } from '../../src/facts/merge.js';
import type { Snapshot } from '../../src/facts/snapshot.js';
import type { Report } from '../../src/report/schema.js';

const CALLER = '111122223333';
const MEMBER = '444455556666';
const BACKUP_ROLE = `arn:aws:iam::${CALLER}:role/service-role/AWSBackupDefaultServiceRole`;

/** The example fleet (33 instances, every rule) moved to another account, ARNs and keys included, with instance ids of its own. */
const moved = (s: Snapshot, account: string): Snapshot => JSON.parse(JSON.stringify(s).replaceAll(CALLER, account).replaceAll('i-0', 'i-1')) as Snapshot;

const days = (iso: string, n: number) => new Date(Date.parse(iso) + n * 86_400_000).toISOString();

/** Feed the shards to an EarlyJudge in the order given, then ask for the merged report. */
async function judgedEarly(shards: Snapshot[], order: number[], options?: ReportOptions): Promise<Report> {
  const judge = new EarlyJudge(RULES, options);
  for (const n of order) judge.add(shards[n]!);
  return judge.report(mergeSnapshots(shards.map((snapshot, n) => ({ source: `account ${n}`, snapshot }))));
}

const merged = (shards: Snapshot[]) => mergeSnapshots(shards.map((snapshot, n) => ({ source: `account ${n}`, snapshot })));
/** What an account's instances were told: verdicts and every finding's message. */
const verdicts = (r: Report, account: string) =>
  r.instances.filter((i) => i.accountId === account).map((i) => [i.instanceId, i.verdict, ...i.findings.map((f) => `${f.ruleId} ${f.status} ${f.message}`)]);

describe('EarlyJudge: accounts judged as they come in give the merged snapshot\'s report', () => {
  let fleet: Snapshot;
  before(async () => {
    fleet = await loadSnapshot('examples/fleet.json');
  });

  it('two accounts, in either order of arrival: the report buildReport gives for the merge', async () => {
    const shards = [fleet, moved(fleet, MEMBER)];
    const expected = buildReport(merged(shards), RULES);
    expect(expected.instances).to.have.length(66);
    expect(await judgedEarly(shards, [0, 1])).to.deep.equal(expected);
    expect(await judgedEarly(shards, [1, 0])).to.deep.equal(expected);
  });

  it('an account judged against a role another account read is judged again with the merged facts', async () => {
    // The member could not read the caller's backup role; the merge knows it from the caller's shard.
    const member = moved(fleet, MEMBER);
    member.backupRoleArn = BACKUP_ROLE;
    member.roles[BACKUP_ROLE] = { known: false, reason: 'iam:GetRole was denied' };
    const shards = [fleet, member];
    const expected = buildReport(merged(shards), RULES);
    // Judged alone, the member's verdicts differ: keeping them would be wrong.
    expect(verdicts(buildReport(member, RULES), MEMBER)).to.not.deep.equal(verdicts(expected, MEMBER));
    expect(await judgedEarly(shards, [1, 0])).to.deep.equal(expected);
  });

  it('an older account arriving last re-dates the ones judged before it', async () => {
    // The merged snapshot is as of its oldest shard: 60 days earlier, no inventory is stale yet.
    const older = { ...moved(fleet, MEMBER), generatedAt: days(fleet.generatedAt, -60) };
    const shards = [fleet, older];
    const expected = buildReport(merged(shards), RULES);
    expect(expected.generatedAt).to.equal(older.generatedAt);
    expect(verdicts(buildReport(fleet, RULES), CALLER)).to.not.deep.equal(verdicts(expected, CALLER));
    expect(await judgedEarly(shards, [0, 1])).to.deep.equal(expected);
  });

  it('with suppressions: the same findings accepted as in buildReport', async () => {
    const shards = [fleet, moved(fleet, MEMBER)];
    const failing = buildReport(fleet, RULES).instances.find((i) => i.findings.some((f) => f.status === 'fail'))!;
    const rule = failing.findings.find((f) => f.status === 'fail')!.ruleId;
    const options: ReportOptions = {
      skippedRules: ['instance-type-supported'],
      suppressions: { active: [{ rules: [rule], instances: [failing.instanceId, failing.instanceId.replace('i-0', 'i-1')], reason: 'accepted', expires: '2099-01-01', source: 'test#1' }], expired: [] },
    };
    const expected = buildReport(merged(shards), RULES, options);
    expect(expected.instances.filter((i) => i.findings.some((f) => f.suppressed))).to.have.length(2);
    expect(await judgedEarly(shards, [1, 0], options)).to.deep.equal(expected);
  });

  it('no account given (a one-account scan): the whole snapshot is judged at the end', async () => {
    expect(await new EarlyJudge(RULES).report(fleet)).to.deep.equal(buildReport(fleet, RULES));
  });
});

describe('EarlyJudge when judging fails', () => {
  it('says so from report(), not as an unhandled rejection while the scan goes on', async () => {
    const fleet = await loadSnapshot('examples/fleet.json');
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      const judge = new EarlyJudge(RULES);
      // A snapshot the engine cannot read (no instances list): a bug, not an AWS refusal.
      judge.add({ ...fleet, instances: undefined as never });
      judge.add(moved(fleet, MEMBER));
      await new Promise((r) => setTimeout(r, 20));
      expect(unhandled).to.deep.equal([]);
      let thrown: unknown;
      await judge.report(fleet).catch((err: unknown) => (thrown = err));
      expect(thrown).to.be.instanceOf(TypeError);
    } finally {
      process.off('unhandledRejection', record);
    }
  });
});

describe('EarlyJudge while the scan goes on', () => {
  it('judges an account in slices, so the scan\'s other callbacks run between them', async () => {
    const fleet = await loadSnapshot('examples/fleet.json');
    // 33 x 40 = 1,320 instances: three slices of at most 500.
    const many: Snapshot = { ...fleet, instances: Array.from({ length: 40 }, (_, n) => fleet.instances.map((i) => ({ ...i, instanceId: `i-${n.toString(16).padStart(2, '0')}${i.instanceId.slice(2)}` }))).flat() };
    let judged = 0;
    const counting = RULES.map((rule, k) => (k === 0 ? { ...rule, evaluate: (s: Parameters<typeof rule.evaluate>[0]) => (judged++, rule.evaluate(s)) } : rule));
    const judge = new EarlyJudge(counting);
    judge.add(many);
    await new Promise<void>((next) => setImmediate(next));
    expect(judged, 'judged by the time another callback ran').to.be.greaterThan(0).and.lessThan(many.instances.length);
    const report = await judge.report(many);
    expect(judged).to.equal(many.instances.length);
    expect(report).to.deep.equal(buildReport(many, counting));
  });
});
