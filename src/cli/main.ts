#!/usr/bin/env node
import { existsSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import yargs, { type Argv } from 'yargs';
import { RULES } from '../../rules/index.js';
import type { BackupClient } from '@aws-sdk/client-backup';
import { ErrorLog, isDenied } from '../collect/aws-error.js';
import { findPlan, listEc2Jobs, readSelections } from '../collect/backup.js';
import type { ScanError } from '../facts/snapshot.js';
import { classifyJob, type BackupJobFacts } from '../history/classify.js';
import { attachLastJobs, historyDocument, renderHistory, type RegionRun } from '../history/history.js';
import { backupClient, ssmClient, type AwsAccess } from '../collect/clients.js';
import { regionVssRuns } from '../collect/ssm.js';
import { collect } from '../collect/collect.js';
import { collectAccounts, DEFAULT_MAX_ACCOUNTS, parseAccountsRequest, type AccountsArgs } from '../collect/accounts.js';
import { mergeSnapshots } from '../facts/merge.js';
import { applyPlan, coverage } from '../plan/apply.js';
import { loadPlanFile, loadSelectionsFile } from '../plan/load.js';
import type { PlanFacts } from '../plan/plan.js';
import { planReport } from '../plan/summary.js';
import { resolveRegions } from '../collect/regions.js';
import { capLimits, DEFAULT_LIMITS, RateLimiter } from '../collect/rate-limit.js';
import { buildReport } from '../engine/report.js';
import { UserError } from '../errors.js';
import { phaseDone, timingsLine, timingsWanted } from '../timings.js';
import { loadSnapshot } from '../facts/load.js';
import type { Snapshot } from '../facts/snapshot.js';
import { EXPORT_EXTENSIONS, FORMATS, formatOfFile, REPORT_CHUNKS, type Format } from '../report/index.js';
import { jsonDocument } from '../report/json-chunks.js';
import { closest, renderRuleDoc, renderRuleList } from '../report/catalogue.js';
import type { Report } from '../report/schema.js';
import { summaryLine } from '../report/table.js';
import { partitionByExpiry } from '../engine/suppressions.js';
import { loadSuppressions } from './suppressions.js';
import { progressLine } from './progress.js';
import type { ProgressEvent } from '../collect/collect.js';
import type { Scope } from '../collect/ec2.js';
import { renderDiagnosis, type Diagnosis } from '../report/diagnosis.js';
import { selectRules } from './select-rules.js';
import { writeChunks, writeFileChunks } from './write.js';

export interface Io {
  /** false when the reader is behind: wait for stdoutDrained before writing more. */
  stdout: (s: string) => boolean | void;
  stdoutDrained?: () => Promise<void>;
  /** true once the reader has gone (`scan | head`): the rest of the report is not written. */
  stdoutClosed?: () => boolean;
  stderr: (s: string) => void;
  env: NodeJS.ProcessEnv;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  columns?: number;
}

const processIo = (): Io => ({
  stdout: (s) => process.stdout.write(s),
  stdoutDrained: () =>
    new Promise<void>((resolve) => {
      if (process.stdout.destroyed) return resolve();
      const done = () => {
        process.stdout.off('drain', done).off('close', done);
        resolve();
      };
      process.stdout.on('drain', done).on('close', done);
    }),
  stdoutClosed: () => process.stdout.destroyed,
  stderr: (s) => process.stderr.write(s),
  env: process.env,
  stdoutIsTTY: Boolean(process.stdout.isTTY),
  stderrIsTTY: Boolean(process.stderr.isTTY),
  columns: process.stdout.columns,
});

/** Exit codes (documented in --help and the README). */
export const EXIT = { ok: 0, failOn: 1, usage: 2, partial: 3, internal: 4 } as const;

const VERDICTS = ['application-consistent', 'vss-fallback', 'no-vss', 'unknown'] as const;

/** `--fail-on vss-fallback,unknown`: verdicts that make the run exit 1. */
function parseFailOn(raw: string | undefined): Set<string> {
  const wanted = (raw ?? '').split(',').map((v) => v.trim()).filter(Boolean);
  const bad = wanted.find((v) => !(VERDICTS as readonly string[]).includes(v));
  if (bad) throw new UserError(`--fail-on: "${bad}" is not a verdict; choose from ${VERDICTS.join(', ')}`);
  return new Set(wanted);
}

/** `--export a.html --export b.sarif`: each file's extension must name a format. */
function parseExports(raw: (string | number)[] | undefined): string[] {
  const files = (raw ?? []).map(String);
  const bad = files.find((f) => !formatOfFile(f));
  if (bad) throw new UserError(`--export ${bad}: the extension names no format; use one of ${EXPORT_EXTENSIONS.join(' ')}`);
  return files;
}

/** 1 when an instance's verdict (suppressions applied) is in --fail-on, else 3 when data was missing, else 0. */
function exitCodeOf(report: Report, failOn: Set<string>): number {
  if (report.instances.some((i) => failOn.has(i.gateVerdict))) return EXIT.failOn;
  return report.errors.length ? EXIT.partial : EXIT.ok;
}

/** Errors the SDK raises before any AWS answer, that the user fixes in their setup. */
function setupError(err: unknown, profile: string | undefined): string | undefined {
  const name = err instanceof Error ? err.name : '';
  if (name === 'CredentialsProviderError') {
    return profile
      ? `no AWS credentials for profile "${profile}": check its name in ~/.aws/config, or run \`aws sso login --profile ${profile}\``
      : 'no AWS credentials found: set AWS_PROFILE or pass --profile, run `aws configure` or `aws sso login`, or scan a snapshot with --facts';
  }
  if (['ExpiredToken', 'ExpiredTokenException', 'InvalidClientTokenId', 'UnrecognizedClientException', 'AuthFailure'].includes(name)) {
    return `AWS rejected the credentials (${name}): refresh them (e.g. \`aws sso login\`) and try again`;
  }
  return undefined;
}

const unique = (xs: (string | null)[]) => [...new Set(xs.filter((x): x is string => !!x))];

/** The plan from a file (when the argument names one) or from the account, with its selections. */
async function resolvePlan(access: AwsAccess, region: string, ref: string, selectionsFile: string | undefined): Promise<PlanFacts> {
  const fromFile = ref.endsWith('.json') || existsSync(ref);
  const plan = fromFile ? await loadPlanFile(ref, region) : await accountPlan(access, region, ref);
  if (selectionsFile) return { ...plan, selections: await loadSelectionsFile(selectionsFile) };
  if (!plan.id) throw new UserError(`the plan file ${ref} has no BackupPlanId to read selections with: give --selections FILE`);
  return { ...plan, selections: await accountSelections(access, region, plan.id) };
}

async function withBackup<T>(access: AwsAccess, region: string, action: string, fn: (b: BackupClient) => Promise<T>): Promise<T> {
  const backup = backupClient(access, region);
  try {
    return await fn(backup);
  } catch (err) {
    if (isDenied(err)) throw new UserError(`backup:${action} was denied in ${region}; allow it, or pass the plan and its selections as files`);
    throw err;
  } finally {
    backup.destroy();
  }
}
const accountPlan = (access: AwsAccess, region: string, ref: string) => withBackup(access, region, 'ListBackupPlans', (b) => findPlan(b, region, ref));
const accountSelections = (access: AwsAccess, region: string, id: string) => withBackup(access, region, 'GetBackupSelection', (b) => readSelections(b, id));

const HISTORY_DAYS = 30; // ListBackupJobs covers the last 30 days (vss-facts §5)

/** EC2 backup jobs of the last 30 days in each region; a refused region is an error entry, not a crash. */
async function readJobs(access: AwsAccess, regions: string[], withRuns = false, resourceArn?: string): Promise<{ jobs: BackupJobFacts[]; runs: RegionRun[]; errors: ScanError[]; since: Date }> {
  const since = new Date(Date.now() - HISTORY_DAYS * 86_400_000);
  const log = new ErrorLog();
  const perRegion = await Promise.all(
    regions.map(async (region) => {
      const backup = backupClient(access, region);
      const ssm = ssmClient(access, region);
      try {
        const [jobs, runs] = await Promise.all([
          log.attempt({ service: 'backup', action: 'ListBackupJobs', region }, () => listEc2Jobs(backup, since, resourceArn)),
          withRuns ? log.attempt({ service: 'ssm', action: 'ListCommandInvocations', region }, () => regionVssRuns(ssm, since)) : undefined,
        ]);
        return { jobs: jobs.known ? jobs.value : [], runs: runs?.known ? runs.value : [] };
      } finally {
        backup.destroy();
        ssm.destroy();
      }
    }),
  );
  const jobs = perRegion.flatMap((r) => r.jobs).sort((a, b) => (b.creationDate ?? '').localeCompare(a.creationDate ?? ''));
  return { jobs, runs: perRegion.flatMap((r) => r.runs), errors: log.list(), since };
}

/** One snapshot as it is; several (shards of a CI matrix) merged, each validated on its own first. */
async function loadFacts(files: string[]): Promise<Snapshot> {
  const snapshots = await Promise.all(files.map((f) => loadSnapshot(f)));
  if (snapshots.length === 1) return snapshots[0]!;
  return mergeSnapshots(snapshots.map((snapshot, n) => ({ source: files[n]!, snapshot })));
}

const profileArg = (args: string[]) => {
  const at = args.findIndex((a) => a === '--profile' || a.startsWith('--profile='));
  if (at < 0) return undefined;
  return args[at]!.includes('=') ? args[at]!.slice('--profile='.length) : args[at + 1];
};

/** Where and how to read AWS: the options of the commands that do. */
const awsOptions = <T>(y: Argv<T>) =>
  y
    .option('regions', { type: 'string', describe: 'Comma-separated regions, or "all" enabled ones (default: the configured one)' })
    .option('profile', { type: 'string', describe: 'AWS profile (else AWS_PROFILE and the standard credential chain)' })
    .option('backup-role', { type: 'string', describe: 'ARN of the IAM role AWS Backup uses, to check it may run the VSS document' })
    .option('max-rps', { type: 'string', describe: 'At most N requests/s per AWS service and region (default: under AWS limits)' });

/** `--max-rps N`: a positive number of requests per second. */
function parseMaxRps(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n <= 0) throw new UserError(`--max-rps must be a positive number of requests per second, e.g. --max-rps 5; got "${raw}"`);
  return n;
}

/** How the commands reach AWS: the profile, and one request budget for the whole run. */
function awsAccess(argv: { profile?: string; 'max-rps'?: string }): AwsAccess {
  const maxRps = parseMaxRps(argv['max-rps']);
  return {
    ...(argv.profile ? { profile: argv.profile } : {}),
    limiter: new RateLimiter(maxRps === undefined ? DEFAULT_LIMITS : capLimits(DEFAULT_LIMITS, maxRps)),
  };
}

/**
 * Several accounts: scan and collect take these; check-plan, history and diagnose accept them
 * hidden, only to say clearly that they read one account (strict parsing would say "unknown argument").
 */
const accountOptions = <T>(y: Argv<T>, hidden = false) =>
  y
    .option('accounts', { type: 'string', hidden, describe: 'Comma-separated account ids: assume --role-name in each and scan them all' })
    .option('org', { type: 'boolean', hidden, describe: 'Scan every ACTIVE account of the organization (organizations:ListAccounts)' })
    .option('role-name', { type: 'string', hidden, describe: 'With --accounts/--org: the IAM role (name or path/name) to assume in each account' })
    .option('external-id', { type: 'string', hidden, describe: 'With --accounts/--org: the external id the role\'s trust policy requires' })
    .option('max-accounts', { type: 'number', hidden, describe: `With --accounts/--org: accounts read at once (default ${DEFAULT_MAX_ACCOUNTS})` });

/** check-plan, history and diagnose read one account: a multi-account option there is a mistake to name. */
function singleAccountOnly(command: string, argv: AccountsArgs): void {
  if (argv.accounts !== undefined || argv.org) {
    throw new UserError(`${command} reads one account: drop --accounts/--org and run it with that account's credentials (e.g. --profile)`);
  }
  parseAccountsRequest(argv);
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

async function liveSnapshot(
  access: AwsAccess,
  argv: { regions?: string; 'backup-role'?: string; extraRoleArns?: string[] } & AccountsArgs,
  onProgress?: (e: ProgressEvent) => void,
  scope?: Scope,
): Promise<Snapshot> {
  const backupRoleArn = argv['backup-role'];
  if (backupRoleArn !== undefined && !ROLE_ARN.test(backupRoleArn)) {
    throw new UserError(`--backup-role must be an IAM role ARN like arn:aws:iam::111122223333:role/service-role/AWSBackupDefaultServiceRole, got "${backupRoleArn}"`);
  }
  const request = parseAccountsRequest(argv);
  if (request) {
    return collectAccounts({
      access,
      request,
      regions: argv.regions,
      ...(backupRoleArn ? { backupRoleArn } : {}),
      ...(onProgress ? { onProgress } : {}),
    });
  }
  const regions = await resolveRegions(access, argv.regions);
  return collect({
    access,
    regions,
    ...(backupRoleArn ? { backupRoleArn } : {}),
    ...(argv.extraRoleArns ? { extraRoleArns: argv.extraRoleArns } : {}),
    ...(onProgress ? { onProgress } : {}),
    ...(scope ? { scope } : {}),
  });
}

export async function main(args: string[], io: Io = processIo()): Promise<number> {
  // The SDK warns on Node 20 that releases after January 2027 need Node 22: noise in a CLI's output.
  // Its documented switch; a user who sets it to 'false' still sees the warning.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const debug = args.includes('--debug');
  const color = io.stdoutIsTTY && !io.env['NO_COLOR'];
  /** Reports and snapshots are written in chunks as they are made: a big fleet's is more than one string holds. */
  const emit = async (chunks: Iterable<string>, output: string | undefined) => {
    if (!output) return writeChunks({ write: io.stdout, drained: io.stdoutDrained, closed: io.stdoutClosed }, chunks);
    await writeFileChunks(output, chunks).catch((err: NodeJS.ErrnoException) => {
      if (!err.syscall) throw err; // not the file system's: a bug to report, not a path to change
      throw new UserError(`cannot write ${output}: ${err.code ?? err.message}; choose a writable path for --output`);
    });
  };

  let exitCode: number = EXIT.ok;
  /** One access per run, so every AWS read of a command shares the same request budget. */
  let runAccess: AwsAccess | undefined;
  const accessOf = (argv: Parameters<typeof awsAccess>[0]) => (runAccess ??= awsAccess(argv));
  /** Collect with a progress line on a terminal's stderr, unless --quiet. */
  const collectLive = async (argv: Parameters<typeof liveSnapshot>[1] & Parameters<typeof awsAccess>[0] & { quiet?: boolean }, scope?: Scope) => {
    if (argv.quiet || !io.stderrIsTTY) return liveSnapshot(accessOf(argv), argv, undefined, scope);
    const line = progressLine(io.stderr);
    try {
      return await liveSnapshot(accessOf(argv), argv, line.update, scope);
    } finally {
      line.done();
    }
  };
  const cli = yargs(args)
    .scriptName('vss-preflight')
    .usage('$0 <command> [options]')
    .usage('Predicts which backup each EC2 instance gets from AWS Backup with Windows VSS, and why.')
    .option('debug', { type: 'boolean', describe: 'Print stack traces of unexpected errors' })
    .command(
      'scan',
      'Predict each instance\'s VSS backup outcome and report it',
      (y) =>
        accountOptions(awsOptions(y))
          .option('facts', { type: 'string', array: true, describe: 'Evaluate a snapshot written by `collect` instead of reading AWS; repeat to merge shards (accounts/regions) into one report' })
          .option('format', { choices: FORMATS, default: 'table' as Format, describe: 'Report format' })
          .option('output', { type: 'string', describe: 'Write the report to this file instead of stdout' })
          .option('export', { type: 'string', array: true, describe: `Also write the report to FILE, in the format its extension names (${EXPORT_EXTENSIONS.join(' ')}); repeatable` })
          .option('skip-rules', { type: 'string', describe: 'Comma-separated rule ids to turn off for this run' })
          .option('fail-on', { type: 'string', describe: `Exit 1 when an instance has one of these verdicts (${VERDICTS.join(', ')})` })
          .option('suppressions', { type: 'string', describe: 'YAML or JSON file of accepted findings (rules × instances or tags, reason, expiry)' })
          .option('quiet', { type: 'boolean', describe: 'Print only the report: no progress or notes on stderr' })
          .option('with-history', { type: 'boolean', describe: 'Add each instance\'s last EC2 backup job of the last 30 days (backup:ListBackupJobs)' })
          .example('$0 scan --facts examples/fleet.json', 'Scan the bundled example fleet (no AWS needed)')
          .example('$0 scan --regions eu-west-1,us-east-1 --format json --output report.json', 'Scan two regions, JSON to a file')
          .example('$0 scan --accounts 111122223333,444455556666 --role-name VssPreflightReadOnly', 'Scan two accounts through a role in each')
          .example('$0 scan --facts a.json --facts b.json', 'Merge snapshots collected per account or region into one report'),
      async (argv) => {
        phaseDone('start-up');
        const { rules, skipped } = selectRules(RULES, argv['skip-rules']);
        const failOn = parseFailOn(argv['fail-on']);
        const exports = parseExports(argv.export);
        const today = new Date().toISOString().slice(0, 10);
        const suppressions = argv.suppressions ? partitionByExpiry(await loadSuppressions(argv.suppressions, RULES), today) : undefined;
        const factsFiles = argv.facts?.map(String);
        if (factsFiles && (argv.regions || argv.profile || argv['backup-role'] || argv['max-rps'] || argv.accounts !== undefined || argv.org)) {
          throw new UserError('--facts reads a snapshot and makes no AWS calls: drop --regions/--profile/--backup-role/--max-rps/--accounts/--org, or drop --facts to scan AWS');
        }
        if (argv['with-history'] && (argv.accounts !== undefined || argv.org)) {
          throw new UserError('--with-history reads one account\'s backup jobs: drop it for a multi-account scan, or scan each account on its own');
        }
        let snap: Snapshot | undefined = factsFiles ? await loadFacts(factsFiles) : await collectLive(argv);
        const report = buildReport(snap, rules, { skippedRules: skipped, ...(suppressions ? { suppressions } : {}) });
        phaseDone('rules and report');
        if (argv['with-history']) {
          if (argv.facts) throw new UserError('--with-history reads backup jobs from AWS: drop --facts, or drop --with-history');
          const { jobs, errors } = await readJobs(accessOf(argv), snap.regions);
          attachLastJobs(report, jobs);
          report.errors.push(...errors);
        }
        // The report is all that is written: let the snapshot (and what the rules cached on it) go first.
        snap = undefined;
        const toTerminal = io.stdoutIsTTY && !argv.output;
        await emit(REPORT_CHUNKS[argv.format](report, { color: color && toTerminal, rules, ...(toTerminal && io.columns ? { width: io.columns } : {}) }), argv.output);
        for (const file of exports) await emit(REPORT_CHUNKS[formatOfFile(file)!](report, { color: false, rules }), file);
        phaseDone('format and write');
        if (timingsWanted(io.env)) io.stderr(timingsLine());
        if (!argv.quiet) {
          if (argv.output) io.stderr(`Wrote ${argv.format} report to ${argv.output}: ${summaryLine(report)}\n`);
          for (const file of exports) io.stderr(`Wrote ${formatOfFile(file)} report to ${file}\n`);
          for (const e of report.expiredSuppressions) io.stderr(`Note: suppression ${e.source} expired on ${e.expires} and no longer applies (${e.reason})\n`);
        }
        exitCode = exitCodeOf(report, failOn);
      },
    )
    .command(
      'collect',
      'Write the fleet\'s facts to a snapshot file, for `scan --facts`',
      (y) =>
        accountOptions(awsOptions(y))
          .option('out', { type: 'string', demandOption: true, describe: 'Snapshot file to write' })
          .option('quiet', { type: 'boolean', describe: 'No progress or notes on stderr' }),
      async (argv) => {
        const snap = await collectLive(argv);
        await emit(jsonDocument(snap), argv.out);
        const accounts = snap.accountIds.length > 1 ? `${snap.accountIds.length} accounts, ` : '';
        if (snap.errors.length) exitCode = EXIT.partial;
        if (!argv.quiet) io.stderr(`Wrote facts for ${snap.instances.length} instances in ${accounts}${snap.regions.join(', ')} to ${argv.out}${snap.errors.length ? ` (${snap.errors.length} AWS errors recorded)` : ''}\n`);
      },
    )
    .command(
      'check-plan <plan>',
      'What each instance a backup plan covers gets once VSS is on',
      (y) =>
        accountOptions(awsOptions(y), true)
          .positional('plan', { type: 'string', demandOption: true, describe: 'A backup plan id or name, or a plan JSON file (`aws backup get-backup-plan` output)' })
          .option('selections', { type: 'string', describe: 'Selections JSON file (`aws backup get-backup-selection` output, or a list of them) instead of the account\'s' })
          .option('format', { choices: FORMATS, default: 'table' as Format, describe: 'Report format' })
          .option('output', { type: 'string', describe: 'Write the report to this file instead of stdout' })
          .option('fail-on', { type: 'string', describe: `Exit 1 when a covered instance has one of these verdicts (${VERDICTS.join(', ')})` })
          .option('quiet', { type: 'boolean', describe: 'Print only the report: no progress or notes on stderr' })
          .option('with-history', { type: 'boolean', describe: 'Add each instance\'s last EC2 backup job of the last 30 days' })
          .option('export', { type: 'string', array: true, describe: `Also write the report to FILE, in the format its extension names (${EXPORT_EXTENSIONS.join(' ')}); repeatable` }),
      async (argv) => {
        singleAccountOnly('check-plan', argv);
        const failOn = parseFailOn(argv['fail-on']);
        const exports = parseExports(argv.export);
        const access = accessOf(argv);
        const regions = await resolveRegions(access, argv.regions);
        if (regions.length !== 1) throw new UserError(`a backup plan lives in one region: give one --regions, not ${regions.join(',')}`);
        const region = regions[0]!;
        const plan = await resolvePlan(access, region, argv.plan, argv.selections);
        const roles = unique(plan.selections.map((s) => s.iamRoleArn));
        const snap = await collectLive({ ...argv, regions: region, extraRoleArns: roles });
        const cover = coverage(plan, snap.instances);
        const report = buildReport(applyPlan(snap, cover), RULES);
        report.plan = planReport(plan, cover, report);
        for (const i of report.instances) i.selections = cover.selectionsOf[i.instanceId] ?? [];
        if (argv['with-history']) {
          const { jobs, errors } = await readJobs(access, [region]);
          attachLastJobs(report, jobs);
          report.errors.push(...errors);
        }
        const toTerminal = io.stdoutIsTTY && !argv.output;
        await emit(REPORT_CHUNKS[argv.format](report, { color: color && toTerminal, rules: RULES, ...(toTerminal && io.columns ? { width: io.columns } : {}) }), argv.output);
        for (const file of exports) await emit(REPORT_CHUNKS[formatOfFile(file)!](report, { color: false, rules: RULES }), file);
        if (!argv.quiet && (argv.output || exports.length)) io.stderr(`${report.plan.changeSummary}\n`);
        exitCode = exitCodeOf(report, failOn);
      },
    )
    .command(
      'history',
      'Compare 30 days of backup jobs with today\'s prediction',
      (y) => accountOptions(awsOptions(y), true).option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'Output format' }),
      async (argv) => {
        singleAccountOnly('history', argv);
        const access = accessOf(argv);
        const snap = await collectLive({ ...argv, quiet: true });
        const report = buildReport(snap, RULES);
        const { jobs, runs, errors, since } = await readJobs(access, snap.regions, true);
        const doc = historyDocument(report, jobs, runs, since, errors);
        io.stdout(argv.format === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : renderHistory(doc, new Map(report.instances.map((i) => [i.instanceId, i.name]))));
        exitCode = doc.errors.length ? EXIT.partial : EXIT.ok;
      },
    )
    .command(
      'diagnose <instance>',
      'Explain one instance: checks, evidence, verdict, fixes in order',
      (y) =>
        accountOptions(awsOptions(y), true)
          .positional('instance', { type: 'string', demandOption: true, describe: 'An instance id (i-...) or its Name tag' })
          .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'Output format' }),
      async (argv) => {
        singleAccountOnly('diagnose', argv);
        const scope = /^i-[0-9a-f]{8,17}$/.test(argv.instance) ? { instanceId: argv.instance } : { name: argv.instance };
        const snap = await collectLive({ ...argv, quiet: true }, scope);
        const report = buildReport(snap, RULES);
        const where = snap.regions.join(', ');
        if (!report.instances.length) {
          const denied = snap.errors.find((e) => e.action === 'DescribeInstances');
          if (denied) throw new UserError(`cannot look up ${argv.instance}: ec2:DescribeInstances was denied in ${denied.region}; allow it for the scanning identity`);
          throw new UserError(`no instance ${scope.instanceId ?? `named "${argv.instance}"`} in ${where} (terminated ones are not listed); check the ${scope.instanceId ? 'id' : 'Name tag'} and --regions`);
        }
        if (report.instances.length > 1) {
          const list = report.instances.map((i) => `${i.instanceId} (${i.region}, ${i.state})`).join(', ');
          throw new UserError(`the name "${argv.instance}" matches ${report.instances.length} instances: ${list}; give an instance id`);
        }
        const instance = report.instances[0]!;
        const facts = snap.instances[0]!;
        const runs = facts.vssRuns;
        const arn = `arn:aws:ec2:${instance.region}:${instance.accountId}:instance/${instance.instanceId}`;
        const history = await readJobs(accessOf(argv), [instance.region], false, arn);
        attachLastJobs(report, history.jobs);
        const diagnosis: Diagnosis = {
          schemaVersion: 1,
          generatedAt: report.generatedAt,
          instance,
          vssRuns: !runs ? { unavailable: 'not read' } : runs.known ? runs.value : { unavailable: runs.reason },
          backupJobs: history.errors.length
            ? { unavailable: `backup:ListBackupJobs failed: ${history.errors[0]!.code}` }
            : history.jobs.filter((j) => j.instanceId === instance.instanceId).slice(0, 5).map((j) => ({ ...j, outcome: classifyJob(j) })),
          errors: [...report.errors, ...history.errors],
        };
        io.stdout(argv.format === 'json' ? `${JSON.stringify(diagnosis, null, 2)}\n` : renderDiagnosis(diagnosis, RULES));
        exitCode = report.errors.length ? EXIT.partial : EXIT.ok;
      },
    )
    .command(
      'rules',
      'List every rule with its severity and source',
      (y) => y,
      () => {
        io.stdout(renderRuleList(RULES));
      },
    )
    .command(
      'explain <rule>',
      'Print a rule\'s full documentation',
      (y) => y.positional('rule', { type: 'string', demandOption: true, describe: 'A rule id, as `vss-preflight rules` lists them' }),
      (argv) => {
        const rule = RULES.find((r) => r.id === argv.rule);
        if (!rule) {
          const near = closest(RULES.map((r) => r.id), argv.rule);
          throw new UserError(`no rule "${argv.rule}"${near.length ? `; did you mean ${near.join(' or ')}?` : ''} (list them with \`vss-preflight rules\`)`);
        }
        io.stdout(renderRuleDoc(rule));
      },
    )
    .demandCommand(1, 'give a command: scan, check-plan, history, collect, diagnose, rules or explain (see --help)')
    .epilogue(
      'Exit codes: 0 scan complete, no verdict in --fail-on; 1 an instance has a verdict in --fail-on; 2 usage or input error; ' +
        '3 the scan was partial (AWS data could not be read) and --fail-on did not decide; 4 internal error.\n' +
        'Docs: README.md. AWS settings (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL) are honoured.',
    )
    .strict()
    .help()
    .version()
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((msg, err) => {
      // yargs writes some messages over two lines; an error here is always one.
      throw err ?? new UserError(`${msg.replace(/\s*\n\s*/g, ' ')}; see --help`);
    });

  try {
    await cli.parseAsync();
    return exitCode;
  } catch (err) {
    const message = err instanceof UserError ? err.message : setupError(err, profileArg(args));
    if (message) {
      io.stderr(`vss-preflight: ${message}\n`);
      if (debug && err instanceof Error) io.stderr(`${err.stack}\n`);
      return EXIT.usage;
    }
    io.stderr(`vss-preflight: internal error: ${err instanceof Error ? err.message : String(err)}${debug ? '' : ' (run with --debug for details, and please report it)'}\n`);
    if (debug && err instanceof Error) io.stderr(`${err.stack}\n`);
    return EXIT.internal;
  }
}

// Run when executed (bin or `node main.js`), not when imported by tests.
const invoked = process.argv[1] ? realpathSync(process.argv[1]) : '';
if (invoked === fileURLToPath(import.meta.url)) {
  // `scan | head`: the reader is gone, so stop quietly as other Unix tools do. Node destroys
  // stdout on EPIPE; the report writer sees that and stops, and the run ends with its own code.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
  process.exitCode = await main(process.argv.slice(2));
}
