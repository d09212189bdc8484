/**
 * JSON as a sequence of chunks whose concatenation is exactly `JSON.stringify(value, null, 2)`:
 * a report of 100,000 instances is more text than one JavaScript string may hold (2^29 - 24
 * characters), so the big formats write it piece by piece. The top `levels` of objects and arrays
 * are written here; everything below them goes through JSON.stringify in one piece.
 *
 * A frozen value below them is serialised once per document and its text reused wherever it
 * recurs: the engine freezes what it shares across instances (a finding recurs on thousands of
 * them), and nothing is changed while a document is written.
 */

/** An array whose items are made only when it is written: SARIF results, one at a time. */
export class LazyArray<T> {
  constructor(private readonly items: () => Iterable<T>) {}
  [Symbol.iterator](): Iterator<T> {
    return this.items()[Symbol.iterator]();
  }
  /** JSON.stringify writes it as the array it stands for. */
  toJSON(): T[] {
    return [...this.items()];
  }
}

const GAP = '  ';

/**
 * `value` as JSON.stringify writes it `depth` levels down: wrapped in `depth` arrays, whose
 * brackets and indentation are then cut off, so the engine indents it natively.
 */
function nested(value: unknown, depth: number): string | undefined {
  if (depth === 0) return JSON.stringify(value, null, 2);
  let wrapped: unknown = value;
  for (let i = 0; i < depth; i++) wrapped = [wrapped];
  const text = JSON.stringify(wrapped, null, 2);
  // "[\n  [\n    " before and "\n  ]\n]" after, for depth 2.
  const before = depth * 2 + GAP.length * ((depth * (depth + 1)) / 2);
  const after = depth * 2 + GAP.length * ((depth * (depth - 1)) / 2);
  return text.slice(before, text.length - after);
}

/** What JSON.stringify writes for a property value, or undefined when it leaves the property out. */
const skipped = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol';

/** A value as JSON.stringify sees it: through its toJSON(key), if it has one. */
function resolved(v: unknown, key: string): unknown {
  if (v !== null && typeof v === 'object' && !(v instanceof LazyArray) && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    return (v as { toJSON: (key: string) => unknown }).toJSON(key);
  }
  return v;
}

/**
 * What one document has written: the text of each frozen value, and of each key. Values are
 * written whole only at the depth where the expanded levels end, so one indentation fits all.
 */
interface Written {
  values: Map<object, string>;
  keys: Map<string, string>;
}

/** A value below the expanded levels: its text once per document if frozen, else JSON.stringify's. */
function whole(v: unknown, depth: number, written: Written): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (!Object.isFrozen(v)) return nested(v, depth) ?? 'null';
  let text = written.values.get(v);
  if (text === undefined) written.values.set(v, (text = nested(v, depth) ?? 'null'));
  return text;
}

function keyText(k: string, written: Written): string {
  let text = written.keys.get(k);
  if (text === undefined) written.keys.set(k, (text = `${JSON.stringify(k)}: `));
  return text;
}

/** Text is yielded once about this long, or where an expanded child's chunks begin. */
const CHUNK = 1 << 14;

/**
 * An object or array `levels` deep to expand, `v` already resolved. Children that are not
 * expanded (scalars, and everything at the last level) are appended to the current chunk: a
 * generator per property would cost more than its text.
 */
function* write(v: unknown, depth: number, levels: number, written: Written): Generator<string> {
  if (levels === 0 || v === null || typeof v !== 'object') {
    yield whole(v, depth, written);
    return;
  }
  const pad = GAP.repeat(depth);
  const inner = pad + GAP;
  let out = '';
  let n = 0;
  const array = Array.isArray(v) || v instanceof LazyArray;
  const entries: Iterable<unknown> = array ? (v as Iterable<unknown>) : Object.keys(v);
  for (const entry of entries) {
    let item: unknown;
    if (array) {
      item = resolved(skipped(entry) ? null : entry, String(n));
      out += `${n === 0 ? '[' : ','}\n${inner}`;
    } else {
      const k = entry as string;
      item = resolved((v as Record<string, unknown>)[k], k);
      if (skipped(item)) continue;
      out += `${n === 0 ? '{' : ','}\n${inner}${keyText(k, written)}`;
    }
    n++;
    if (levels === 1 || item === null || typeof item !== 'object') {
      out += whole(item, depth + 1, written);
      if (out.length < CHUNK) continue;
      yield out;
    } else {
      if (out) yield out;
      yield* write(item, depth + 1, levels - 1, written);
    }
    out = '';
  }
  yield out + (n === 0 ? (array ? '[]' : '{}') : `\n${pad}${array ? ']' : '}'}`);
}

/** `JSON.stringify(value, null, 2)` in chunks, expanding the top `levels` levels here. */
export function jsonChunks(value: unknown, levels = 2): Iterable<string> {
  return write(resolved(value, ''), 0, levels, { values: new Map(), keys: new Map() });
}

/** A JSON file as `${JSON.stringify(value, null, 2)}\n` writes it, in chunks. */
export function* jsonDocument(value: unknown, levels = 2): Generator<string> {
  yield* jsonChunks(value, levels);
  yield '\n';
}
