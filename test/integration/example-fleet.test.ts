import { Ajv2020 } from 'ajv/dist/2020.js';
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { RULES } from '../../rules/index.js';
import type { Report } from '../../src/report/schema.js';
import { collectExampleFleet, EXAMPLE_FLEET, EXAMPLE_WORLD } from '../tools/example-fleet.js';
import type { WorldInput } from '../fake-aws/world.js';
import { READ_ONLY, readJson, runCli, withFakeAws } from './harness.js';

const schema = readJson<object>(new URL('../../docs/report.schema.json', import.meta.url).pathname);
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

/** What each example instance was built to show (examples/world.json), by Name tag. */
const EXPECTED: Record<string, { verdict: Report['instances'][number]['verdict']; failing?: string; unknown?: string }> = {
  'sql-prod-01': { verdict: 'application-consistent' },
  'sql-prod-02': { verdict: 'application-consistent' }, // package found under AWS:AWSComponent
  'dc-01': { verdict: 'application-consistent' }, // inline policy grants the actions
  'exchange-01': { verdict: 'vss-fallback', failing: 'instance-role-grants-vss' },
  'file-01': { verdict: 'vss-fallback', failing: 'vss-components-installed' },
  'erp-app-01': { verdict: 'vss-fallback', failing: 'instance-role-grants-vss' }, // legacy custom policy
  'erp-app-02': { verdict: 'vss-fallback', failing: 'instance-role-grants-vss' }, // explicit Deny
  'hr-app-01': { verdict: 'vss-fallback', failing: 'instance-role-grants-vss' }, // permissions boundary
  'kiosk-01': { verdict: 'vss-fallback', failing: 'instance-role-grants-vss' }, // DHMC, no profile
  'report-01': { verdict: 'unknown', unknown: 'vss-components-installed' }, // no inventory
  'batch-01': { verdict: 'unknown', unknown: 'ssm-managed' }, // stopped, not listed
  'file-02': { verdict: 'vss-fallback', failing: 'ssm-managed' }, // ConnectionLost
  'cad-01': { verdict: 'unknown', unknown: 'instance-role-grants-vss' }, // aws:SourceIp condition
  'jump-01': { verdict: 'no-vss', failing: 'ssm-managed' },
  'web-01': { verdict: 'no-vss', failing: 'windows-platform' },
  'web-02': { verdict: 'no-vss', failing: 'windows-platform' },
  'sql-dr-01': { verdict: 'unknown', unknown: 'vss-components-installed' }, // ListInventoryEntries denied
  'iis-01': { verdict: 'unknown', unknown: 'vss-components-installed' },
  'sql-dr-02': { verdict: 'vss-fallback', failing: 'instance-role-grants-vss' }, // definite despite the denied inventory
  'legacy-win-01': { verdict: 'no-vss', failing: 'ssm-managed' },
  'build-01': { verdict: 'no-vss', failing: 'ssm-managed' }, // Windows BYOL by PlatformDetails
  'web-03': { verdict: 'no-vss', failing: 'windows-platform' },
  'rhel-db-01': { verdict: 'no-vss', failing: 'windows-platform' },
};

function expectExampleVerdicts(report: Report) {
  expect(validate(report), JSON.stringify(validate.errors)).to.equal(true);
  expect(report.instances.map((i) => i.name).sort()).to.deep.equal(Object.keys(EXPECTED).sort());
  for (const i of report.instances) {
    const want = EXPECTED[i.name!]!;
    expect(i.verdict, i.name!).to.equal(want.verdict);
    const status = (id: string) => i.findings.find((f) => f.ruleId === id)?.status;
    if (want.failing) expect(status(want.failing), `${i.name} ${want.failing}`).to.equal('fail');
    if (want.unknown) expect(status(want.unknown), `${i.name} ${want.unknown}`).to.equal('unknown');
  }
}

describe('the bundled example fleet', () => {
  it('examples/fleet.json is exactly what collect reads from examples/world.json (run `npm run examples` after changing either)', async () => {
    const committed = JSON.parse(readFileSync(EXAMPLE_FLEET, 'utf8'));
    expect(await collectExampleFleet()).to.deep.equal(committed);
  });

  it('scan --facts gives each instance the verdict it was built for, in a schema-valid report', async () => {
    const run = await runCli(['scan', '--facts', 'examples/fleet.json', '--format', 'json']);
    expect(run.code, run.stderr).to.equal(0);
    const report = JSON.parse(run.stdout) as Report;
    expectExampleVerdicts(report);
    expect(report.summary).to.deep.equal({ instances: 23, 'application-consistent': 3, 'vss-fallback': 8, 'no-vss': 7, unknown: 5 });
    expect(report.errors).to.deep.equal([
      {
        service: 'ssm',
        action: 'ListInventoryEntries',
        region: 'us-east-1',
        code: 'AccessDeniedException',
        message: report.errors[0]!.message,
        count: 3,
      },
    ]);
  });

  it('shows every outcome of every rule except those real EC2 data cannot produce', async () => {
    const run = await runCli(['scan', '--facts', 'examples/fleet.json', '--format', 'json']);
    const report = JSON.parse(run.stdout) as Report;
    for (const rule of RULES) {
      const seen = new Set(report.instances.flatMap((i) => i.findings.filter((f) => f.ruleId === rule.id).map((f) => f.status)));
      // EC2 always returns PlatformDetails, so windows-platform is never unknown outside unit tests.
      const expected = rule.id === 'windows-platform' ? ['pass', 'fail'] : ['pass', 'fail', 'unknown', 'skip'];
      for (const status of expected) expect([...seen], `${rule.id} ${status}`).to.include(status);
    }
  });

  describe('scanned live through the fake AWS endpoint', () => {
    const { fake } = withFakeAws(() => readJson<WorldInput>(EXAMPLE_WORLD.pathname));

    it('gives the same verdicts, calls only read-only APIs, and lists the denied call', async () => {
      const run = await runCli(['scan', '--regions', 'eu-west-1,us-east-1', '--format', 'json'], { fake: fake() });
      expect(run.code, run.stderr).to.equal(0);
      const report = JSON.parse(run.stdout) as Report;
      expectExampleVerdicts(report);
      expect(fake().calls.length).to.be.greaterThan(20);
      const writes = fake().calls.filter((c) => !READ_ONLY.test(c.action));
      expect(writes, 'mutating calls').to.deep.equal([]);
      expect(report.errors.map((e) => `${e.service}:${e.action}:${e.region}:${e.code}`)).to.deep.equal(['ssm:ListInventoryEntries:us-east-1:AccessDeniedException']);
    });

    it('reads each role and managed policy once, however many instances share them', () => {
      const count = (action: string) => fake().calls.filter((c) => c.action === action).length;
      expect(count('GetRole')).to.equal(7); // the seven distinct roles of Windows instances
      expect(count('GetPolicyVersion')).to.equal(5); // the five distinct managed policies
    });
  });
});
