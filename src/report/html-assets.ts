import { createHash } from 'node:crypto';

/** The HTML report's only style sheet: inline, allowed by its hash in the page's CSP. */
export const CSS = `
:root { color-scheme: light dark; --bg: #f7f7f5; --fg: #1f2328; --muted: #59636e; --line: #d9dde1; --card: #fff; --code: #f0f1f2;
  --ac: #2f7d4f; --fb: #a15c00; --nv: #b3261e; --un: #6a4fa3; --pass: #2f7d4f; --skip: #8a939c; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #17191c; --fg: #e4e6e8; --muted: #a0a8b0; --line: #363b41; --card: #1f2226; --code: #262a2f;
    --ac: #6cc38f; --fb: #e0a650; --nv: #f08a80; --un: #b9a2ec; --pass: #6cc38f; --skip: #7d868f; }
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 1440px; margin: 0 auto; padding: 24px; }
h1 { font-size: 1.6em; margin: 0 0 .3em; font-weight: 600; }
h2 { font-size: 1.2em; margin: 2em 0 .6em; font-weight: 600; border-bottom: 1px solid var(--line); padding-bottom: .2em; }
h3 { font-size: 1em; margin: 0 0 .3em; font-weight: 600; }
a { color: inherit; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .88em; }
pre { background: var(--code); border-radius: 6px; padding: .6em .8em; margin: .4em 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.facts { display: flex; flex-wrap: wrap; gap: .3em 2.5em; margin: 0; color: var(--muted); }
.facts dt { font-size: .8em; text-transform: uppercase; letter-spacing: .04em; }
.facts dd { margin: 0; color: var(--fg); }
.summary { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: 12px; }
.card { background: var(--card); border: 1px solid var(--line); border-left: 4px solid var(--line); border-radius: 6px; padding: .7em 1em; }
.card .count { font-size: 1.8em; font-weight: 600; line-height: 1.2; }
.card p { margin: .2em 0 0; color: var(--muted); font-size: .9em; }
.chart { margin-top: 16px; max-width: 640px; }
.chart text { fill: var(--fg); font: 13px system-ui, sans-serif; }
.chart .track { fill: var(--code); }
.bar-application-consistent, .card.v-application-consistent { fill: var(--ac); border-left-color: var(--ac); }
.bar-vss-fallback, .card.v-vss-fallback { fill: var(--fb); border-left-color: var(--fb); }
.bar-no-vss, .card.v-no-vss { fill: var(--nv); border-left-color: var(--nv); }
.bar-unknown, .card.v-unknown { fill: var(--un); border-left-color: var(--un); }
.badge { display: inline-block; padding: 0 .55em; border: 1px solid currentColor; border-radius: 999px; font-size: .82em; white-space: nowrap; }
.v-application-consistent .badge, .badge.v-application-consistent, .s-pass .status { color: var(--ac); }
.badge.v-vss-fallback, .s-warn .status { color: var(--fb); }
.badge.v-no-vss, .s-fail .status { color: var(--nv); }
.badge.v-unknown, .s-unknown .status { color: var(--un); }
.s-skip .status { color: var(--skip); }
.controls { display: flex; flex-wrap: wrap; align-items: center; gap: .6em 1em; margin: 0 0 .8em; }
.controls input, .controls select { font: inherit; padding: .3em .5em; border: 1px solid var(--line); border-radius: 6px; background: var(--card); color: var(--fg); }
.controls input { min-width: 18em; }
.shown { color: var(--muted); }
.table-wrap { overflow-x: auto; background: var(--card); border: 1px solid var(--line); border-radius: 6px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .45em .7em; border-bottom: 1px solid var(--line); }
th { font-size: .85em; color: var(--muted); font-weight: 600; white-space: nowrap; }
th button { font: inherit; color: inherit; background: none; border: 0; padding: 0; cursor: pointer; }
th button:hover { color: var(--fg); text-decoration: underline; }
th[aria-sort="ascending"] button::after { content: " \\25B2"; }
th[aria-sort="descending"] button::after { content: " \\25BC"; }
tbody tr:target { outline: 2px solid var(--un); outline-offset: -2px; }
td.id { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .88em; white-space: nowrap; }
td.reason { min-width: 22em; }
td.nowrap { white-space: nowrap; }
td.name { min-width: 9em; }
.rest > summary { color: var(--muted); font-size: .88em; margin: .4em 0; }
summary { cursor: pointer; }
.meta { color: var(--muted); font-size: .88em; margin: .3em 0; }
.findings { list-style: none; padding: 0; margin: .4em 0 0; }
.finding { border-left: 3px solid var(--line); padding: .1em .7em; margin: .5em 0; }
.finding.s-fail { border-left-color: var(--nv); } .finding.s-warn { border-left-color: var(--fb); }
.finding.s-unknown { border-left-color: var(--un); } .finding.s-pass { border-left-color: var(--pass); }
.finding p { margin: .15em 0; }
.status { font-weight: 600; text-transform: uppercase; font-size: .78em; letter-spacing: .04em; }
.evidence { display: grid; grid-template-columns: max-content 1fr; gap: 0 .8em; margin: .2em 0; font-size: .85em; }
.evidence dt { color: var(--muted); }
.evidence dd { margin: 0; overflow-wrap: anywhere; }
.suppressed { color: var(--muted); font-style: italic; }
.steps > li { margin: 0 0 1.2em; }
.steps .ids a { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .88em; }
.empty { color: var(--muted); }
`;

/**
 * Sort and filter the instance table. It reads the rows' data from the JSON island, changes only
 * `hidden` and row order, and writes text with textContent: it never parses markup.
 */
export const SCRIPT = `
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var table = document.getElementById('instances');
  var tbody = table.tBodies[0];
  var rows = {};
  Array.prototype.forEach.call(tbody.rows, function (row) { rows[row.getAttribute('data-index')] = row; });
  var text = document.getElementById('filter-text');
  var verdict = document.getElementById('filter-verdict');
  var shown = document.getElementById('shown');
  document.getElementById('controls').hidden = false;

  function apply() {
    var needle = text.value.trim().toLowerCase();
    var wanted = verdict.value;
    var count = 0;
    data.instances.forEach(function (inst, i) {
      var visible = (!wanted || inst.verdict === wanted) && (!needle || inst.search.indexOf(needle) !== -1);
      rows[i].hidden = !visible;
      if (visible) count++;
    });
    shown.textContent = 'Showing ' + count + ' of ' + data.instances.length + ' instances';
  }

  function compare(a, b) {
    if (a === b) return 0;
    if (a === null || a === '') return 1;
    if (b === null || b === '') return -1;
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    return String(a).localeCompare(String(b), undefined, { numeric: true, sensitivity: 'base' });
  }

  var sortKey = null;
  var direction = 1;
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
    var key = th.getAttribute('data-key');
    if (!key) return;
    var button = document.createElement('button');
    button.type = 'button';
    button.textContent = th.textContent;
    button.title = 'Sort by ' + th.textContent;
    th.textContent = '';
    th.appendChild(button);
    button.addEventListener('click', function () {
      direction = sortKey === key ? -direction : 1;
      sortKey = key;
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) { cell.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', direction === 1 ? 'ascending' : 'descending');
      var order = data.instances.map(function (_, i) { return i; });
      order.sort(function (a, b) {
        var x = data.instances[a][key], y = data.instances[b][key];
        var empty = (x === null || x === '') !== (y === null || y === '');
        return (empty ? compare(x, y) : compare(x, y) * direction) || a - b;
      });
      order.forEach(function (i) { tbody.appendChild(rows[i]); });
    });
  });

  text.addEventListener('input', apply);
  verdict.addEventListener('change', apply);
  apply();
})();
`;

/** A CSP source expression allowing exactly this inline element content. */
export const cspHash = (content: string) => `'sha256-${createHash('sha256').update(content, 'utf8').digest('base64')}'`;
