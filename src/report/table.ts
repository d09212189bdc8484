import type { InstanceReport, Report } from './schema.js';
import { accountLine, errorLine } from './verdicts.js';

export interface TableOptions {
  color: boolean;
  /** Terminal width: reasons are cut to fit on a TTY; piped output keeps them whole. */
  width?: number;
}

const COLORS: Record<InstanceReport['verdict'], number> = {
  'application-consistent': 32, // green
  'vss-fallback': 33, // yellow
  'no-vss': 31, // red
  unknown: 35, // magenta
};

/** Tag values are AWS data: control characters (ANSI escapes, newlines) must not reach the terminal. */
// eslint-disable-next-line no-control-regex
export const safeText = (s: string | null) => (s ?? '').replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);


/** A fixed-width table: instance, (account,) name, region, verdict, first failing reason; then the summary. */
export function renderTable(report: Report, { color, width }: TableOptions): string {
  const paint = (code: number, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  // A report over several accounts says which account each instance is in.
  const multi = report.accounts !== undefined;
  const rows = report.instances.map((i) => [i.instanceId, ...(multi ? [i.accountId] : []), safeText(i.name) || '-', i.region, i.verdict, safeText(i.reason) || '-']);
  const header = ['INSTANCE', ...(multi ? ['ACCOUNT'] : []), 'NAME', 'REGION', 'VERDICT', 'REASON'];
  const last = header.length - 1;
  // A loop, not Math.max(...lengths): a spread of 150,000 rows overflows the call stack.
  const widths = header.slice(0, last).map((h, c) => rows.reduce((w, r) => Math.max(w, r[c]!.length), h.length));
  const room = width ? Math.max(20, width - widths.reduce((a, b) => a + b + 2, 0)) : Infinity;
  const fit = (s: string) => (s.length > room ? `${s.slice(0, room - 1)}…` : s);
  const line = (cells: string[], verdict?: InstanceReport['verdict']) =>
    cells
      .map((cell, c) => {
        const padded = c < last ? cell.padEnd(widths[c]!) : fit(cell);
        return c === last - 1 && verdict ? paint(COLORS[verdict], padded) : padded;
      })
      .join('  ')
      .trimEnd();
  const out = [line(header), ...rows.map((r, n) => line(r, report.instances[n]!.verdict)), '', summaryLine(report)];
  for (const a of report.accounts ?? []) {
    out.push(`  account ${a.accountId} ${a.status}: ${accountLine(a)}${a.reason ? `; ${safeText(a.reason)}` : ''}`);
  }
  if (report.plan) {
    const p = report.plan;
    out.push('', safeText(p.changeSummary), `Today: ${p.today}`);
    if (p.unmatchedSelections.length) out.push(`Selections that cover no instance: ${p.unmatchedSelections.map(safeText).join(', ')}`);
  }
  if (report.skippedRules.length) out.push(`Rules skipped: ${report.skippedRules.join(', ')}`);
  for (const e of report.errors) {
    out.push(`Error: ${safeText(errorLine(e))}`);
  }
  return out.join('\n') + '\n';
}

export function summaryLine({ summary: s }: Report): string {
  return (
    `${s.instances} instance${s.instances === 1 ? '' : 's'}: ${s['application-consistent']} application-consistent, ` +
    `${s['vss-fallback']} vss-fallback (Completed with issues), ${s['no-vss']} no-vss (silently crash-consistent), ${s.unknown} unknown`
  );
}
