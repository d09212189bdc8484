/**
 * JSON as a sequence of chunks whose concatenation is exactly `JSON.stringify(value, null, 2)`:
 * a report of 100,000 instances is more text than one JavaScript string may hold (2^29 - 24
 * characters), so the big formats write it piece by piece. The top `levels` of objects and arrays
 * are written here; everything below them goes through JSON.stringify in one piece.
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

function* write(value: unknown, key: string, depth: number, levels: number): Generator<string> {
  let v = value;
  if (v !== null && typeof v === 'object' && !(v instanceof LazyArray) && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    v = (v as { toJSON: (key: string) => unknown }).toJSON(key);
  }
  if (levels === 0 || v === null || typeof v !== 'object') {
    yield nested(v, depth) ?? 'null';
    return;
  }
  const pad = GAP.repeat(depth);
  const inner = pad + GAP;
  if (Array.isArray(v) || v instanceof LazyArray) {
    let n = 0;
    for (const item of v as Iterable<unknown>) {
      yield `${n === 0 ? '[' : ','}\n${inner}`;
      yield* write(skipped(item) ? null : item, String(n), depth + 1, levels - 1);
      n++;
    }
    yield n === 0 ? '[]' : `\n${pad}]`;
    return;
  }
  let n = 0;
  for (const [k, item] of Object.entries(v)) {
    if (skipped(item)) continue;
    yield `${n === 0 ? '{' : ','}\n${inner}${JSON.stringify(k)}: `;
    yield* write(item, k, depth + 1, levels - 1);
    n++;
  }
  yield n === 0 ? '{}' : `\n${pad}}`;
}

/** `JSON.stringify(value, null, 2)` in chunks, expanding the top `levels` levels here. */
export function jsonChunks(value: unknown, levels = 2): Iterable<string> {
  return write(value, '', 0, levels);
}

/** A JSON file as `${JSON.stringify(value, null, 2)}\n` writes it, in chunks. */
export function* jsonDocument(value: unknown, levels = 2): Generator<string> {
  yield* jsonChunks(value, levels);
  yield '\n';
}
