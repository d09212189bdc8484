/**
 * The value language of IAM policies: `*`/`?` globs, policy variables, and the three-valued
 * logic used when a value cannot be known. No I/O; everything compiles once per policy text.
 */

/** An outcome this check cannot know, with the reason (completes "statement X of policy P …"). */
export interface Unknown {
  readonly unknown: string;
}
export type Tri = boolean | Unknown;

export const unknown = (reason: string): Unknown => ({ unknown: reason });
export const not = (t: Tri): Tri => (typeof t === 'boolean' ? !t : t);

/** AND of three-valued tests: false AND unknown = false; the first unknown reason is kept. */
export function allOf<T>(items: readonly T[], test: (item: T) => Tri): Tri {
  let doubt: Unknown | undefined;
  for (const item of items) {
    const t = test(item);
    if (t === false) return false;
    if (t !== true) doubt ??= t;
  }
  return doubt ?? true;
}

/** OR of three-valued tests: true OR unknown = true; the first unknown reason is kept. */
export function anyOf<T>(items: readonly T[], test: (item: T) => Tri): Tri {
  let doubt: Unknown | undefined;
  for (const item of items) {
    const t = test(item);
    if (t === true) return true;
    if (t !== false) doubt ??= t;
  }
  return doubt ?? false;
}

export type ContextValue = string | readonly string[];

export interface Context {
  /** The request's condition keys by lower-cased name: AWS key names are case-insensitive. */
  readonly values: ReadonlyMap<string, ContextValue>;
  /** Keys this check cannot know; when absent from `values`, their conditions are unknown. */
  readonly isUnknowable: (key: string) => boolean;
}

/** A run of text; `wild` says whether `*` and `?` in it are wildcards. */
export interface Piece {
  readonly text: string;
  readonly wild: boolean;
}

/** Text between two `*`s; `any` lists the positions of `?` (one character each). */
interface Segment {
  readonly text: string;
  readonly any: readonly number[];
}
/** A glob split at its `*`s: a single segment means the glob has no `*`. */
export type Glob = readonly Segment[];

export function compileGlob(pieces: readonly Piece[]): Glob {
  const segments: Segment[] = [];
  let text = '';
  let any: number[] = [];
  for (const piece of pieces) {
    if (!piece.wild) {
      text += piece.text;
      continue;
    }
    for (let i = 0; i < piece.text.length; i++) {
      const ch = piece.text[i];
      if (ch === '*') {
        segments.push({ text, any });
        text = '';
        any = [];
        continue;
      }
      if (ch === '?') any.push(text.length);
      text += ch;
    }
  }
  segments.push({ text, any });
  return segments;
}

function matchAt(segment: Segment, s: string, at: number): boolean {
  if (segment.any.length === 0) return s.startsWith(segment.text, at);
  if (at + segment.text.length > s.length) return false;
  let next = 0;
  for (let i = 0; i < segment.text.length; i++) {
    if (segment.any[next] === i) next++;
    else if (s.charCodeAt(at + i) !== segment.text.charCodeAt(i)) return false;
  }
  return true;
}

/** First position >= from where the segment matches and ends by `limit`, or -1. */
function find(segment: Segment, s: string, from: number, limit: number): number {
  const last = limit - segment.text.length;
  if (segment.any.length === 0) {
    const i = s.indexOf(segment.text, from);
    return i <= last ? i : -1;
  }
  for (let i = from; i <= last; i++) if (matchAt(segment, s, i)) return i;
  return -1;
}

/** Whole-string glob match; taking the leftmost fit for each middle segment is always safe. */
export function matchGlob(glob: Glob, s: string): boolean {
  const first = glob[0];
  const last = glob[glob.length - 1];
  if (!first || !last) return false; // compileGlob never returns an empty glob
  if (glob.length === 1) return s.length === first.text.length && matchAt(first, s, 0);
  const end = s.length - last.text.length;
  if (end < first.text.length || !matchAt(first, s, 0) || !matchAt(last, s, end)) return false;
  let pos = first.text.length;
  for (let k = 1; k < glob.length - 1; k++) {
    const segment = glob[k] as Segment;
    const i = find(segment, s, pos, end);
    if (i < 0) return false;
    pos = i + segment.text.length;
  }
  return true;
}

/**
 * A Resource ARN pattern: `*` and `?` work within the colon-separated segments of an ARN, except
 * that a `*` ending a segment "can expand to match beyond the colon boundaries"
 * (reference_policies_elements_resource.html). So `arn:aws:ec2:*` and `*:*:instance/*` span
 * colons as plain globs do, while `eu-*1` or `?` never match a colon: those compile to a RegExp.
 */
export type ResourceGlob = { readonly glob: Glob } | { readonly re: RegExp };

export function compileResourceGlob(pieces: readonly Piece[]): ResourceGlob {
  const chars = pieces.flatMap((p) => [...p.text].map((c) => ({ c, wild: p.wild })));
  const endsSegment = (i: number) => i + 1 === chars.length || chars[i + 1]?.c === ':';
  const bounded = chars.some(({ c, wild }, i) => wild && (c === '?' || (c === '*' && !endsSegment(i))));
  if (!bounded) return { glob: compileGlob(pieces) };
  const source = chars
    .map(({ c, wild }, i) => {
      if (wild && c === '*') return endsSegment(i) ? '.*' : '[^:]*';
      if (wild && c === '?') return '[^:]';
      return c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return { re: new RegExp(`^${source}$`, 's') };
}

export const matchResource = (g: ResourceGlob, s: string): boolean => ('glob' in g ? matchGlob(g.glob, s) : g.re.test(s));

interface Variable {
  readonly key: string; // lower-cased
  readonly name: string; // as written, for messages
  readonly fallback: string | undefined;
}
type Part = Piece | Variable;

/** Policy text, parsed once: raw text (wildcards live) and `${…}` variables. */
export interface Pattern {
  readonly parts: readonly Part[];
  readonly variables: boolean;
}

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html:
// `${*}`, `${?}`, `${$}` are the literal characters; `${key, 'default'}` names a default.
const ESCAPES = new Set(['*', '?', '$']);
const VARIABLE = /^([^\s,']+)\s*(?:,\s*'((?:[^']|'')*)')?$/;

function parseVariable(body: string): Part | undefined {
  if (ESCAPES.has(body)) return { text: body, wild: false };
  const m = VARIABLE.exec(body);
  if (!m?.[1]) return undefined;
  return { key: m[1].toLowerCase(), name: m[1], fallback: m[2]?.replaceAll("''", "'") };
}

/** `variables` is false for documents whose Version is not 2012-10-17: `${…}` is then literal. */
export function parsePattern(source: string, variables: boolean): Pattern {
  if (!variables || !source.includes('${')) return { parts: [{ text: source, wild: true }], variables: false };
  const parts: Part[] = [];
  let i = 0;
  while (i < source.length) {
    const open = source.indexOf('${', i);
    const close = open < 0 ? -1 : source.indexOf('}', open + 2);
    if (close < 0) {
      parts.push({ text: source.slice(i), wild: true });
      break;
    }
    if (open > i) parts.push({ text: source.slice(i, open), wild: true });
    parts.push(parseVariable(source.slice(open + 2, close).trim()) ?? { text: source.slice(open, close + 1), wild: true });
    i = close + 1;
  }
  return { parts, variables: parts.some((p) => 'key' in p) };
}

/** Stands for a variable the request does not carry: `*` covers every value it could take. */
export const HOLE: Piece = { text: '*', wild: true };

function substitute(pattern: Pattern, ctx: Context): { pieces: Piece[]; missing: string | undefined } {
  let missing: string | undefined;
  const pieces = pattern.parts.map((part): Piece => {
    if (!('key' in part)) return part;
    const value = ctx.values.get(part.key);
    // A multivalued key cannot be a variable (AWS), so it falls back like a missing one.
    if (typeof value === 'string') return { text: value, wild: false };
    if (part.fallback !== undefined) return { text: part.fallback, wild: false };
    missing ??= part.name;
    return HOLE;
  });
  return { pieces, missing };
}

/**
 * Tests a request value against policy text. `build` compiles the resolved pieces (once, when
 * there are no variables). A missing variable is tried as `*`: no match then means no match
 * for any value; a match means the outcome is unknown.
 */
export function patternTest<T>(
  pattern: Pattern,
  build: (pieces: readonly Piece[]) => T,
  test: (compiled: T, value: string) => boolean,
): (value: string, ctx: Context) => Tri {
  if (!pattern.variables) {
    const compiled = build(pattern.parts as readonly Piece[]);
    return (value) => test(compiled, value);
  }
  return (value, ctx) => {
    const { pieces, missing } = substitute(pattern, ctx);
    if (!test(build(pieces), value)) return false;
    return missing === undefined
      ? true
      : unknown(`uses policy variable \${${missing}}, which the request context does not carry`);
  };
}
