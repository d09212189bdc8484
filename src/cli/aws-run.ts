import { existsSync } from 'node:fs';
import type { BackupClient } from '@aws-sdk/client-backup';
import { collectAccounts } from '../collect/accounts.js';
import { parseAccountsRequest, type AccountsArgs } from '../collect/accounts-request.js';
import { ErrorLog, isDenied } from '../collect/aws-error.js';
import { findPlan, listEc2Jobs, readSelections } from '../collect/backup.js';
import { backupClient, ssmClient, type AwsAccess } from '../collect/clients.js';
import { collect, type ProgressEvent } from '../collect/collect.js';
import type { Scope } from '../collect/ec2.js';
import { capLimits, DEFAULT_LIMITS, RateLimiter } from '../collect/rate-limit.js';
import { resolveRegions } from '../collect/regions.js';
import { regionVssRuns } from '../collect/ssm.js';
import { UserError } from '../errors.js';
import type { ScanError, Snapshot } from '../facts/snapshot.js';
import type { BackupJobFacts } from '../history/classify.js';
import type { RegionRun } from '../history/history.js';
import { loadPlanFile, loadSelectionsFile } from '../plan/load.js';
import type { PlanFacts } from '../plan/plan.js';
import type { Io } from './context.js';
import { progressLine } from './progress.js';

/*
 * Everything the commands read from AWS. main() loads this module (and with it the SDK) only
 * when a command first needs AWS; see Context.aws.
 */

/** The options of the commands that read AWS, as awsOptions and accountOptions declare them. */
export interface AccessArgs {
  profile?: string | undefined;
  'max-rps'?: string | undefined;
}
export type LiveArgs = AccessArgs & AccountsArgs & { regions?: string | undefined; 'backup-role'?: string | undefined; extraRoleArns?: string[]; quiet?: boolean | undefined };

/** `--max-rps N`: a positive number of requests per second. */
function parseMaxRps(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n <= 0) throw new UserError(`--max-rps must be a positive number of requests per second, e.g. --max-rps 5; got "${raw}"`);
  return n;
}

/** How the commands reach AWS: the profile, and one request budget for the whole run. */
function awsAccess(argv: AccessArgs): AwsAccess {
  const maxRps = parseMaxRps(argv['max-rps']);
  return {
    ...(argv.profile ? { profile: argv.profile } : {}),
    limiter: new RateLimiter(maxRps === undefined ? DEFAULT_LIMITS : capLimits(DEFAULT_LIMITS, maxRps)),
  };
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/** What a live read may tell as it goes: progress, and each account's snapshot of a multi-account scan. */
interface Listeners {
  onProgress?: ((e: ProgressEvent) => void) | undefined;
  onAccount?: ((snapshot: Snapshot) => void) | undefined;
}

async function liveSnapshot(access: AwsAccess, argv: LiveArgs, { onProgress, onAccount }: Listeners, scope?: Scope): Promise<Snapshot> {
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
      ...(onAccount ? { onAccount } : {}),
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

/** The plan from a file (when the argument names one) or from the account, with its selections. */
async function resolvePlan(access: AwsAccess, region: string, ref: string, selectionsFile: string | undefined): Promise<PlanFacts> {
  const fromFile = ref.endsWith('.json') || existsSync(ref);
  const plan = fromFile ? await loadPlanFile(ref, region) : await accountPlan(access, region, ref);
  if (selectionsFile) return { ...plan, selections: await loadSelectionsFile(selectionsFile) };
  if (!plan.id) throw new UserError(`the plan file ${ref} has no BackupPlanId to read selections with: give --selections FILE`);
  return { ...plan, selections: await accountSelections(access, region, plan.id) };
}

const HISTORY_DAYS = 30; // ListBackupJobs covers the last 30 days (vss-facts §5)

export interface Jobs {
  jobs: BackupJobFacts[];
  runs: RegionRun[];
  errors: ScanError[];
  since: Date;
}

/** EC2 backup jobs of the last 30 days in each region; a refused region is an error entry, not a crash. */
async function readJobs(access: AwsAccess, regions: string[], withRuns = false, resourceArn?: string): Promise<Jobs> {
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

/** A run's reads of AWS, all through one access, so every read of a command shares the same request budget. */
export interface AwsRun {
  access(argv: AccessArgs): AwsAccess;
  /**
   * Collect the fleet's facts, with a progress line on a terminal's stderr unless --quiet.
   * `onAccount` gets each account's snapshot of a multi-account scan as soon as it is read.
   */
  snapshot(argv: LiveArgs, scope?: Scope, onAccount?: (snapshot: Snapshot) => void): Promise<Snapshot>;
  /** The regions --regions names ("all": the enabled ones; none: the configured one). */
  regions(argv: LiveArgs): Promise<string[]>;
  plan(argv: AccessArgs, region: string, ref: string, selectionsFile: string | undefined): Promise<PlanFacts>;
  jobs(argv: AccessArgs, regions: string[], withRuns?: boolean, resourceArn?: string): Promise<Jobs>;
}

export function awsRun(io: Io): AwsRun {
  let runAccess: AwsAccess | undefined;
  const access = (argv: AccessArgs) => (runAccess ??= awsAccess(argv));
  return {
    access,
    async snapshot(argv, scope, onAccount) {
      if (argv.quiet || !io.stderrIsTTY) return liveSnapshot(access(argv), argv, { onAccount }, scope);
      const line = progressLine(io.stderr);
      try {
        return await liveSnapshot(access(argv), argv, { onProgress: line.update, onAccount }, scope);
      } finally {
        line.done();
      }
    },
    regions: (argv) => resolveRegions(access(argv), argv.regions),
    plan: (argv, region, ref, selectionsFile) => resolvePlan(access(argv), region, ref, selectionsFile),
    jobs: (argv, regions, withRuns, resourceArn) => readJobs(access(argv), regions, withRuns, resourceArn),
  };
}
