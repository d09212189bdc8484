import type { Argv } from 'yargs';
import { RULES } from '../../../rules/index.js';
import { buildReport } from '../../engine/report.js';
import { UserError } from '../../errors.js';
import { attachLastJobs } from '../../history/history.js';
import { applyPlan, coverage } from '../../plan/apply.js';
import { planReport } from '../../plan/summary.js';
import { EXPORT_EXTENSIONS, FORMATS, type Format } from '../../report/index.js';
import type { Context } from '../context.js';
import { accountOptions, awsOptions, exitCodeOf, parseExports, parseFailOn, singleAccountOnly, VERDICTS, writeReport } from '../options.js';

const unique = (xs: (string | null)[]) => [...new Set(xs.filter((x): x is string => !!x))];

export const checkPlanCommand = <T>(cli: Argv<T>, ctx: Context) =>
  cli.command(
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
      const aws = await ctx.aws();
      const regions = await aws.regions(argv);
      if (regions.length !== 1) throw new UserError(`a backup plan lives in one region: give one --regions, not ${regions.join(',')}`);
      const region = regions[0]!;
      const plan = await aws.plan(argv, region, argv.plan, argv.selections);
      const roles = unique(plan.selections.map((s) => s.iamRoleArn));
      const snap = await aws.snapshot({ ...argv, regions: region, extraRoleArns: roles });
      const cover = coverage(plan, snap.instances);
      const report = buildReport(applyPlan(snap, cover), RULES);
      report.plan = planReport(plan, cover, report);
      for (const i of report.instances) i.selections = cover.selectionsOf[i.instanceId] ?? [];
      if (argv['with-history']) {
        const { jobs, errors } = await aws.jobs(argv, [region]);
        attachLastJobs(report, jobs);
        report.errors.push(...errors);
      }
      await writeReport(ctx, report, RULES, argv, exports);
      if (!argv.quiet && (argv.output || exports.length)) ctx.io.stderr(`${report.plan.changeSummary}\n`);
      ctx.exitCode = exitCodeOf(report, failOn);
    },
  );
