import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SNAPSHOT_SCHEMA_VERSION } from '../../src/facts/snapshot.js';
import { expectUsageError, runCli, withFakeAws } from './harness.js';
import { ids, world } from './worlds.js';

const tmp = mkdtempSync(join(tmpdir(), 'vss-preflight-cli-'));
const file = (name: string, text: string) => {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
};


describe('CLI input errors', () => {
  const cases: { name: string; args: string[]; says: RegExp }[] = [
    { name: 'unknown option', args: ['scan', '--facts', 'examples/fleet.json', '--frmat', 'json'], says: /Unknown argument: frmat.*--help/ },
    { name: 'no command', args: [], says: /give a command: scan, check-plan, history, collect, diagnose, rules or explain/ },
    { name: 'bad --format', args: ['scan', '--facts', 'examples/fleet.json', '--format', 'xml'], says: /Invalid values: Argument: format, Given: "xml", Choices: "table", "json".*; see --help/ },
    { name: 'missing facts file', args: ['scan', '--facts', 'no/such.json'], says: /cannot read facts file no\/such\.json: no such file; create one with `vss-preflight collect --out FILE`/ },
    { name: 'facts file is not JSON', args: ['scan', '--facts', file('bad.json', '{ nope')], says: /is not valid JSON/ },
    {
      name: 'facts file of the wrong shape',
      args: ['scan', '--facts', file('shape.json', JSON.stringify({ schemaVersion: SNAPSHOT_SCHEMA_VERSION, instances: 'many' }))],
      says: /is not a vss-preflight facts snapshot: at generatedAt: /,
    },
    { name: 'facts file of a future version', args: ['scan', '--facts', file('v9.json', JSON.stringify({ schemaVersion: 9 }))], says: new RegExp(`schemaVersion 9, this version reads ${SNAPSHOT_SCHEMA_VERSION}`) },
    { name: 'facts plus live options', args: ['scan', '--facts', 'examples/fleet.json', '--regions', 'eu-west-1'], says: /--facts reads a snapshot and makes no AWS calls/ },
    { name: 'unknown rule to skip', args: ['scan', '--facts', 'examples/fleet.json', '--skip-rules', 'ssm-manged'], says: /--skip-rules: no rule "ssm-manged"; rule ids are windows-platform, ssm-managed/ },
    { name: '--export to an unknown extension', args: ['scan', '--facts', 'examples/fleet.json', '--export', 'report.pdf'], says: /--export report\.pdf: the extension names no format; use one of \.txt \.json/ },
    { name: 'malformed --backup-role', args: ['scan', '--regions', 'eu-west-1', '--backup-role', 'AWSBackupDefaultServiceRole'], says: /--backup-role must be an IAM role ARN like arn:aws:iam::/ },
    { name: 'malformed region name', args: ['scan', '--regions', 'eu_west_1'], says: /"eu_west_1" is not a region name/ },
    { name: 'collect without --out', args: ['collect'], says: /Missing required argument: out; see --help/ },
    { name: 'unwritable --output', args: ['scan', '--facts', 'examples/fleet.json', '--output', '/proc/nope/report.txt'], says: /cannot write \/proc\/nope\/report\.txt: ENOENT; choose a writable path for --output/ },
  ];
  for (const c of cases) {
    it(c.name, async () => expectUsageError(await runCli(c.args), c.says));
  }

  it('no region configured and none given', async () => {
    const run = await runCli(['scan'], { env: { AWS_ACCESS_KEY_ID: 'AKIDFAKE', AWS_SECRET_ACCESS_KEY: 'fake' } });
    expectUsageError(run, /no AWS region configured: pass --regions/);
  });

  it('--debug adds the stack', async () => {
    const run = await runCli(['scan', '--facts', 'no/such.json', '--debug']);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.match(/\n\s+at /);
  });

  describe('against AWS', () => {
    const { fake } = withFakeAws(() => ({ ...world({ 'eu-west-1': [{ id: ids('9', 1)[0]!, os: 'windows' }] }), regions: { 'eu-west-1': {}, 'ap-east-1': { optInStatus: 'not-opted-in' } } }));

    it('unknown region name', async () => {
      expectUsageError(await runCli(['scan', '--regions', 'eu-wast-1'], { fake: fake() }), /unknown region "eu-wast-1": choose from ap-east-1, eu-west-1, us-east-1/);
    });

    it('region not enabled for the account', async () => {
      expectUsageError(await runCli(['scan', '--regions', 'ap-east-1'], { fake: fake() }), /region ap-east-1 is not enabled for this account/);
    });

    it('no credentials anywhere', async () => {
      const run = await runCli(['scan', '--regions', 'eu-west-1'], { env: { AWS_ENDPOINT_URL: fake().url } });
      expectUsageError(run, /no AWS credentials found: set AWS_PROFILE or pass --profile/);
    });

    it('a profile that does not exist', async () => {
      const run = await runCli(['scan', '--regions', 'eu-west-1', '--profile', 'nope'], { env: { AWS_ENDPOINT_URL: fake().url } });
      expectUsageError(run, /no AWS credentials for profile "nope"/);
    });
  });
});

describe('CLI output', () => {
  it('--output writes the report to the file, not stdout', async () => {
    const out = join(tmp, 'report.json');
    const run = await runCli(['scan', '--facts', 'examples/fleet.json', '--format', 'json', '--output', out]);
    expect(run.code, run.stderr).to.equal(3); // the example includes a denied call
    expect(run.stdout).to.equal('');
    expect(JSON.parse(readFileSync(out, 'utf8')).summary.instances).to.equal(33);
    expect(run.stderr).to.contain(`Wrote json report to ${out}: 33 instances`);
  });

  it('the default table has a row per instance and the summary line, without colour when piped', async () => {
    const run = await runCli(['scan', '--facts', 'examples/fleet.json'], { env: { NO_COLOR: undefined } });
    expect(run.code, run.stderr).to.equal(3);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).to.match(/^INSTANCE\s+NAME\s+REGION\s+VERDICT\s+REASON$/);
    expect(lines.filter((l) => /^i-[0-9a-f]+ /.test(l))).to.have.length(33);
    expect(run.stdout).to.contain('33 instances: 6 application-consistent, 11 vss-fallback (Completed with issues), 7 no-vss (silently crash-consistent), 9 unknown');
    expect(run.stdout).to.not.contain('\u001b[');
  });

  it('--export writes several formats from one run, by file extension', async () => {
    const base = join(tmp, 'export');
    const run = await runCli(['scan', '--facts', 'examples/fleet.json', '--quiet', '--format', 'json', '--export', `${base}.html`, '--export', `${base}.sarif`, '--export', `${base}.csv`, '--export', `${base}.md`, '--export', `${base}.xml`]);
    expect(run.code).to.equal(3);
    expect(JSON.parse(run.stdout).summary.instances).to.equal(33);
    expect(readFileSync(`${base}.html`, 'utf8')).to.match(/^<!DOCTYPE html>/i);
    expect(JSON.parse(readFileSync(`${base}.sarif`, 'utf8')).version).to.equal('2.1.0');
    expect(readFileSync(`${base}.csv`, 'utf8').split('\r\n')[0]).to.match(/^instanceId,accountId,region,name/);
    expect(readFileSync(`${base}.md`, 'utf8')).to.contain('| Instance |');
    expect(readFileSync(`${base}.xml`, 'utf8')).to.match(/^<\?xml version="1\.0" encoding="UTF-8"\?>\s*<testsuites/);
  });

  it('--skip-rules turns a rule off and the report says so', async () => {
    const run = await runCli(['scan', '--facts', 'examples/fleet.json', '--format', 'json', '--skip-rules', 'vss-components-installed']);
    const report = JSON.parse(run.stdout);
    expect(report.skippedRules).to.deep.equal(['vss-components-installed']);
    expect(report.instances[0].findings.map((f: { ruleId: string }) => f.ruleId)).to.not.include('vss-components-installed');
  });

  it('stops quietly when the reader of stdout goes away (scan | head -n 0)', async () => {
    const { spawnSync } = await import('node:child_process');
    const run = spawnSync('bash', ['-c', `set -o pipefail; ${process.execPath} --import tsx src/cli/main.ts scan --facts examples/fleet.json | head -n 0`], {
      cwd: new URL('../../', import.meta.url).pathname,
      encoding: 'utf8',
    });
    expect(run.stderr).to.not.contain('EPIPE');
    expect(run.status).to.equal(3); // the scan's own code: the example is a partial scan
  });

  it('reads a snapshot and the rule catalogue without loading the AWS SDK', async () => {
    const { spawnSync } = await import('node:child_process');
    const cli = (args: string[], refuse: boolean) =>
      spawnSync(process.execPath, ['--import', 'tsx', ...(refuse ? ['--import', './test/fixtures/refuse-aws-sdk.mjs'] : []), 'src/cli/main.ts', ...args], {
        cwd: new URL('../../', import.meta.url).pathname,
        encoding: 'utf8',
      });
    for (const args of [['scan', '--facts', 'examples/fleet.json', '--format', 'json'], ['rules'], ['explain', 'ssm-managed']]) {
      const run = cli(args, true);
      expect(run.stderr, args.join(' ')).to.not.contain('AWS SDK');
      expect(run.status, args.join(' ')).to.be.oneOf([0, 3]);
    }
    // The hook does refuse the SDK: a command that reads AWS fails under it.
    expect(cli(['collect', '--out', join(tmp, 'never.json')], true).stderr).to.contain('the AWS SDK was loaded');
  });

  it('--help documents the commands and exit codes', async () => {
    const run = await runCli(['--help']);
    expect(run.code).to.equal(0);
    expect(run.stdout).to.match(/scan\s+Predict/);
    expect(run.stdout).to.contain('Exit codes: 0');
  });
});

describe('installed command', () => {
  it('runs as `npx vss-preflight` from a checkout after npm ci, as the README says', async function () {
    // npx's first run from a checkout links it into npx's cache and runs its
    // prepare script (an up-to-date `tsc -b`, about a second); a loaded CI
    // machine can take several times that.
    this.timeout(120_000);
    const { spawnSync } = await import('node:child_process');
    const root = new URL('../../', import.meta.url).pathname;
    const run = spawnSync('npx', ['--no-install', 'vss-preflight', '--version'], { cwd: root, encoding: 'utf8' });
    expect(run.status, `${run.stderr} (build with npm run build)`).to.equal(0);
    expect(run.stdout.trim()).to.match(/^\d+\.\d+\.\d+$/);
  });
});
