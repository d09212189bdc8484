import type { Argv } from 'yargs';
import { RULES } from '../../../rules/index.js';
import { buildReport } from '../../engine/report.js';
import { UserError } from '../../errors.js';
import { classifyJob } from '../../history/classify.js';
import { attachLastJobs } from '../../history/history.js';
import { renderDiagnosis, type Diagnosis } from '../../report/diagnosis.js';
import { EXIT, type Context } from '../context.js';
import { accountOptions, awsOptions, singleAccountOnly } from '../options.js';

export const diagnoseCommand = <T>(cli: Argv<T>, ctx: Context) =>
  cli.command(
    'diagnose <instance>',
    'Explain one instance: checks, evidence, verdict, fixes in order',
    (y) =>
      accountOptions(awsOptions(y), true)
        .positional('instance', { type: 'string', demandOption: true, describe: 'An instance id (i-...) or its Name tag' })
        .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'Output format' }),
    async (argv) => {
      singleAccountOnly('diagnose', argv);
      const aws = await ctx.aws();
      const scope = /^i-[0-9a-f]{8,17}$/.test(argv.instance) ? { instanceId: argv.instance } : { name: argv.instance };
      const snap = await aws.snapshot({ ...argv, quiet: true }, scope);
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
      const history = await aws.jobs(argv, [instance.region], false, arn);
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
      ctx.io.stdout(argv.format === 'json' ? `${JSON.stringify(diagnosis, null, 2)}\n` : renderDiagnosis(diagnosis, RULES));
      ctx.exitCode = report.errors.length ? EXIT.partial : EXIT.ok;
    },
  );
