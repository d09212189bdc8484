import type { InstanceReport, Report } from './schema.js';

type Column = [header: string, value: (i: InstanceReport) => string | null];

const ids = (i: InstanceReport, keep: (f: InstanceReport['findings'][number]) => boolean) =>
  i.findings.filter(keep).map((f) => f.ruleId).join(';');

/**
 * One row per instance. failingRules, warnings and unknowns are the rule ids of its fail, warn and
 * unknown findings (`;`-separated), as the verdict counts them. The last two columns come after
 * the documented ones so a reader keyed on position still works: the rule ids a suppression
 * accepts, and gateVerdict, the verdict without them, which --fail-on checks.
 */
const COLUMNS: Column[] = [
  ['instanceId', (i) => i.instanceId],
  ['accountId', (i) => i.accountId],
  ['region', (i) => i.region],
  ['name', (i) => i.name],
  ['state', (i) => i.state],
  ['instanceType', (i) => i.instanceType],
  ['verdict', (i) => i.verdict],
  ['verdictOnceRunning', (i) => i.verdictOnceRunning],
  ['expectedJobStatus', (i) => i.expectedJobStatus],
  ['failingRules', (i) => ids(i, (f) => f.status === 'fail')],
  ['warnings', (i) => ids(i, (f) => f.status === 'warn')],
  ['unknowns', (i) => ids(i, (f) => f.status === 'unknown')],
  ['reason', (i) => i.reason],
  ['suppressed', (i) => ids(i, (f) => f.suppressed !== undefined)],
  ['gateVerdict', (i) => i.gateVerdict],
];

/**
 * A spreadsheet opens a cell starting with one of these as a formula (OWASP "CSV Injection"):
 * a Name tag of `=HYPERLINK(...)` must stay text, so it gets a leading apostrophe.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** RFC 4180: a field holding `"`, `,`, CR or LF is quoted, with `"` doubled. */
function csvField(value: string | null): string {
  let s = value ?? '';
  if (FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const row = (cells: (string | null)[]) => cells.map(csvField).join(',') + '\r\n';

/** RFC 4180 CSV: a header row, then one row per instance, CRLF line ends; a chunk per row. */
export function* csvChunks(report: Report): Generator<string> {
  yield row(COLUMNS.map(([header]) => header));
  for (const i of report.instances) yield row(COLUMNS.map(([, value]) => value(i)));
}
