import type { Rule } from '../engine/types.js';
import { CSS, cspHash, SCRIPT } from './html-assets.js';
import { badge, h, jsonIsland } from './html-escape.js';
import { instanceTable, rowData } from './html-instances.js';
import type { FixPlanStep, Report } from './schema.js';
import { errorLine, VERDICT_MEANING, VERDICTS } from './verdicts.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A horizontal bar per verdict, drawn here so the page needs no script or library for it. */
function chart(report: Report): string {
  const max = Math.max(1, ...VERDICTS.map((v) => report.summary[v]));
  const [label, bar, row] = [190, 360, 30];
  const bars = VERDICTS.map((v, n) => {
    const count = report.summary[v];
    const y = n * row;
    const width = Math.round((count / max) * bar);
    return (
      `<text x="0" y="${y + 19}">${v}</text>` +
      `<rect class="track" x="${label}" y="${y + 5}" width="${bar}" height="20" rx="3"/>` +
      `<rect class="bar-${v}" x="${label}" y="${y + 5}" width="${width}" height="20" rx="3"/>` +
      `<text x="${label + bar + 10}" y="${y + 19}">${count}</text>`
    );
  }).join('');
  const description = VERDICTS.map((v) => `${v}: ${report.summary[v]}`).join(', ');
  return (
    `<svg class="chart" role="img" aria-label="Instances per verdict: ${description}" viewBox="0 0 ${label + bar + 50} ${VERDICTS.length * row}" xmlns="http://www.w3.org/2000/svg">` +
    `<title>Instances per verdict: ${description}</title>${bars}</svg>`
  );
}

/** Per account: status, counts per verdict and why it is partial or failed (AWS text, escaped). */
function accountsSection(report: Report): string {
  const rows = (report.accounts ?? []).map(
    (a) => `<tr class="account-${h(a.status)}"><td>${h(a.accountId)}</td><td>${h(a.status)}</td><td>${a.instances}</td>${VERDICTS.map((v) => `<td>${a[v]}</td>`).join('')}<td>${h(a.reason ?? '')}</td></tr>`,
  );
  return (
    `<section id="accounts" aria-labelledby="accounts-title">\n<h2 id="accounts-title">Accounts</h2>\n<div class="table-wrap"><table>\n` +
    `<thead><tr><th scope="col">Account</th><th scope="col">Status</th><th scope="col">Instances</th>${VERDICTS.map((v) => `<th scope="col">${h(v)}</th>`).join('')}<th scope="col">Reason</th></tr></thead>\n` +
    `<tbody>\n${rows.join('\n')}\n</tbody></table></div>\n</section>\n`
  );
}

function fixStep(step: FixPlanStep, names: Map<string, string | null>): string {
  const links = step.instances.map((id) => `<a href="#instance-${h(id)}">${h(id)}</a>${names.get(id) ? ` (${h(names.get(id))})` : ''}`);
  return (
    `<li><h3>${h(step.action.replace(/\.$/, ''))}: fixes ${plural(step.instances.length, 'instance')}</h3>` +
    `<p class="meta">${step.status === 'fail' ? 'Failing' : 'Warning'} rule <code>${h(step.ruleId)}</code></p>` +
    `<pre><code>${h(step.command)}</code></pre><p class="ids">${links.join(', ')}</p></li>`
  );
}

/** Where the instance table and the table's data go in the page: markup no escaped text can hold (h() escapes `<`). */
const TABLE = '<vss-preflight-instance-table/>';
const DATA = '<vss-preflight-table-data/>';

/** The data the table's script reads, as jsonIsland writes `{ instances: rows }`, a chunk per row. */
function* tableData(report: Report): Generator<string> {
  yield '{"instances":[';
  let n = 0;
  for (const i of report.instances) yield `${n++ ? ',' : ''}${jsonIsland(rowData(i))}`;
  yield ']}';
}

/**
 * One self-contained page: no request leaves it (the CSP allows only its own inline style and
 * script, by hash). Everything reads without JavaScript; the script only sorts and filters.
 * Written in chunks: the instance table of a big fleet is more than one string may hold.
 */
export function* htmlChunks(report: Report, options: { rules?: readonly Rule[] }): Generator<string> {
  const titles = new Map((options.rules ?? []).map((r) => [r.id, r.title]));
  const names = new Map(report.instances.map((i) => [i.instanceId, i.name]));
  const csp = `default-src 'none'; style-src ${cspHash(CSS)}; script-src ${cspHash(SCRIPT)}; img-src 'none'; base-uri 'none'; form-action 'none'`;
  const list = (items: readonly string[]) => items.map(h).join(', ') || 'none';
  const s = report.summary;
  const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>VSS preflight report: ${s.instances} instances</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header>
<h1>VSS preflight report</h1>
<dl class="facts">
<div><dt>Facts collected</dt><dd><time datetime="${h(report.generatedAt)}">${h(report.generatedAt)}</time></dd></div>
<div><dt>Regions</dt><dd>${list(report.regions)}</dd></div>
<div><dt>Accounts</dt><dd>${list(report.accountIds)}</dd></div>
<div><dt>Instances</dt><dd>${s.instances}</dd></div>
</dl>
</header>
<section id="summary" aria-labelledby="summary-title">
<h2 id="summary-title">Summary</h2>
<div class="summary">
${VERDICTS.map((v) => `<div class="card v-${v}" data-verdict="${v}"><div class="count">${s[v]}</div>${badge(v)}<p>${h(VERDICT_MEANING[v])}</p></div>`).join('\n')}
</div>
${chart(report)}
</section>
${report.accounts ? accountsSection(report) : ''}
<section id="instances-section" aria-labelledby="instances-title">
<h2 id="instances-title">Instances</h2>
<div id="controls" class="controls" hidden>
<label>Filter <input id="filter-text" type="search" placeholder="id, name, region, rule…" autocomplete="off"></label>
<label>Verdict <select id="filter-verdict"><option value="">All verdicts (${s.instances})</option>${VERDICTS.map((v) => `<option value="${v}">${v} (${s[v]})</option>`).join('')}</select></label>
<span id="shown" class="shown" aria-live="polite"></span>
</div>
<div class="table-wrap">
${TABLE}
</div>
</section>
<section id="fix-plan" aria-labelledby="fix-plan-title">
<h2 id="fix-plan-title">Fix plan</h2>
${report.fixPlan.length ? `<ol class="steps">\n${report.fixPlan.map((step) => fixStep(step, names)).join('\n')}\n</ol>` : '<p class="empty">Nothing to fix.</p>'}
</section>
<section id="errors" aria-labelledby="errors-title">
<h2 id="errors-title">Scan errors</h2>
${report.errors.length ? `<ul>\n${report.errors.map((e) => `<li>${h(errorLine(e))}</li>`).join('\n')}\n</ul>` : '<p class="empty">None: every read succeeded.</p>'}
</section>
${
  report.expiredSuppressions.length
    ? `<section id="expired-suppressions" aria-labelledby="expired-title">
<h2 id="expired-title">Expired suppressions</h2>
<p>No longer applied; renew or remove them.</p>
<ul>${report.expiredSuppressions.map((e) => `<li>${h(e.source)} (${e.rules.map((r) => `<code>${h(r)}</code>`).join(', ')}), expired ${h(e.expires)}: ${h(e.reason)}</li>`).join('')}</ul>
</section>\n`
    : ''
}<section id="skipped-rules" aria-labelledby="skipped-title">
<h2 id="skipped-title">Skipped rules</h2>
${report.skippedRules.length ? `<ul>${report.skippedRules.map((r) => `<li><code>${h(r)}</code> ${h(titles.get(r))}</li>`).join('')}</ul>` : '<p class="empty">None: every rule ran.</p>'}
</section>
</main>
<script type="application/json" id="report-data">${DATA}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
  const [beforeTable, rest] = page.split(TABLE) as [string, string];
  const [beforeData, end] = rest.split(DATA) as [string, string];
  yield beforeTable;
  yield* instanceTable(report, titles);
  yield beforeData;
  yield* tableData(report);
  yield end;
}
