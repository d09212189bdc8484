import type { Argv } from 'yargs';
import { EXIT, type Context } from '../context.js';
import { jsonDocument } from '../../report/json-chunks.js';
import { accountOptions, awsOptions } from '../options.js';

export const collectCommand = <T>(cli: Argv<T>, ctx: Context) =>
  cli.command(
    'collect',
    'Write the fleet\'s facts to a snapshot file, for `scan --facts`',
    (y) =>
      accountOptions(awsOptions(y))
        .option('out', { type: 'string', demandOption: true, describe: 'Snapshot file to write' })
        .option('quiet', { type: 'boolean', describe: 'No progress or notes on stderr' }),
    async (argv) => {
      const snap = await (await ctx.aws()).snapshot(argv);
      await ctx.emit(jsonDocument(snap), argv.out);
      const accounts = snap.accountIds.length > 1 ? `${snap.accountIds.length} accounts, ` : '';
      if (snap.errors.length) ctx.exitCode = EXIT.partial;
      if (!argv.quiet) ctx.io.stderr(`Wrote facts for ${snap.instances.length} instances in ${accounts}${snap.regions.join(', ')} to ${argv.out}${snap.errors.length ? ` (${snap.errors.length} AWS errors recorded)` : ''}\n`);
    },
  );
