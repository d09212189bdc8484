import type { Rule } from '../engine/types.js';

const CONSEQUENCE_TEXT: Record<Rule['consequence'], string> = {
  'vss-fallback': 'vss-fallback (Completed with issues)',
  'no-vss': 'no-vss (silently crash-consistent)',
};

/** `vss-preflight rules`: one line per rule. */
export function renderRuleList(rules: readonly Rule[]): string {
  const rows = rules.map((r) => [r.id, r.severity, r.consequence, r.title, r.sources[0] ?? '']);
  const header = ['RULE', 'SEVERITY', 'ON FAILURE', 'CHECKS THAT', 'SOURCE'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c < cells.length - 1 ? cell.padEnd(widths[c]!) : cell)).join('  ');
  return [line(header), ...rows.map(line), '', `${rules.length} rules. Details: vss-preflight explain <rule>`].join('\n') + '\n';
}

/** `vss-preflight explain <rule>`: the rule's whole documentation. */
export function renderRuleDoc(rule: Rule): string {
  const section = (title: string, body: string) => `${title}\n${wrap(body)}\n`;
  return [
    `${rule.id}: ${rule.title}`,
    `severity ${rule.severity}; a failure means ${CONSEQUENCE_TEXT[rule.consequence]}${rule.transient ? '; it ends when the instance runs' : ''}`,
    '',
    section('Why it matters', rule.why),
    section('How it is detected', rule.detection),
    section('Fix', rule.fix),
    ...(rule.unverified ? [section('Not verified', rule.unverified)] : []),
    `Sources\n${rule.sources.map((s) => `  ${s}`).join('\n')}\n`,
  ].join('\n');
}

/** Indent and fold prose to 100 columns; URLs and words are never split. */
function wrap(text: string, width = 98): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l) => `  ${l}`).join('\n');
}

/** The rule ids closest to a mistyped one (edit distance ≤ 3), for "did you mean". */
export function closest(ids: string[], wanted: string): string[] {
  const distance = (a: string, b: string) => {
    const d = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let prev = d[0]!;
      d[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const cur = d[j]!;
        d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
        prev = cur;
      }
    }
    return d[b.length]!;
  };
  return ids
    .map((id) => ({ id, d: distance(id, wanted) }))
    .filter((x) => x.d <= 3)
    .sort((a, b) => a.d - b.d)
    .map((x) => x.id);
}
