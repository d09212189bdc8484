/** Formatting of the benchmark's figures: plain aligned text, one figure per line. */
import type { RateLimits } from '../fake-aws/rate-limit.js';
import type { ActionCount, LowerBound, NaiveCount } from './figures.js';

export const int = (n: number) => Math.round(n).toLocaleString('en-US');
export const secs = (s: number) => (s < 10 ? s.toFixed(2) : s.toFixed(1)) + ' s';
export const mb = (kb: number | null) => (kb === null ? 'n/a' : `${int((kb * 1024) / 1e6)} MB`);
export const times = (x: number) => (Number.isFinite(x) ? `${x < 10 ? x.toFixed(2) : x.toFixed(1)}×` : 'n/a');

export interface Target {
  label: string;
  value: string;
  /** null: not measurable in this run (said in value). */
  pass: boolean | null;
}

export const line = (label: string, text: string) => `${label.padEnd(22)} ${text}`;

export function limitsLine(latencyMs: number, limits: RateLimits): string {
  const buckets = Object.entries(limits).map(([s, b]) => `${s} ${b.rate}/s burst ${b.burst}${s === 'iam' ? ' (global)' : ''}`);
  return line('fake endpoint', `127.0.0.1, ${latencyMs} ms per call; token buckets per account, service and region: ${buckets.join(', ')}`);
}

export function callsBlock(rows: ActionCount[], instances: number): string[] {
  const out = ['API calls (answered + throttled):'];
  const total = rows.reduce((s, r) => s + r.calls, 0);
  const width = Math.max(...rows.map((r) => r.action.length), 10);
  let service = '';
  for (const r of rows) {
    const head = r.service === service ? '' : r.service;
    service = r.service;
    const serviceTotal = rows.filter((x) => x.service === r.service).reduce((s, x) => s + x.calls, 0);
    const tail = head ? `   (${r.service} total ${int(serviceTotal)})` : '';
    out.push(`  ${head.padEnd(7)} ${r.action.padEnd(width)} ${int(r.calls).padStart(9)}${r.throttled ? `  (${int(r.throttled)} throttled)` : ''}${tail}`);
  }
  out.push(`  ${'all'.padEnd(7)} ${''.padEnd(width)} ${int(total).padStart(9)}   = ${(instances ? total / instances : 0).toFixed(3)} per instance`);
  return out;
}

export function lowerBoundBlock(lb: LowerBound, latencyMs: number): string[] {
  const l = lb.longest;
  const chain = l
    ? `${lb.chain} sequential round trips (longest listing: ${l.service}:${l.action} in ${l.region}, ${l.pages} pages${lb.chain > l.pages ? ', after the region check' : ''}) × ${latencyMs} ms = ${secs(lb.chainSeconds)}`
    : 'no listing';
  const lost = lb.gaveUp ? ` (calls needed: answered, plus ${int(lb.gaveUp)} requests given up after throttling)` : '';
  const out = [line('lower bound', `${secs(lb.seconds)}, set by ${lb.dominant}${lost}`), line('  chain', chain)];
  for (const b of lb.buckets.slice(0, 6)) {
    out.push(line(`  bucket ${b.bucket}`, `${int(b.needed)} calls needed: max(0, (${int(b.needed)} − ${b.burst}) / ${b.rate}/s) + one round trip = ${secs(b.seconds)}`));
  }
  if (lb.buckets.length > 6) out.push(line('', `(${lb.buckets.length - 6} more buckets, all faster)`));
  return out;
}

export function naiveLine(naive: NaiveCount, actual: number): string[] {
  const parts = Object.entries(naive.byAction).map(([a, n]) => `${a} ${int(n)}`);
  return [
    line('naive per-instance', `${int(naive.total)} calls (${parts.join(', ')})`),
    line('  vs this run', `${times(naive.total / actual)} fewer calls than the naive approach`),
  ];
}

export function targetsBlock(title: string, targets: Target[]): string[] {
  const width = Math.max(...targets.map((t) => t.label.length));
  return [
    title,
    ...targets.map((t) => `  ${t.label.padEnd(width)}  ${t.value.padEnd(34)} ${t.pass === null ? 'n/a' : t.pass ? 'PASS' : 'MISS'}`),
  ];
}
