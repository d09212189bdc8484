import type { Argv } from 'yargs';
import { RULES } from '../../../rules/index.js';
import { EarlyJudge } from '../../engine/early-judge.js';
import { buildReport } from '../../engine/report.js';
import { partitionByExpiry } from '../../engine/suppressions.js';
import { UserError } from '../../errors.js';
import { loadSnapshot } from '../../facts/load.js';
import { mergeSnapshots } from '../../facts/merge.js';
import type { Snapshot } from '../../facts/snapshot.js';
import { attachLastJobs } from '../../history/history.js';
import { EXPORT_EXTENSIONS, formatOfFile, FORMATS, type Format } from '../../report/index.js';
import type { Report } from '../../report/schema.js';
import { summaryLine } from '../../report/table.js';
import { phaseDone, timingsLine, timingsWanted } from '../../timings.js';
import type { Context } from '../context.js';
import { accountOptions, awsOptions, exitCodeOf, parseExports, parseFailOn, VERDICTS, writeReport } from '../options.js';
import { collectGarbage } from '../memory.js';
import { selectRules } from '../select-rules.js';

/** One snapshot as it is; several (shards of a CI matrix) merged, each validated on its own first. */
async function loadFacts(files: string[]): Promise<Snapshot> {
  const snapshots = await Promise.all(files.map((f) => loadSnapshot(f)));
  if (snapshots.length === 1) return snapshots[0]!;
  return mergeSnapshots(snapshots.map((snapshot, n) => ({ source: files[n]!, snapshot })));
}

/** A suppressions file, read with the YAML parser, which only this option needs. */
async function suppressionsOf(file: string) {
  const { loadSuppressions } = await import('../suppressions.js');
  const today = new Date().toISOString().slice(0, 10);
  return partitionByExpiry(await loadSuppressions(file, RULES), today);
}

export const scanCommand = <T>(cli: Argv<T>, ctx: Context) =>
  cli.command(
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
      const { io } = ctx;
      const { rules, skipped } = selectRules(RULES, argv['skip-rules']);
      const failOn = parseFailOn(argv['fail-on']);
      const exports = parseExports(argv.export);
      const suppressions = argv.suppressions ? await suppressionsOf(argv.suppressions) : undefined;
      const factsFiles = argv.facts?.map(String);
      if (factsFiles && (argv.regions || argv.profile || argv['backup-role'] || argv['max-rps'] || argv.accounts !== undefined || argv.org)) {
        throw new UserError('--facts reads a snapshot and makes no AWS calls: drop --regions/--profile/--backup-role/--max-rps/--accounts/--org, or drop --facts to scan AWS');
      }
      if (argv['with-history'] && (argv.accounts !== undefined || argv.org)) {
        throw new UserError('--with-history reads one account\'s backup jobs: drop it for a multi-account scan, or scan each account on its own');
      }
      const reportOptions = { skippedRules: skipped, ...(suppressions ? { suppressions } : {}) };
      let snap: Snapshot | undefined;
      let report: Report;
      if (factsFiles) {
        snap = await loadFacts(factsFiles);
        report = buildReport(snap, rules, reportOptions);
      } else {
        // A multi-account scan judges each account while the others are read.
        const judge = new EarlyJudge(rules, reportOptions);
        snap = await (await ctx.aws()).snapshot(argv, undefined, (account) => judge.add(account));
        collectGarbage();
        phaseDone('collect');
        report = await judge.report(snap);
      }
      phaseDone('rules and report');
      if (argv['with-history']) {
        if (argv.facts) throw new UserError('--with-history reads backup jobs from AWS: drop --facts, or drop --with-history');
        const { jobs, errors } = await (await ctx.aws()).jobs(argv, snap.regions);
        attachLastJobs(report, jobs);
        report.errors.push(...errors);
      }
      // The report is all that is written: let the snapshot (and what the rules cached on it) go first.
      snap = undefined;
      await writeReport(ctx, report, rules, argv, exports);
      phaseDone('format and write');
      if (timingsWanted(io.env)) io.stderr(timingsLine());
      if (!argv.quiet) {
        if (argv.output) io.stderr(`Wrote ${argv.format} report to ${argv.output}: ${summaryLine(report)}\n`);
        for (const file of exports) io.stderr(`Wrote ${formatOfFile(file)} report to ${file}\n`);
        for (const e of report.expiredSuppressions) io.stderr(`Note: suppression ${e.source} expired on ${e.expires} and no longer applies (${e.reason})\n`);
      }
      ctx.exitCode = exitCodeOf(report, failOn);
    },
  );
