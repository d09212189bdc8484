#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import yargs from 'yargs';
import { UserError } from '../errors.js';
import type { AwsRun } from './aws-run.js';
import { catalogueCommands } from './commands/catalogue.js';
import { checkPlanCommand } from './commands/check-plan.js';
import { collectCommand } from './commands/collect.js';
import { diagnoseCommand } from './commands/diagnose.js';
import { historyCommand } from './commands/history.js';
import { scanCommand } from './commands/scan.js';
import { EXIT, type Context, type Io } from './context.js';
import { writeChunks, writeFileChunks } from './write.js';

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

const profileArg = (args: string[]) => {
  const at = args.findIndex((a) => a === '--profile' || a.startsWith('--profile='));
  if (at < 0) return undefined;
  return args[at]!.includes('=') ? args[at]!.slice('--profile='.length) : args[at + 1];
};

export async function main(args: string[], io: Io = processIo()): Promise<number> {
  // The SDK warns on Node 20 that releases after January 2027 need Node 22: noise in a CLI's output.
  // Its documented switch; a user who sets it to 'false' still sees the warning.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const debug = args.includes('--debug');
  let aws: AwsRun | undefined;
  const ctx: Context = {
    io,
    color: io.stdoutIsTTY && !io.env['NO_COLOR'],
    /** Reports and snapshots are written in chunks as they are made: a big fleet's is more than one string holds. */
    async emit(chunks, output) {
      if (!output) return writeChunks({ write: io.stdout, drained: io.stdoutDrained, closed: io.stdoutClosed }, chunks);
      await writeFileChunks(output, chunks).catch((err: NodeJS.ErrnoException) => {
        if (!err.syscall) throw err; // not the file system's: a bug to report, not a path to change
        throw new UserError(`cannot write ${output}: ${err.code ?? err.message}; choose a writable path for --output`);
      });
    },
    aws: async () => (aws ??= (await import('./aws-run.js')).awsRun(io)),
    exitCode: EXIT.ok,
  };
  const base = yargs(args)
    .scriptName('vss-preflight')
    .usage('$0 <command> [options]')
    .usage('Predicts which backup each EC2 instance gets from AWS Backup with Windows VSS, and why.')
    .option('debug', { type: 'boolean', describe: 'Print stack traces of unexpected errors' });
  const commands = [scanCommand, collectCommand, checkPlanCommand, historyCommand, diagnoseCommand, catalogueCommands];
  const cli = commands
    .reduce((y, add) => add(y, ctx), base)
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
    return ctx.exitCode;
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
