/**
 * `npm run bench [-- --scenario small|small-accounts|10k|50k|offline-100k] [--inventory-filters per-node|per-entry] [--runs N] [--cpu-prof DIR]`: the real CLI, in a child process,
 * against the fake endpoint (127.0.0.1 only) with issue 7's latency and token buckets, on a
 * generated fleet. Prints what the run did and the issue's targets beside the figures. Not a
 * test: it asserts nothing and is not in `npm test`. Every figure is computed from the calls the
 * fake recorded, so it measures the collector as it is, whatever it becomes.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AWS_LIKE_LIMITS } from '../fake-aws/rate-limit.js';
import { startFakeAws } from '../fake-aws/server.js';
import { callSpan, countCalls, isThrottled, lowerBound, naiveCalls } from './figures.js';
import { measure, type Measured } from './measure.js';
import { callsBlock, int, limitsLine, line, lowerBoundBlock, mb, naiveLine, secs, targetsBlock, times, type Target } from './print.js';
import { readReportHead, type ReportHead } from './report-file.js';
import { snapshotOf } from './snapshot.js';
import { Timeline } from './timeline.js';
import { median, parseBenchArgs, usage, type FilterMatch } from './args.js';
import { referenceMs } from './calibrate.js';
import { accountIds, BENCH_READ_ROLE, fleetMix, generateWorld, type FleetSpec } from './worlds.js';
import { isolatedCliEnv } from '../integration/harness.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The CLI as `npx vss-preflight` runs it: compiled by `npm run build` (done below, before measuring). */
const CLI = join(ROOT, 'dist/src/cli/main.js');
const LATENCY_MS = 20;
const LIMITS = AWS_LIKE_LIMITS;
const MB = 1e6 / 1024; // kB per MB

interface Scenario {
  fleet: FleetSpec;
  offline?: true;
  timeoutS: number;
  targets: (f: Figures) => { title: string; list: Target[] };
}

interface Figures {
  m: Measured;
  /** Instances in the report, when it could be read. */
  reported: number | undefined;
  accounts: number;
  expected: number;
  wallS: number;
  lbS?: number;
  iamCalls?: number;
  throttled?: number;
  naiveRatio?: number;
}

/** Exit 0 (or 3: some AWS data missing) with every instance in the report. */
const completed = (f: Figures) => !f.m.timedOut && (f.m.code === 0 || f.m.code === 3) && f.reported === f.expected;
const completes = (f: Figures): Target => ({
  label: 'completes',
  value: f.m.timedOut ? 'timed out' : `exit ${f.m.code}, ${int(f.reported ?? 0)} of ${int(f.expected)} instances`,
  pass: completed(f),
});
const wallTarget = (f: Figures): Target => ({ label: 'wall ≤ 1.5× lower bound', value: times(f.wallS / f.lbS!), pass: f.wallS <= 1.5 * f.lbS! });
const naiveTarget = (f: Figures): Target => ({ label: '≥ 50× fewer calls than naive', value: times(f.naiveRatio!), pass: f.naiveRatio! >= 50 });
const throttleTarget = (f: Figures): Target => ({ label: '0 throttling errors', value: int(f.throttled!), pass: f.throttled === 0 });
const rssTarget = (f: Figures, limitMb: number): Target => ({
  label: `peak RSS ≤ ${int(limitMb)} MB`,
  value: mb(f.m.peakRssKb),
  pass: f.m.peakRssKb === null ? null : f.m.peakRssKb / MB <= limitMb,
});

const SCENARIOS: Record<string, Scenario> = {
  small: {
    fleet: { instances: 1_000, regions: 2, roles: 50 },
    timeoutS: 600,
    targets: (f) => ({ title: 'targets (indicative: issue 7 sets none at this size)', list: [completes(f), wallTarget(f), throttleTarget(f), naiveTarget(f)] }),
  },
  'small-accounts': {
    fleet: { instances: 1_000, regions: 2, roles: 50, accounts: 3 },
    timeoutS: 600,
    targets: (f) => ({
      title: 'targets (indicative: the multi-account path at a small size)',
      list: [completes(f), { label: '3 accounts', value: int(f.accounts), pass: f.accounts >= 3 }, wallTarget(f), throttleTarget(f), naiveTarget(f)],
    }),
  },
  '10k': {
    fleet: { instances: 10_000, regions: 3, roles: 400 },
    timeoutS: 1_800,
    targets: (f) => ({
      title: 'targets (issue 7: 10,000 instances, 3 regions, 1 account, ~400 roles)',
      list: [completes(f), wallTarget(f), { label: '≤ 50 IAM calls', value: int(f.iamCalls!), pass: f.iamCalls! <= 50 }, throttleTarget(f), rssTarget(f, 300), naiveTarget(f)],
    }),
  },
  '50k': {
    fleet: { instances: 50_000, regions: 5, roles: 1_000, accounts: 5 },
    timeoutS: 3_600,
    targets: (f) => ({
      title: 'targets (issue 7: 50,000 instances, 5 regions, 5 accounts)',
      list: [
        completes(f),
        { label: '5 accounts', value: int(f.accounts), pass: f.accounts >= 5 },
        wallTarget(f),
        rssTarget(f, 600),
        naiveTarget(f),
      ],
    }),
  },
  'offline-100k': {
    fleet: { instances: 100_000, regions: 5, roles: 1_000 },
    offline: true,
    timeoutS: 600,
    targets: (f) => ({
      title: 'targets (issue 7: offline scan --facts of 100,000 instances)',
      list: [completes(f), { label: 'wall ≤ 5 s', value: secs(f.wallS), pass: f.wallS <= 5 }, rssTarget(f, 1_000)],
    }),
  },
};

/** VSS_PREFLIGHT_TIMINGS: the CLI ends with a "timings:" line on stderr, its phases' wall times (phasesLine). */
const cliEnv = (home: string, endpoint?: { url: string; region: string }) => ({ ...isolatedCliEnv(home, endpoint), VSS_PREFLIGHT_TIMINGS: '1' }) as NodeJS.ProcessEnv;

const phasesLine = (m: Measured): string[] => {
  const timings = /^timings: (.*)$/m.exec(m.stderrTail);
  return timings ? [line('  phases', timings[1]!)] : [];
};

/** The CLI's command line; with --cpu-prof, each measured run (not the --version start-up) writes a CPU profile. */
const cli = (args: string[]) => [...(cpuProfDir && args[0] !== '--version' ? ['--cpu-prof', `--cpu-prof-dir=${resolve(cpuProfDir)}`] : []), CLI, ...args];

/** Compile first, so the figures are those of the code in the working tree, as users run it. */
function build(): void {
  const run = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (run.status !== 0) throw new Error('npm run build failed; fix the build before benchmarking');
}
const out = (s = '') => process.stdout.write(`${s}\n`);

/** A figure of one run that the summary of several runs gives as min, median and max. */
interface Headline {
  label: string;
  value: number;
  format: (x: number) => string;
}
interface RunResult {
  ok: boolean;
  headlines: Headline[];
}

/**
 * Several runs of one scenario (--runs N): the same figures vary between runs on a shared or
 * virtual machine (by a fifth or more here), so the median says more than any one run.
 */
function summaryBlock(results: RunResult[]): string[] {
  const lines = [`over ${results.length} runs (min, median, max)`];
  for (const [k, first] of results[0]!.headlines.entries()) {
    const values = results.map((r) => r.headlines[k]!.value);
    lines.push(line(`  ${first.label}`, `${first.format(Math.min(...values))}, ${first.format(median(values))}, ${first.format(Math.max(...values))}`));
  }
  return lines;
}

function header(name: string, worldS: number, mix: ReturnType<typeof fleetMix>, regions: string[]) {
  out(`vss-preflight bench: scenario ${name} (${new Date().toISOString()}, node ${process.version})`);
  out(
    line(
      'fleet',
      `${int(mix.instances)} instances in ${regions.length} regions (${regions.join(', ')}), ${mix.accounts} account${mix.accounts === 1 ? '' : 's'}; ${int(mix.windows)} Windows ` +
        `(${int(mix.managedWindows)} SSM-managed, ${int(mix.withInventory)} with inventory, ${int(mix.withoutPackage)} of those without the package), ` +
        `${int(mix.linux)} Linux; ${int(mix.roles)} instance roles; generated in ${secs(worldS)}`,
    ),
  );
}

async function live(name: string, s: Scenario, scratch: string, filterMatch: FilterMatch): Promise<RunResult> {
  let t = performance.now();
  const world = { ...generateWorld(s.fleet), inventoryFilterMatch: filterMatch };
  const worldS = (performance.now() - t) / 1000;
  const mix = fleetMix(world);
  const regions = Object.keys(world.regions);
  const naive = naiveCalls(world);
  header(name, worldS, mix, regions);

  t = performance.now();
  const fake = await startFakeAws(world, { latencyMs: LATENCY_MS, rateLimits: LIMITS });
  out(limitsLine(LATENCY_MS, LIMITS) + `; world loaded in ${secs((performance.now() - t) / 1000)}`);
  out(line('GetInventory', `several filters on one inventory type matched ${filterMatch === 'per-node' ? 'per node, each by any entry' : 'per entry, all by one entry'} (--inventory-filters; AWS does not document which)`));
  try {
    const home = join(scratch, 'home');
    const report = join(scratch, 'report.json');
    const env = cliEnv(home, { url: fake.url, region: regions[0]! });
    const startup = await measure(process.execPath, cli(['--version']), { env, cwd: ROOT, timeoutMs: 60_000, scratch });
    const accounts = s.fleet.accounts ?? 1;
    // Several accounts: the caller's own and a role in each other, all at once (the buckets are per account).
    const multi = accounts > 1 ? ['--accounts', accountIds(accounts).join(','), '--role-name', BENCH_READ_ROLE, '--max-accounts', String(accounts)] : [];
    const args = ['scan', '--regions', regions.join(','), ...multi, '--format', 'json', '--quiet', '--output', report];
    out(line('command', `node dist/src/cli/main.js ${args.slice(0, -1).join(' ')} <tmp>/report.json`));

    const elu = performance.eventLoopUtilization();
    const timeline = new Timeline(fake.calls);
    const m = await measure(process.execPath, cli(args), { env, cwd: ROOT, timeoutMs: s.timeoutS * 1000, scratch });
    timeline.stop();
    const busy = performance.eventLoopUtilization(elu).utilization;
    const head = m.timedOut || (m.code !== 0 && m.code !== 3) ? undefined : readReportHead(report);

    const rows = countCalls(fake.calls);
    const total = fake.calls.length;
    const throttled = fake.calls.filter(isThrottled).length;
    const surfaced = (head?.errors ?? []).filter((e) => isThrottled({ errorCode: e.code })).reduce((n, e) => n + (e.count ?? 1), 0);
    const lb = lowerBound(fake.calls, LATENCY_MS, LIMITS);
    const wallS = m.wallMs / 1000;
    const iamCalls = rows.filter((r) => r.service === 'iam').reduce((n, r) => n + r.calls, 0);

    out(runLine(m, head, mix.instances));
    out();
    for (const l of callsBlock(rows, mix.instances)) out(l);
    out();
    out(line('throttling', `${int(throttled)} calls refused by the fake's buckets; ${int(surfaced)} surfaced as scan errors after the SDK's retries`));
    const errors = (head?.errors ?? []).map((e) => `${e.service}:${e.action}${e.region ? ` ${e.region}` : ''} ${e.code} ×${int(e.count ?? 1)}`);
    if (errors.length) out(line('  scan errors', `${errors.slice(0, 8).join('; ')}${errors.length > 8 ? `; ${errors.length - 8} more` : ''}`));
    out(line('timeline', `${timeline.describe()} (s after the CLI started; sampled every ${Timeline.EVERY_MS} ms)`));
    for (const l of naiveLine(naive, total)) out(l);
    out(line('wall', `${secs(wallS)} (of which CLI start-up, measured alone with --version: ${secs(startup.wallMs / 1000)})`));
    for (const l of lowerBoundBlock(lb, LATENCY_MS)) out(l);
    out(line('wall / lower bound', times(wallS / lb.seconds)));
    const span = callSpan(fake.calls, m.startedMs, lb.buckets[0]?.bucket);
    for (const l of spanBlock(span, wallS)) out(l);
    for (const l of phasesLine(m)) out(l);
    out(line('peak RSS', `${mb(m.peakRssKb)} (${m.rssSource}; start-up alone ${mb(startup.peakRssKb)})`));
    if (m.cpu) out(line('CLI CPU', `${secs(m.cpu.userS + m.cpu.systemS)} (user ${secs(m.cpu.userS)}, system ${secs(m.cpu.systemS)}; all its threads, GC's included) in ${secs(wallS)} of wall`));
    out(line('fake endpoint busy', `${Math.round(busy * 100)}% of the run (the bench process's event loop; near 100% means the fake, not the CLI, set the pace)`));
    out();
    const f: Figures = { m, reported: head?.summary['instances'], accounts: head?.accountIds.length ?? 0, expected: mix.instances, wallS, lbS: lb.seconds, iamCalls, throttled, naiveRatio: naive.total / total };
    const { title, list } = s.targets(f);
    for (const l of targetsBlock(title, list)) out(l);
    if (!completed(f) && m.stderrTail) out(`\nCLI stderr (last lines):\n${m.stderrTail}`);
    const headlines: Headline[] = [
      { label: 'wall', value: wallS, format: secs },
      { label: 'wall / lower bound', value: wallS / lb.seconds, format: times },
      ...(m.peakRssKb !== null ? [{ label: 'peak RSS', value: m.peakRssKb, format: mb }] : []),
      ...(m.cpu ? [{ label: 'CLI CPU', value: m.cpu.userS + m.cpu.systemS, format: secs }] : []),
    ];
    return { ok: completed(f), headlines };
  } finally {
    await fake.close();
  }
}

/**
 * Where the wall time went: before the first AWS call (start-up, credentials), while calls were
 * made (and when the slowest bucket got its first and last), and after the
 * last call (rules, the report, exit).
 */
function spanBlock(span: ReturnType<typeof callSpan>, wallS: number): string[] {
  if (!span) return [];
  const lines = [line('  where it went', `${secs(span.firstS)} to the first AWS call, calls until ${secs(span.lastS)}, then ${secs(wallS - span.lastS)} after the last (rules, report, exit)`)];
  const b = span.bucket;
  if (b) lines.push(line('', `bucket ${b.name}: ${int(b.calls)} calls from ${secs(b.firstS)} to ${secs(b.lastS)}`));
  return lines;
}

function runLine(m: Measured, head: ReportHead | undefined, expected: number): string {
  if (m.timedOut) return line('run', `TIMED OUT and killed after ${secs(m.wallMs / 1000)}`);
  if (!head) return line('run', `exit ${m.code}${m.signal ? ` (${m.signal})` : ''}: no report`);
  const errors = head.errors.reduce((n, e) => n + (e.count ?? 1), 0);
  const accounts = head.accountIds.length;
  return line(
    'run',
    `exit ${m.code}; report: ${int(head.summary['instances'] ?? 0)} of ${int(expected)} instances, ${accounts} account${accounts === 1 ? '' : 's'}, ` +
      `${int(errors)} scan errors; verdicts ${['application-consistent', 'vss-fallback', 'no-vss', 'unknown'].map((v) => `${v} ${int(head.summary[v] ?? 0)}`).join(', ')}`,
  );
}

async function offline(name: string, s: Scenario, scratch: string): Promise<RunResult> {
  let t = performance.now();
  const world = generateWorld(s.fleet);
  const worldS = (performance.now() - t) / 1000;
  const mix = fleetMix(world);
  header(name, worldS, mix, Object.keys(world.regions));
  const facts = join(scratch, 'facts.json');
  t = performance.now();
  // Indented as `collect --out` writes it, so the CLI parses what it would parse in real use.
  writeFileSync(facts, `${JSON.stringify(snapshotOf(world, '2026-11-25T08:00:00.000Z'), null, 2)}\n`);
  out(line('snapshot', `built, validated against the snapshot schema and written in ${secs((performance.now() - t) / 1000)}`));

  const env = cliEnv(join(scratch, 'home'));
  const startup = await measure(process.execPath, cli(['--version']), { env, cwd: ROOT, timeoutMs: 60_000, scratch });
  let ok = true;
  const headlines: Headline[] = [];
  // json and table carry the issue's targets; csv and sarif are measured so a regression in them shows.
  for (const format of ['json', 'table', 'csv', 'sarif']) {
    const targeted = format === 'json' || format === 'table';
    const report = join(scratch, `report.${format}`);
    // The table run is not --quiet: its "Wrote table report to FILE: N instances: ..." line gives the count.
    const quiet = format === 'table' ? [] : ['--quiet'];
    const args = ['scan', '--facts', facts, '--format', format, ...quiet, '--output', report];
    out();
    out(line('command', `node dist/src/cli/main.js scan --facts <tmp>/facts.json --format ${format} ${quiet.join('')} --output <tmp>/report.${format}`.replace('  ', ' ')));
    const m = await measure(process.execPath, cli(args), { env, cwd: ROOT, timeoutMs: s.timeoutS * 1000, scratch });
    const clean = !m.timedOut && (m.code === 0 || m.code === 3);
    const head = format === 'json' && clean ? readReportHead(report) : undefined;
    const wrote = /Wrote table report to .*?: (\d+) instances?/.exec(m.stderrTail);
    const reported = format === 'json' ? head?.summary['instances'] : format === 'table' && wrote && clean ? Number(wrote[1]) : undefined;
    const wallS = m.wallMs / 1000;
    headlines.push({ label: `${format} wall`, value: wallS, format: secs });
    const size = clean ? ` (${mb(statSync(report).size / 1024)})` : '';
    if (format === 'json') out(runLine(m, head, mix.instances));
    else if (format === 'table') out(line('run', m.timedOut ? 'TIMED OUT' : `exit ${m.code}${m.signal ? ` (${m.signal})` : ''}; ${int(reported ?? 0)} instances in the table`));
    else out(line('run', m.timedOut ? 'TIMED OUT' : `exit ${m.code}${m.signal ? ` (${m.signal})` : ''}; report written${size}`));
    out(line('wall', `${secs(wallS)} (of which CLI start-up, measured alone with --version: ${secs(startup.wallMs / 1000)})`));
    for (const l of phasesLine(m)) out(l);
    out(line('peak RSS', `${mb(m.peakRssKb)} (${m.rssSource})`));
    if (targeted) {
      const f: Figures = { m, reported, accounts: head?.accountIds.length ?? 1, expected: mix.instances, wallS };
      const { title, list } = s.targets(f);
      for (const l of targetsBlock(`${title}, --format ${format}`, list)) out(l);
      if (!completed(f) && m.stderrTail) out(`\nCLI stderr (last lines):\n${m.stderrTail}`);
      ok &&= completed(f);
    } else if (!clean) {
      out(`\nCLI stderr (last lines):\n${m.stderrTail}`);
      ok = false;
    }
  }
  return { ok, headlines };
}

const { scenario: name, filterMatch, runs, cpuProfDir } = (() => {
  try {
    const args = parseBenchArgs(process.argv.slice(2), Object.keys(SCENARIOS));
    if (args !== 'help') return args;
    out(usage(Object.keys(SCENARIOS)));
    process.exit(0);
  } catch (err) {
    process.stderr.write(`bench: ${(err as Error).message}\n`);
    process.exit(2);
  }
})();
const scenario = SCENARIOS[name]!;
build();
const cores = cpus();
out(line('machine', `${cores[0]?.model.trim() ?? 'unknown CPU'}, ${cores.length} cores; CPU reference ${int(referenceMs())} ms (test/bench/calibrate.ts: the lower, the faster; compare runs by it)`));
if (cpuProfDir) out(line('CPU profiles', `of each CLI run, in ${resolve(cpuProfDir)} (open them in Chrome DevTools' Performance panel); the profiler slows the CLI`));
const scratch = mkdtempSync(join(tmpdir(), 'vss-preflight-bench-'));
try {
  const results: RunResult[] = [];
  for (let run = 1; run <= runs; run++) {
    if (runs > 1) out(`${run === 1 ? '' : '\n'}run ${run} of ${runs}`);
    results.push(scenario.offline ? await offline(name, scenario, scratch) : await live(name, scenario, scratch, filterMatch));
  }
  if (runs > 1) for (const l of ['', ...summaryBlock(results)]) out(l);
  process.exitCode = results.every((r) => r.ok) ? 0 : 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
