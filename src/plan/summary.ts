import type { PlanReport, Report } from '../report/schema.js';
import type { PlanCoverage } from './apply.js';
import type { PlanFacts } from './plan.js';

/** The plan part of the report: whether VSS is on, what it gives today, and what enabling it would give. */
export function planReport(plan: PlanFacts, cover: PlanCoverage, report: Report): PlanReport {
  const s = report.summary;
  const causes = new Map<string, number>();
  for (const i of report.instances) {
    if (i.verdict !== 'vss-fallback') continue;
    for (const f of i.findings) if (f.status === 'fail') causes.set(f.ruleId, (causes.get(f.ruleId) ?? 0) + 1);
  }
  const causeText = [...causes].sort((a, b) => b[1] - a[1]).map(([rule, n]) => `${rule} x${n}`).join(', ');
  const verb = plan.vssEnabled ? 'With Windows VSS enabled on' : 'Enabling Windows VSS on';
  const changeSummary =
    `${verb} backup plan "${plan.name}" (${plan.region}), ${s.instances} covered instance${s.instances === 1 ? '' : 's'}: ` +
    `${s['application-consistent']} application-consistent; ` +
    `${s['vss-fallback']} will say "Completed with issues"${causeText ? ` (causes: ${causeText})` : ''}; ` +
    `${s['no-vss']} silently crash-consistent (Linux or not managed by SSM); ` +
    `${s.unknown} unknown (data could not be read: see the report).`;
  return {
    id: plan.id,
    name: plan.name,
    region: plan.region,
    vssEnabled: plan.vssEnabled,
    unmatchedSelections: cover.unmatched,
    today: plan.vssEnabled ? 'WindowsVSS is enabled: each instance gets its verdict now.' : 'WindowsVSS is not enabled: every covered instance gets a crash-consistent backup today.',
    changeSummary,
  };
}
