import type { Argv } from 'yargs';
import { DEFAULT_MAX_ACCOUNTS, parseAccountsRequest, type AccountsArgs } from '../collect/accounts-request.js';
import type { Rule } from '../engine/types.js';
import { UserError } from '../errors.js';
import { EXPORT_EXTENSIONS, formatOfFile, REPORT_CHUNKS, type Format } from '../report/index.js';
import type { Report } from '../report/schema.js';
import { EXIT, type Context } from './context.js';

/** Options and checks that several commands share. */

export const VERDICTS = ['application-consistent', 'vss-fallback', 'no-vss', 'unknown'] as const;

/** `--fail-on vss-fallback,unknown`: verdicts that make the run exit 1. */
export function parseFailOn(raw: string | undefined): Set<string> {
  const wanted = (raw ?? '').split(',').map((v) => v.trim()).filter(Boolean);
  const bad = wanted.find((v) => !(VERDICTS as readonly string[]).includes(v));
  if (bad) throw new UserError(`--fail-on: "${bad}" is not a verdict; choose from ${VERDICTS.join(', ')}`);
  return new Set(wanted);
}

/** `--export a.html --export b.sarif`: each file's extension must name a format. */
export function parseExports(raw: (string | number)[] | undefined): string[] {
  const files = (raw ?? []).map(String);
  const bad = files.find((f) => !formatOfFile(f));
  if (bad) throw new UserError(`--export ${bad}: the extension names no format; use one of ${EXPORT_EXTENSIONS.join(' ')}`);
  return files;
}

/** 1 when an instance's verdict (suppressions applied) is in --fail-on, else 3 when data was missing, else 0. */
export function exitCodeOf(report: Report, failOn: Set<string>): number {
  if (report.instances.some((i) => failOn.has(i.gateVerdict))) return EXIT.failOn;
  return report.errors.length ? EXIT.partial : EXIT.ok;
}

/** The report in --format to --output (or stdout, coloured and fitted on a terminal), then each --export file. */
export async function writeReport(ctx: Context, report: Report, rules: readonly Rule[], argv: { format: Format; output?: string | undefined }, exports: string[]): Promise<void> {
  const toTerminal = ctx.io.stdoutIsTTY && !argv.output;
  const width = toTerminal && ctx.io.columns ? { width: ctx.io.columns } : {};
  await ctx.emit(REPORT_CHUNKS[argv.format](report, { color: ctx.color && toTerminal, rules, ...width }), argv.output);
  for (const file of exports) await ctx.emit(REPORT_CHUNKS[formatOfFile(file)!](report, { color: false, rules }), file);
}

/** Where and how to read AWS: the options of the commands that do. */
export const awsOptions = <T>(y: Argv<T>) =>
  y
    .option('regions', { type: 'string', describe: 'Comma-separated regions, or "all" enabled ones (default: the configured one)' })
    .option('profile', { type: 'string', describe: 'AWS profile (else AWS_PROFILE and the standard credential chain)' })
    .option('backup-role', { type: 'string', describe: 'ARN of the IAM role AWS Backup uses, to check it may run the VSS document' })
    .option('max-rps', { type: 'string', describe: 'At most N requests/s per AWS service and region (default: under AWS limits)' });

/**
 * Several accounts: scan and collect take these; check-plan, history and diagnose accept them
 * hidden, only to say clearly that they read one account (strict parsing would say "unknown argument").
 */
export const accountOptions = <T>(y: Argv<T>, hidden = false) =>
  y
    .option('accounts', { type: 'string', hidden, describe: 'Comma-separated account ids: assume --role-name in each and scan them all' })
    .option('org', { type: 'boolean', hidden, describe: 'Scan every ACTIVE account of the organization (organizations:ListAccounts)' })
    .option('role-name', { type: 'string', hidden, describe: 'With --accounts/--org: the IAM role (name or path/name) to assume in each account' })
    .option('external-id', { type: 'string', hidden, describe: 'With --accounts/--org: the external id the role\'s trust policy requires' })
    .option('max-accounts', { type: 'number', hidden, describe: `With --accounts/--org: accounts read at once (default ${DEFAULT_MAX_ACCOUNTS})` });

/** check-plan, history and diagnose read one account: a multi-account option there is a mistake to name. */
export function singleAccountOnly(command: string, argv: AccountsArgs): void {
  if (argv.accounts !== undefined || argv.org) {
    throw new UserError(`${command} reads one account: drop --accounts/--org and run it with that account's credentials (e.g. --profile)`);
  }
  parseAccountsRequest(argv);
}
