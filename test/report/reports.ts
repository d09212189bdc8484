import { RULES } from '../../rules/index.js';
import { buildReport } from '../../src/engine/report.js';
import { loadSnapshot } from '../../src/facts/load.js';
import type { Report } from '../../src/report/schema.js';

/** Name tags an attacker (or a careless colleague) could set on an instance. */
export const HOSTILE = {
  script: `<script>alert(1)</script>"'&`,
  dde: `=cmd|' /C calc'!A0`,
  plus: '+1',
  minus: '-2',
  at: '@SUM(1)',
  newline: 'line one\nline two\r\n| cell | break',
  markdown: '**bold** _it_ [x](https://evil.example/) `tick` <b>b</b> ~~s~~ $x$ @team #1 &amp;',
  tab: '\tTAB start',
  control: 'ctl\u0001\u001b[31mred\u0000end',
} as const;

/** The example fleet's report: 33 instances, as `scan --facts examples/fleet.json` builds it. */
export async function fleetReport(): Promise<Report> {
  return buildReport(await loadSnapshot('examples/fleet.json'), RULES);
}

/**
 * The example fleet with hostile Name tags on its first instances (built through the engine), and
 * hostile text in places only AWS data reaches: a finding message, evidence, a fix, a fix-plan
 * command, a scan error. A reporter only formats, so writing them into the report is fair.
 */
export async function hostileReport(): Promise<Report> {
  const snapshot = await loadSnapshot('examples/fleet.json');
  Object.values(HOSTILE).forEach((name, n) => {
    const instance = snapshot.instances[n]!;
    instance.name = name;
    instance.tags = { ...instance.tags, Name: name };
  });
  const report = buildReport(snapshot, RULES);
  const failing = report.instances.find((i) => i.findings.some((f) => f.status === 'fail'))!;
  // The engine's findings are frozen (shared across instances): this one is replaced by a copy.
  const at = failing.findings.findIndex((f) => f.status === 'fail');
  const finding = failing.findings[at]!;
  failing.findings[at] = {
    ...finding,
    message: `Role </script><script>alert(2)</script> says ${HOSTILE.newline}`,
    evidence: { ...finding.evidence, '<b>key</b>': `<img src=x onerror=alert(3)>`, Count: 3, Flag: null },
    fix: `aws iam attach-role-policy --role-name '${HOSTILE.script}'`,
  };
  const step = report.fixPlan[0]!;
  step.action = `Role ${HOSTILE.markdown} | pipe`;
  step.command = `echo \`\`\`\n\`\`\`\`\necho '</code></pre><script>alert(4)</script>'`;
  report.errors.push({ service: 'ssm', action: 'ListInventoryEntries', region: 'eu-west-1', code: 'AccessDenied', message: `<img src=x onerror=alert(5)> ${HOSTILE.dde}` });
  return report;
}

/**
 * The example fleet with a suppression (as `--suppressions` loads it) accepting the one failure of
 * exchange-01, whose gate verdict so becomes application-consistent, and an expired one.
 */
export async function suppressedReport(): Promise<{ report: Report; instanceId: string; ruleId: string }> {
  const instanceId = 'i-0a000000000000004'; // exchange-01: fails instance-role-grants-vss only
  const ruleId = 'instance-role-grants-vss';
  const report = buildReport(await loadSnapshot('examples/fleet.json'), RULES, {
    suppressions: {
      active: [{ rules: [ruleId], instances: [instanceId], reason: 'Accepted <risk> until the "migration"', expires: '2027-01-31', source: 'suppressions.yaml#1' }],
      expired: [{ source: 'suppressions.yaml#2', reason: 'Old <exception>', expires: '2026-01-01', rules: ['ssm-managed'] }],
    },
  });
  return { report, instanceId, ruleId };
}
