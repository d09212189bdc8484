import type { Argv } from 'yargs';
import { RULES } from '../../../rules/index.js';
import { buildReport } from '../../engine/report.js';
import { historyDocument, renderHistory } from '../../history/history.js';
import { EXIT, type Context } from '../context.js';
import { accountOptions, awsOptions, singleAccountOnly } from '../options.js';

export const historyCommand = <T>(cli: Argv<T>, ctx: Context) =>
  cli.command(
    'history',
    'Compare 30 days of backup jobs with today\'s prediction',
    (y) => accountOptions(awsOptions(y), true).option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'Output format' }),
    async (argv) => {
      singleAccountOnly('history', argv);
      const aws = await ctx.aws();
      const snap = await aws.snapshot({ ...argv, quiet: true });
      const report = buildReport(snap, RULES);
      const { jobs, runs, errors, since } = await aws.jobs(argv, snap.regions, true);
      const doc = historyDocument(report, jobs, runs, since, errors);
      ctx.io.stdout(argv.format === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : renderHistory(doc, new Map(report.instances.map((i) => [i.instanceId, i.name]))));
      ctx.exitCode = doc.errors.length ? EXIT.partial : EXIT.ok;
    },
  );
