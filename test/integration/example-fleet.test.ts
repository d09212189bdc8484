import { Ajv2020 } from 'ajv/dist/2020.js';
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { RULES } from '../../rules/index.js';
import type { Report } from '../../src/report/schema.js';
import { collectExampleFleet, EXAMPLE_BACKUP_ROLE, EXAMPLE_FLEET, EXAMPLE_WORLD } from '../tools/example-fleet.js';
import type { WorldInput } from '../fake-aws/world.js';
import { READ_ONLY, readJson, runCli, withFakeAws } from './harness.js';

const schema = readJson<object>(new URL('../../docs/report.schema.json', import.meta.url).pathname);
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

type Verdict = Report['instances'][number]['verdict'];
type Status = Report['instances'][number]['findings'][number]['status'];

/** What each example instance was built to show (examples/world.json), by Name tag: its verdict and the findings that make it. */
const EXPECTED: Record<string, { verdict: Verdict; findings?: Record<string, Status>; onceRunning?: Verdict }> = {
  'sql-prod-01': { verdict: 'application-consistent', findings: { 'scp-allows-vss': 'pass', 'backup-role-can-run-vss': 'pass' } },
  'sql-prod-02': { verdict: 'application-consistent', findings: { 'vss-components-installed': 'pass' } }, // under AWS:AWSComponent
  'dc-01': { verdict: 'application-consistent', findings: { 'instance-role-grants-vss': 'pass' } }, // inline policy
  'exchange-01': { verdict: 'vss-fallback', findings: { 'instance-role-grants-vss': 'fail' } },
  'file-01': { verdict: 'vss-fallback', findings: { 'vss-components-installed': 'fail' } },
  'erp-app-01': { verdict: 'vss-fallback', findings: { 'instance-role-grants-vss': 'pass', 'vss-package-matches-policy': 'fail' } }, // legacy policy, 2.2.1
  'erp-app-02': { verdict: 'vss-fallback', findings: { 'instance-role-grants-vss': 'fail' } }, // explicit Deny
  'hr-app-01': { verdict: 'vss-fallback', findings: { 'instance-role-grants-vss': 'fail' } }, // permissions boundary
  'kiosk-01': { verdict: 'unknown', findings: { 'instance-role-grants-vss': 'skip', 'dhmc-role-grants-vss': 'unknown' } }, // DHMC, no profile
  'report-01': { verdict: 'unknown', findings: { 'vss-components-installed': 'unknown', 'inventory-fresh': 'skip' } }, // no inventory
  'batch-01': { verdict: 'unknown', findings: { 'ssm-managed': 'unknown', 'instance-running': 'fail' }, onceRunning: 'unknown' }, // stopped, not listed
  'file-02': { verdict: 'vss-fallback', findings: { 'ssm-managed': 'pass', 'instance-running': 'fail' }, onceRunning: 'application-consistent' },
  'cad-01': { verdict: 'unknown', findings: { 'instance-role-grants-vss': 'unknown' } }, // aws:SourceIp condition
  'jump-01': { verdict: 'no-vss', findings: { 'ssm-managed': 'fail', 'instance-role-grants-vss': 'fail' } }, // profile without a role
  'web-01': { verdict: 'no-vss', findings: { 'windows-platform': 'fail', 'manual-checks': 'skip' } },
  'web-02': { verdict: 'no-vss', findings: { 'windows-platform': 'fail' } },
  'tiny-01': { verdict: 'vss-fallback', findings: { 'instance-type-supported': 'fail' } },
  'legacy-2012-01': { verdict: 'unknown', findings: { 'windows-server-supported': 'unknown', 'vss-components-current': 'pass' } },
  'old-2008-01': { verdict: 'vss-fallback', findings: { 'windows-server-supported': 'fail' } },
  'old-agent-01': { verdict: 'vss-fallback', findings: { 'ssm-agent-version': 'fail' } },
  // Inventory 41 days old; its generation is all its role's verdict needs, so the filters tell it and CaptureTime is not read.
  'stale-inv-01': { verdict: 'application-consistent', findings: { 'inventory-fresh': 'skip', 'vss-components-current': 'pass' } },
  'erp-app-03': { verdict: 'vss-fallback', findings: { 'vss-package-matches-policy': 'fail', 'vss-components-current': 'warn' } }, // managed policy, 2.2.1
  'erp-app-04': { verdict: 'application-consistent', findings: { 'vss-package-matches-policy': 'warn' } }, // legacy policy, 2.0.1: breaks on upgrade
  'sqlclu-01': { verdict: 'unknown', findings: { 'no-multi-attach-volumes': 'unknown' } },
  'sqlclu-02': { verdict: 'unknown', findings: { 'no-multi-attach-volumes': 'unknown' } },
  'isolated-01': { verdict: 'application-consistent', findings: { 'ec2-endpoint-reachable': 'warn' } },
  'sql-dr-01': { verdict: 'unknown', findings: { 'vss-components-installed': 'unknown' } }, // ListInventoryEntries denied
  'iis-01': { verdict: 'unknown', findings: { 'vss-components-installed': 'unknown' } },
  'sql-dr-02': { verdict: 'vss-fallback', findings: { 'instance-role-grants-vss': 'fail' } }, // definite despite the denied inventory
  'legacy-win-01': { verdict: 'no-vss', findings: { 'ssm-managed': 'fail' } },
  'build-01': { verdict: 'no-vss', findings: { 'ssm-managed': 'fail', 'windows-platform': 'pass' } }, // Windows BYOL by PlatformDetails
  'web-03': { verdict: 'no-vss', findings: { 'windows-platform': 'fail' } },
  'rhel-db-01': { verdict: 'no-vss', findings: { 'windows-platform': 'fail' } },
};

function expectExampleVerdicts(report: Report) {
  expect(validate(report), JSON.stringify(validate.errors)).to.equal(true);
  expect(report.instances.map((i) => i.name).sort()).to.deep.equal(Object.keys(EXPECTED).sort());
  for (const i of report.instances) {
    const want = EXPECTED[i.name!]!;
    expect(i.verdict, i.name!).to.equal(want.verdict);
    expect(i.verdictOnceRunning, `${i.name} once running`).to.equal(want.onceRunning ?? want.verdict);
    for (const [ruleId, status] of Object.entries(want.findings ?? {})) {
      expect(i.findings.find((f) => f.ruleId === ruleId)?.status, `${i.name} ${ruleId}`).to.equal(status);
    }
  }
}

describe('the bundled example fleet', () => {
  it('examples/fleet.json is exactly what collect reads from examples/world.json (run `npm run examples` after changing either)', async () => {
    const committed = JSON.parse(readFileSync(EXAMPLE_FLEET, 'utf8'));
    expect(await collectExampleFleet()).to.deep.equal(committed);
  });

  it('scan --facts gives each instance the verdict it was built for, in a schema-valid report', async () => {
    const run = await runCli(['scan', '--facts', 'examples/fleet.json', '--format', 'json']);
    expect(run.code, run.stderr).to.equal(3); // partial: ListInventoryEntries is denied in us-east-1
    const report = JSON.parse(run.stdout) as Report;
    expectExampleVerdicts(report);
    expect(report.summary).to.deep.equal({ instances: 33, 'application-consistent': 6, 'vss-fallback': 11, 'no-vss': 7, unknown: 9 });
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

  it('exercises every rule, and lists every failure of an instance at once', async () => {
    const run = await runCli(['scan', '--facts', 'examples/fleet.json', '--format', 'json']);
    const report = JSON.parse(run.stdout) as Report;
    for (const rule of RULES) {
      const applied = report.instances.flatMap((i) => i.findings.filter((f) => f.ruleId === rule.id && f.status !== 'skip'));
      if (rule.severity !== 'info') expect(applied, `${rule.id} evaluated somewhere`).to.not.be.empty;
    }
    // old-2008-01: an old OS, an old package and a legacy role: each cause is its own finding.
    const old = report.instances.find((i) => i.name === 'old-2008-01')!;
    expect(old.findings.filter((f) => f.status === 'fail' || f.status === 'warn').map((f) => f.ruleId)).to.include.members(['windows-server-supported', 'vss-components-current']);
  });

  describe('scanned live through the fake AWS endpoint', () => {
    const { fake } = withFakeAws(() => readJson<WorldInput>(EXAMPLE_WORLD.pathname));

    it('gives the same verdicts, calls only read-only APIs, and lists the denied call', async () => {
      const run = await runCli(['scan', '--regions', 'eu-west-1,us-east-1', '--backup-role', EXAMPLE_BACKUP_ROLE, '--format', 'json'], { fake: fake() });
      expect(run.code, run.stderr).to.equal(3);
      const report = JSON.parse(run.stdout) as Report;
      expectExampleVerdicts(report);
      expect(fake().calls.length).to.be.greaterThan(20);
      const writes = fake().calls.filter((c) => !READ_ONLY.test(c.action));
      expect(writes, 'mutating calls').to.deep.equal([]);
      expect(report.errors.map((e) => `${e.service}:${e.action}:${e.region}:${e.code}`)).to.deep.equal(['ssm:ListInventoryEntries:us-east-1:AccessDeniedException']);
    });

    it('reads the account\'s IAM in bulk, and each AWS managed policy once, however many instances share them', () => {
      const count = (action: string) => fake().calls.filter((c) => c.action === action).length;
      expect(count('GetAccountAuthorizationDetails')).to.equal(1); // ten roles, three customer policies: one page
      expect(count('GetRole')).to.equal(0);
      expect(count('GetInstanceProfile')).to.equal(1); // EmptyProfile: a profile without a role is in no RoleDetail
      expect(count('GetPolicyVersion')).to.equal(4); // the four distinct AWS managed policies of the roles the scan needs
      expect(count('SimulatePrincipalPolicy')).to.equal(2); // SCPs: once per account and region
    });
  });
});
