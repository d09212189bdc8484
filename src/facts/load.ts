import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { phaseDone } from '../timings.js';
import { SNAPSHOT_SCHEMA_VERSION, snapshot, type Snapshot } from './snapshot.js';
import { upgradeSnapshot } from './upgrade.js';

const HOW = 'create one with `vss-preflight collect --out FILE`';

/** Read and validate a facts snapshot; every way it can be wrong is one line naming the file. */
export async function loadSnapshot(path: string): Promise<Snapshot> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : String(code ?? err);
    throw new UserError(`cannot read facts file ${path}: ${why}; ${HOW}`);
  }
  phaseDone('read');
  let json: unknown;
  try {
    json = upgradeSnapshot(JSON.parse(text));
  } catch (err) {
    throw new UserError(`facts file ${path} is not valid JSON (${(err as Error).message}); ${HOW}`);
  }
  phaseDone('parse');
  const version = (json as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof json === 'object' && json !== null && version !== undefined && version !== SNAPSHOT_SCHEMA_VERSION) {
    throw new UserError(`facts file ${path} has schemaVersion ${JSON.stringify(version)}, this version reads ${SNAPSHOT_SCHEMA_VERSION}; collect it again with this version`);
  }
  const parsed = snapshot.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const at = issue.path.length ? issue.path.join('.') : '(top level)';
    throw new UserError(`facts file ${path} is not a vss-preflight facts snapshot: at ${at}: ${issue.message}; ${HOW}`);
  }
  phaseDone('validate');
  return parsed.data;
}
