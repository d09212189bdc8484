import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Report } from '../../src/report/schema.js';
import { runCli, withFakeAws } from './harness.js';
import { ids, world } from './worlds.js';

const tmp = mkdtempSync(join(tmpdir(), 'vss-preflight-pipeline-'));
const file = (name: string, text: string) => {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
};
const EXCHANGE = 'i-0a000000000000004'; // exchange-01: its role lacks the VSS permissions
const FLEET = ['scan', '--facts', 'examples/fleet.json'];

describe('exit codes for pipelines', () => {
  describe('a complete scan', () => {
    const [good, bad] = ids('d', 2) as [string, string];
    const { fake } = withFakeAws(() => world({ 'eu-west-1': [{ id: good, os: 'windows' }, { id: bad, os: 'windows', pkg: false }] }));

    it('0 when nothing matches --fail-on, 1 when an instance does', async () => {
      expect((await runCli(['scan', '--fail-on', 'no-vss,unknown'], { fake: fake() })).code).to.equal(0);
      expect((await runCli(['scan', '--fail-on', 'vss-fallback'], { fake: fake() })).code).to.equal(1);
    });
  });

  it('3 when data could not be read and --fail-on does not decide; 1 when it does', async () => {
    expect((await runCli([...FLEET, '--quiet'])).code).to.equal(3);
    expect((await runCli([...FLEET, '--fail-on', 'vss-fallback'])).code).to.equal(1);
  });

  it('--quiet prints the report and nothing else', async () => {
    const run = await runCli([...FLEET, '--quiet', '--output', join(tmp, 'quiet.txt')]);
    expect(run.stdout).to.equal('');
    expect(run.stderr).to.equal('');
  });

  it('a live scan writes no progress when stderr is not a terminal', async () => {
    const run = await runCli(['scan', '--facts', 'examples/fleet.json', '--format', 'json']);
    expect(run.stderr).to.equal('');
  });
});

describe('suppressions', () => {
  const yaml = (expires: string) =>
    file(
      `s-${expires}.yaml`,
      ['suppressions:', '  - rules: [instance-role-grants-vss]', `    instances: [${EXCHANGE}]`, '    reason: Exchange moves to a new role in Q1', `    expires: ${expires}`].join('\n'),
    );

  it('marks the finding, keeps the prediction, and keeps it out of --fail-on', async () => {
    const run = await runCli([...FLEET, '--format', 'json', '--suppressions', yaml('2099-12-31'), '--fail-on', 'vss-fallback']);
    const report = JSON.parse(run.stdout) as Report;
    const exchange = report.instances.find((i) => i.instanceId === EXCHANGE)!;
    expect(exchange.verdict).to.equal('vss-fallback');
    expect(exchange.gateVerdict).to.equal('application-consistent');
    expect(exchange.findings.find((f) => f.ruleId === 'instance-role-grants-vss')!.suppressed).to.deep.include({ reason: 'Exchange moves to a new role in Q1', expires: '2099-12-31' });
    expect(report.fixPlan.flatMap((s) => s.instances)).to.not.include(EXCHANGE);
    expect(run.code).to.equal(1); // other instances still fall back
  });

  it('suppresses by tag in JSON too', async () => {
    const json = file('tags.json', JSON.stringify({ suppressions: [{ rules: ['instance-type-supported'], tags: { Name: 'tiny-01' }, reason: 'lab box', expires: '2099-01-01' }] }));
    const report = JSON.parse((await runCli([...FLEET, '--format', 'json', '--suppressions', json])).stdout) as Report;
    const tiny = report.instances.find((i) => i.name === 'tiny-01')!;
    expect(tiny.gateVerdict).to.equal('application-consistent');
  });

  it('reports an expired suppression and no longer applies it', async () => {
    const run = await runCli([...FLEET, '--format', 'json', '--suppressions', yaml('2020-01-31')]);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.expiredSuppressions).to.have.length(1);
    expect(report.instances.find((i) => i.instanceId === EXCHANGE)!.gateVerdict).to.equal('vss-fallback');
    expect(run.stderr).to.match(/suppression .*s-2020-01-31\.yaml#1 expired on 2020-01-31 and no longer applies/);
  });

  const bad: [string, string, RegExp][] = [
    ['no reason', 'suppressions:\n  - rules: [ssm-managed]\n    instances: [i-0abc]\n    expires: 2027-01-01\n', /at suppressions\.#1\.reason/],
    ['no expiry', 'suppressions:\n  - rules: [ssm-managed]\n    instances: [i-0abc]\n    reason: x\n', /at suppressions\.#1\.expires/],
    ['unknown rule', 'suppressions:\n  - rules: [ssm-manged]\n    instances: [i-0abc]\n    reason: x\n    expires: 2027-01-01\n', /entry #1 names no rule "ssm-manged"/],
    ['no target', 'suppressions:\n  - rules: [ssm-managed]\n    reason: x\n    expires: 2027-01-01\n', /give instances or tags/],
    ['not YAML', 'suppressions: [\n', /is not YAML or JSON/],
  ];
  for (const [name, text, says] of bad) {
    it(`rejects a file with ${name} in one line, exit 2`, async () => {
      const run = await runCli([...FLEET, '--suppressions', file(`${name.replace(/ /g, '-')}.yaml`, text)]);
      expect(run.code).to.equal(2);
      expect(run.stderr.trimEnd().split('\n')).to.have.length(1);
      expect(run.stderr).to.match(says);
    });
  }
});
