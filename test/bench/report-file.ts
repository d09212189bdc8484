/**
 * The few top-level fields the benchmark needs from a `--format json` report, read without
 * parsing the instances: at 50,000 instances the report is hundreds of MB, more than the bench
 * should hold as one string. Relies on the reporter's 2-space indentation (top-level keys start
 * a line with two spaces); falls back to a full parse otherwise.
 */
import { readFileSync } from 'node:fs';
import type { ScanError } from '../../src/facts/snapshot.js';

export interface ReportHead {
  accountIds: string[];
  regions: string[];
  summary: Record<string, number>;
  errors: (ScanError & { count?: number })[];
}

const KEYS = ['regions', 'accountIds', 'summary', 'errors'] as const;

export function readReportHead(path: string): ReportHead {
  const buf = readFileSync(path);
  const starts = new Map<string, number>();
  for (const key of KEYS) {
    const at = buf.lastIndexOf(`\n  "${key}": `);
    if (at < 0) return JSON.parse(buf.toString('utf8')) as ReportHead;
    starts.set(key, at);
  }
  const value = (key: string): unknown => {
    const from = starts.get(key)! + `\n  "${key}": `.length;
    // The value ends where the next top-level key (or the closing brace) begins.
    let to = buf.indexOf('\n  "', from);
    if (to < 0) to = buf.lastIndexOf('\n}');
    const text = buf.subarray(from, to).toString('utf8').trim().replace(/,$/, '');
    return JSON.parse(text);
  };
  return {
    regions: value('regions') as string[],
    accountIds: value('accountIds') as string[],
    summary: value('summary') as Record<string, number>,
    errors: value('errors') as ReportHead['errors'],
  };
}
