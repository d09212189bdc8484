/** Parsed versions: a fleet has few distinct ones, and several rules compare each instance's. */
const parsed = new Map<string, number[] | undefined>();
const MAX_PARSED = 10_000;

function parse(v: string): number[] | undefined {
  if (parsed.has(v)) return parsed.get(v);
  const parts = /^\d+(\.\d+)*$/.test(v.trim()) ? v.trim().split('.').map(Number) : undefined;
  if (parsed.size >= MAX_PARSED) parsed.clear();
  parsed.set(v, parts);
  return parts;
}

/** Compare dotted numeric versions ('2.3.1' vs '2.10'); missing parts count as 0. Undefined if either is not numeric. */
export function compareVersions(a: string, b: string): number | undefined {
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return undefined;
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** a >= b, or undefined when either version is not numeric. */
export const atLeast = (a: string, b: string): boolean | undefined => {
  const c = compareVersions(a, b);
  return c === undefined ? undefined : c >= 0;
};
