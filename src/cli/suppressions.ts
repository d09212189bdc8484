import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import type { Rule } from '../engine/types.js';
import { suppressionsFile, type Suppression } from '../engine/suppressions.js';
import { UserError } from '../errors.js';

/** Read `--suppressions FILE` (YAML, or JSON which YAML reads too); every problem is one line naming the entry. */
export async function loadSuppressions(path: string, rules: readonly Rule[]): Promise<Suppression[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new UserError(`cannot read suppressions file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let data: unknown;
  try {
    data = parse(text);
  } catch (err) {
    throw new UserError(`suppressions file ${path} is not YAML or JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  const parsed = suppressionsFile.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const at = issue.path.length ? issue.path.map((p) => (typeof p === 'number' ? `#${p + 1}` : p)).join('.') : '(top level)';
    throw new UserError(`suppressions file ${path}: at ${at}: ${issue.message} (expected suppressions: [{rules, instances or tags, reason, expires}])`);
  }
  const ids = new Set(rules.map((r) => r.id));
  return parsed.data.suppressions.map((entry, n) => {
    const unknownRule = entry.rules.find((r) => !ids.has(r));
    if (unknownRule) throw new UserError(`suppressions file ${path}: entry #${n + 1} names no rule "${unknownRule}" (see vss-preflight rules)`);
    return { ...entry, source: `${path}#${n + 1}` };
  });
}
