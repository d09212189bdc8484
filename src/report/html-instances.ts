import { badge, h } from './html-escape.js';
import type { Finding, InstanceReport, Report } from './schema.js';
import { VERDICTS } from './verdicts.js';

function findingItem(f: Finding, titles: Map<string, string>): string {
  const title = titles.get(f.ruleId);
  const evidence = Object.entries(f.evidence);
  return (
    `<li class="finding s-${h(f.status)}">` +
    `<p><span class="status">${h(f.status)}</span> <code>${h(f.ruleId)}</code>${title ? ` ${h(title)}` : ''}</p>` +
    (f.suppressed
      ? `<p class="suppressed">Suppressed until ${h(f.suppressed.expires)} by ${h(f.suppressed.source)}: ${h(f.suppressed.reason)}</p>`
      : '') +
    `<p>${h(f.message)}</p>` +
    (evidence.length ? `<dl class="evidence">${evidence.map(([k, v]) => `<dt>${h(k)}</dt><dd>${h(v === null ? 'null' : v)}</dd>`).join('')}</dl>` : '') +
    (f.fix ? `<p class="meta">Fix</p><pre>${h(f.fix)}</pre>` : '') +
    '</li>'
  );
}

/** What needs attention first (the order the report's reason follows), then the passes and skips, folded. */
const ATTENTION: Finding['status'][] = ['fail', 'unknown', 'warn'];

function findingsBlock(findings: Finding[], titles: Map<string, string>): string {
  const items = (list: Finding[]) => `<ol class="findings">${list.map((f) => findingItem(f, titles)).join('')}</ol>`;
  const notable = ATTENTION.flatMap((status) => findings.filter((f) => f.status === status));
  const rest = findings.filter((f) => !ATTENTION.includes(f.status));
  const count = (status: Finding['status']) => rest.filter((f) => f.status === status).length;
  return (
    (notable.length ? items(notable) : '') +
    (rest.length ? `<details class="rest"><summary>${count('pass')} passed, ${count('skip')} skipped</summary>${items(rest)}</details>` : '')
  );
}

function instanceRow(i: InstanceReport, index: number, titles: Map<string, string>): string {
  const possible = i.verdict === 'unknown' ? ` &middot; could be ${i.possibleVerdicts.map(badge).join(' or ')}` : '';
  // What --fail-on sees once suppressions accept some findings; the prediction stays the verdict.
  const gate = i.gateVerdict === i.verdict ? '' : `<p class="meta">${badge(i.gateVerdict)} with suppressions</p>`;
  return (
    `<tr id="instance-${h(i.instanceId)}" data-index="${index}" data-verdict="${h(i.verdict)}">` +
    `<td class="id">${h(i.instanceId)}</td><td class="name">${h(i.name)}</td><td class="nowrap">${h(i.accountId)}</td><td class="nowrap">${h(i.region)}</td>` +
    `<td>${h(i.state)}</td><td>${badge(i.verdict)}${gate}</td><td>${h(i.expectedJobStatus ?? '-')}</td>` +
    `<td class="reason"><details><summary>${h(i.reason ?? 'Every prerequisite met')}</summary>` +
    `<p class="meta">${h(i.instanceType)} &middot; once running ${badge(i.verdictOnceRunning)}${possible}</p>` +
    `${findingsBlock(i.findings, titles)}</details></td></tr>`
  );
}

/** What the table's script sorts and filters on, by row index. */
export const rowData = (i: InstanceReport) => ({
  instanceId: i.instanceId,
  name: i.name,
  accountId: i.accountId,
  region: i.region,
  state: i.state,
  verdict: i.verdict,
  verdictRank: VERDICTS.indexOf(i.verdict),
  expectedJobStatus: i.expectedJobStatus,
  reason: i.reason,
  // The filter box matches any of these, including the rules that do not pass.
  search: [i.instanceId, i.name, i.accountId, i.region, i.state, i.instanceType, i.verdict, i.reason]
    .concat(i.findings.filter((f) => ATTENTION.includes(f.status)).map((f) => f.ruleId))
    .join('\n')
    .toLowerCase(),
});

const COLUMNS: [key: keyof ReturnType<typeof rowData>, label: string][] = [
  ['instanceId', 'Instance'],
  ['name', 'Name'],
  ['accountId', 'Account'],
  ['region', 'Region'],
  ['state', 'State'],
  ['verdictRank', 'Verdict'],
  ['expectedJobStatus', 'Job status'],
  ['reason', 'Reason and findings'],
];

/** The instance table: a row per instance, its findings folded in a details element in the last cell; a chunk per row. */
export function* instanceTable(report: Report, titles: Map<string, string>): Generator<string> {
  yield `<table id="instances">
<thead><tr>${COLUMNS.map(([key, label]) => `<th scope="col" data-key="${key}">${label}</th>`).join('')}</tr></thead>
<tbody>
`;
  let n = 0;
  for (const i of report.instances) {
    yield `${n ? '\n' : ''}${instanceRow(i, n, titles)}`;
    n++;
  }
  yield `
</tbody>
</table>`;
}
