import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeAws, type FakeAws } from '../fake-aws/server.js';
import type { WorldInput } from '../fake-aws/world.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(root, 'src/cli/main.ts');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export const readJson = <T = unknown>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

/**
 * The environment of a CLI run: an empty HOME and AWS config, so nothing of the developer's
 * leaks in, and with an endpoint, the SDK pointed at the fake through AWS_ENDPOINT_URL.
 */
export function isolatedCliEnv(home: string, endpoint?: { url: string; region: string }): Record<string, string | undefined> {
  return {
    PATH: process.env['PATH'],
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    NO_COLOR: '1',
    ...(endpoint ? { AWS_ENDPOINT_URL: endpoint.url, AWS_ACCESS_KEY_ID: 'AKIDFAKE', AWS_SECRET_ACCESS_KEY: 'fake', AWS_REGION: endpoint.region } : {}),
  };
}

/**
 * Run `fn` in this process with the SDK's standard chain pointed at `url` as the CLI's environment
 * does (isolated HOME, AWS_ENDPOINT_URL, static keys), plus `extra`; the environment is put back after.
 */
export async function withCliEnv<T>(url: string, extra: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const env = { ...isolatedCliEnv(mkdtempSync(join(tmpdir(), 'vss-preflight-home-')), { url, region: 'eu-west-1' }), ...extra };
  delete env['PATH'];
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/**
 * Run the real CLI in a child process, as a user would, with the SDK pointed at the fake
 * endpoint through the standard AWS_ENDPOINT_URL setting. HOME and the AWS config files point
 * at an empty folder, so a developer's own ~/.aws never leaks into a test.
 */
export function runCli(args: string[], options: { fake?: FakeAws; env?: Record<string, string | undefined> } = {}): Promise<CliRun> {
  const home = mkdtempSync(join(tmpdir(), 'vss-preflight-home-'));
  const env = { ...isolatedCliEnv(home, options.fake ? { url: options.fake.url, region: 'eu-west-1' } : undefined), ...options.env };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: root, env: env as NodeJS.ProcessEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Start the fake endpoint with a world for the duration of a describe block. */
export function withFakeAws(world: () => WorldInput): { fake: () => FakeAws } {
  let fake: FakeAws | undefined;
  before(async () => {
    fake = await startFakeAws(world());
  });
  after(async () => {
    await fake?.close();
  });
  return { fake: () => fake! };
}

/** Read-only means every call the scan made is a Describe/Get/List (or the simulator). */
export const READ_ONLY = /^(Describe|Get|List|Simulate)/;

/** A usage error: exit 2, one line on stderr naming the problem, no stack, nothing on stdout. */
export function expectUsageError(run: CliRun, says: RegExp): void {
  expect(run.code, run.stderr).to.equal(2);
  expect(run.stdout).to.equal('');
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines, run.stderr).to.have.length(1);
  expect(lines[0]).to.match(/^vss-preflight: /);
  expect(lines[0]).to.match(says);
  expect(run.stderr).to.not.match(/\n\s+at /);
}
