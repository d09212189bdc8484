import { Ajv } from 'ajv';
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { RULES } from '../../rules/index.js';
import { REPORTERS } from '../../src/report/index.js';
import type { Report } from '../../src/report/schema.js';
import { fleetReport, HOSTILE, hostileReport, suppressedReport } from './reports.js';

/**
 * The SARIF 2.1.0 schema as published (fixtures/README.md says from where). It is draft-04, which
 * ajv 8 reads once `id` is `$id`; its `language` pattern has a stray `]` that only a non-unicode
 * RegExp accepts, and it leaves some `required` names undeclared, which strict mode would refuse.
 */
const { $schema: _draft04, id, ...schema } = JSON.parse(readFileSync(new URL('fixtures/sarif-2.1.0-rtm.5.json', import.meta.url), 'utf8')) as { $schema: string; id: string } & Record<string, unknown>;
const ajv = new Ajv({
  allErrors: true,
  strictRequired: false,
  strictTypes: false,
  unicodeRegExp: false,
  formats: { uri: /^[a-z][a-z0-9+.-]*:/i, 'uri-reference': true, 'date-time': (s: string) => !Number.isNaN(Date.parse(s)) },
});
const validate = ajv.compile({ $id: id, ...schema });

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: { logicalLocations: { fullyQualifiedName: string; kind: string }[] }[];
  suppressions?: { kind: string; justification: string }[];
  properties: { verdict: string; evidence: Record<string, unknown>; instanceName: string | null };
}
interface SarifRun {
  tool: { driver: { name: string; informationUri?: string; rules: { id: string; shortDescription: { text: string }; fullDescription?: { text: string }; help?: { text: string }; helpUri?: string }[] } };
  invocations: { toolExecutionNotifications: { message: { text: string } }[] }[];
  results: SarifResult[];
}

function render(report: Report, withRules = true) {
  const text = REPORTERS.sarif(report, { color: false, ...(withRules ? { rules: RULES } : {}) });
  const log = JSON.parse(text) as { $schema: string; version: string; runs: SarifRun[] };
  expect(validate(log), ajv.errorsText(validate.errors, { separator: '\n' })).to.equal(true);
  return { log, run: log.runs[0]! };
}

describe('sarif report', () => {
  it('the schema catches what is not SARIF', () => {
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, level: 'fatal' }] }] })).to.equal(false);
    expect(validate({ version: '2.0.0', runs: [] })).to.equal(false);
  });

  it('is valid SARIF 2.1.0: one run by vss-preflight, a reportingDescriptor per rule with its title, why, fix and source', async () => {
    const report = await fleetReport();
    const { log, run } = render(report);
    expect(log.version).to.equal('2.1.0');
    expect(log.$schema).to.match(/sarif-schema-2\.1\.0\.json$/);
    expect(log.runs).to.have.length(1);
    expect(run.tool.driver.name).to.equal('vss-preflight');
    const seen = [...new Set(report.instances.flatMap((i) => i.findings.map((f) => f.ruleId)))];
    expect(run.tool.driver.rules.map((r) => r.id)).to.deep.equal(seen);
    const ssm = run.tool.driver.rules.find((r) => r.id === 'ssm-managed')!;
    const rule = RULES.find((r) => r.id === 'ssm-managed')!;
    expect(ssm.shortDescription.text).to.equal(rule.title);
    expect(ssm.fullDescription!.text).to.equal(rule.why);
    expect(ssm.help!.text).to.contain(rule.why).and.contain(rule.fix);
    expect(ssm.helpUri).to.equal(rule.sources[0]);
  });

  it('falls back to the rule id as its description when no rule metadata is given', async () => {
    const { run } = render(await fleetReport(), false);
    for (const r of run.tool.driver.rules) expect(r).to.deep.equal({ id: r.id, shortDescription: { text: r.id } });
  });

  it('has a result per fail (error), warn (warning) and unknown (note) finding, located by the instance ARN', async () => {
    const report = await fleetReport();
    const { run } = render(report);
    const LEVEL: Record<string, string> = { fail: 'error', warn: 'warning', unknown: 'note' };
    const expected = report.instances.flatMap((i) =>
      i.findings
        .filter((f) => f.status in LEVEL)
        .map((f) => ({
          ruleId: f.ruleId,
          level: LEVEL[f.status],
          text: f.message,
          arn: `arn:aws:ec2:${i.region}:${i.accountId}:instance/${i.instanceId}`,
          verdict: i.verdict,
          evidence: f.evidence,
        })),
    );
    const actual = run.results.map((r) => ({
      ruleId: r.ruleId,
      level: r.level,
      text: r.message.text,
      arn: r.locations[0]!.logicalLocations[0]!.fullyQualifiedName,
      verdict: r.properties.verdict,
      evidence: r.properties.evidence,
    }));
    expect(actual).to.deep.equal(expected);
    for (const r of run.results) {
      expect(run.tool.driver.rules[r.ruleIndex]!.id).to.equal(r.ruleId);
      expect(r.locations[0]!.logicalLocations[0]!.kind).to.equal('resource');
      expect(r.suppressions).to.equal(undefined);
    }
    expect(new Set(run.results.map((r) => r.level))).to.deep.equal(new Set(['error', 'warning', 'note']));
    expect(run.invocations[0]!.toolExecutionNotifications.map((n) => n.message.text)).to.deep.equal([
      `ssm:ListInventoryEntries in us-east-1: AccessDeniedException (x3): ${report.errors[0]!.message}`,
    ]);
  });

  it('marks a suppressed finding with an external suppression and its justification', async () => {
    const { report, instanceId, ruleId } = await suppressedReport();
    const { run } = render(report);
    const suppressed = run.results.filter((r) => r.suppressions);
    expect(suppressed).to.have.length(1);
    expect(suppressed[0]!.ruleId).to.equal(ruleId);
    expect(suppressed[0]!.locations[0]!.logicalLocations[0]!.fullyQualifiedName).to.equal(`arn:aws:ec2:eu-west-1:111122223333:instance/${instanceId}`);
    expect(suppressed[0]!.suppressions).to.deep.equal([
      { kind: 'external', status: 'accepted', justification: 'Accepted <risk> until the "migration"', properties: { expires: '2027-01-31', source: 'suppressions.yaml#1' } },
    ]);
  });

  it('stays valid JSON and SARIF with hostile tags and messages, which come back unchanged', async () => {
    const report = await hostileReport();
    const { run } = render(report);
    expect(run.results.map((r) => r.properties.instanceName)).to.include.members([HOSTILE.minus, HOSTILE.newline, HOSTILE.markdown, HOSTILE.control]);
    const hostile = run.results.find((r) => r.message.text === `Role </script><script>alert(2)</script> says ${HOSTILE.newline}`)!;
    expect(hostile.properties.evidence).to.deep.include({ '<b>key</b>': '<img src=x onerror=alert(3)>', Flag: null });
  });
});
