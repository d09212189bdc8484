import type { Rule } from '../engine/types.js';
import { UserError } from '../errors.js';

/** Apply `--skip-rules a,b`: unknown ids are an error, so a typo does not silently skip nothing. */
export function selectRules(all: readonly Rule[], raw: string | undefined): { rules: Rule[]; skipped: string[] } {
  const skipped = [...new Set((raw ?? '').split(',').map((s) => s.trim()).filter(Boolean))];
  const ids = new Set(all.map((r) => r.id));
  const bad = skipped.find((id) => !ids.has(id));
  if (bad) throw new UserError(`--skip-rules: no rule "${bad}"; rule ids are ${[...ids].join(', ')}`);
  return { rules: all.filter((r) => !skipped.includes(r.id)), skipped };
}
