import type { AwsRun } from './aws-run.js';

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

/** Exit codes (documented in --help and the README). */
export const EXIT = { ok: 0, failOn: 1, usage: 2, partial: 3, internal: 4 } as const;

/** What every command gets from main(): where to write, and the run's one way into AWS. */
export interface Context {
  io: Io;
  /** Colour is wanted on stdout (a terminal, no NO_COLOR). */
  color: boolean;
  /** Write chunks to `output`, or to stdout when there is none. */
  emit(chunks: Iterable<string>, output: string | undefined): Promise<void>;
  /**
   * The AWS side of the run, loaded on first use: the SDK takes about half a second to load,
   * and a command that reads only files (`scan --facts`, `rules`) never needs it.
   */
  aws(): Promise<AwsRun>;
  /** The process's exit code once the command ends. */
  exitCode: number;
}
