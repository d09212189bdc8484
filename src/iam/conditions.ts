/**
 * IAM Condition blocks, compiled once into three-valued tests of a request context.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 */
import {
  allOf,
  anyOf,
  compileGlob,
  HOLE,
  matchGlob,
  not,
  parsePattern,
  patternTest,
  unknown,
  type Context,
  type Glob,
  type Piece,
  type Tri,
} from './policy.js';

export type Scalar = string | number | boolean;
export type ConditionBlock = Record<string, Record<string, Scalar | Scalar[]>>;
export type Condition = (ctx: Context) => Tri;

/** Tests one request value against one policy value. */
type ValueTest = (value: string, ctx: Context) => Tri;
type Compiler = (policyValue: string, variables: boolean) => ValueTest;

/** For the Equals operators `*` and `?` are plain characters; only a missing variable stays wild. */
const literal = (pieces: readonly Piece[]): Piece[] =>
  pieces.map((p) => (p === HOLE ? p : { text: p.text, wild: false }));
const lower = (pieces: readonly Piece[]): Piece[] => pieces.map((p) => ({ text: p.text.toLowerCase(), wild: p.wild }));

// Policy variables are substituted in string and ARN condition values only (reference_policies_variables.html).
const stringEquals: Compiler = (v, vars) =>
  patternTest(parsePattern(v, vars), (p) => compileGlob(literal(p)), matchGlob);
const stringEqualsIgnoreCase: Compiler = (v, vars) =>
  patternTest(
    parsePattern(v, vars),
    (p) => compileGlob(lower(literal(p))),
    (g, s) => matchGlob(g, s.toLowerCase()),
  );
const stringLike: Compiler = (v, vars) => patternTest(parsePattern(v, vars), compileGlob, matchGlob);
const arnLike: Compiler = (v, vars) => patternTest(parsePattern(v, vars), arnGlobs, matchArn);

const ARN_PARTS = 6;

/**
 * ArnEquals and ArnLike both compare the six colon-separated ARN parts one by one, each a glob
 * (AWS documents the two as the same). The sixth part keeps any further colons.
 */
function arnGlobs(pieces: readonly Piece[]): Glob[] {
  const parts: Piece[][] = [[]];
  for (const piece of pieces) {
    let text = piece.text;
    let i = text.indexOf(':');
    while (parts.length < ARN_PARTS && i >= 0) {
      parts[parts.length - 1]?.push({ text: text.slice(0, i), wild: piece.wild });
      parts.push([]);
      text = text.slice(i + 1);
      i = text.indexOf(':');
    }
    parts[parts.length - 1]?.push({ text, wild: piece.wild });
  }
  // No colon at all (e.g. "*"): compare the whole string. Two to five parts: not an ARN, no match.
  if (parts.length === 1) return [compileGlob(pieces)];
  return parts.length === ARN_PARTS ? parts.map(compileGlob) : [];
}

function splitArn(value: string): string[] | undefined {
  const parts: string[] = [];
  let from = 0;
  for (let k = 1; k < ARN_PARTS; k++) {
    const i = value.indexOf(':', from);
    if (i < 0) return undefined;
    parts.push(value.slice(from, i));
    from = i + 1;
  }
  parts.push(value.slice(from));
  return parts;
}

function matchArn(globs: readonly Glob[], value: string): boolean {
  if (globs.length === 1) return matchGlob(globs[0] as Glob, value);
  if (globs.length !== ARN_PARTS) return false;
  const parts = splitArn(value);
  return parts !== undefined && globs.every((g, i) => matchGlob(g, parts[i] as string));
}

const toNumber = (s: string) => (s.trim() === '' ? NaN : Number(s));
// Date values are ISO 8601 or epoch seconds; AWS accepts both.
const EPOCH = /^\d+$/;
const toDate = (s: string) => (EPOCH.test(s) ? Number(s) * 1000 : Date.parse(s));

/** `ok` sees request value minus policy value; values that do not parse never match. */
const ordered =
  (parse: (s: string) => number, ok: (d: number) => boolean): Compiler =>
  (v) => {
    const bound = parse(v);
    return (value) => {
      const x = parse(value);
      return !Number.isNaN(bound) && !Number.isNaN(x) && ok(x - bound);
    };
  };

const bool: Compiler = (v) => {
  const expected = v.toLowerCase();
  return (value) => value.toLowerCase() === expected;
};

interface Operator {
  readonly compile: Compiler;
  /** The key must match none of the values (AWS: negated operators). */
  readonly negated: boolean;
}
const OPERATORS = new Map<string, Operator>();
const define = (name: string, compile: Compiler, negated = false) =>
  OPERATORS.set(name.toLowerCase(), { compile, negated });

define('StringEquals', stringEquals);
define('StringNotEquals', stringEquals, true);
define('StringEqualsIgnoreCase', stringEqualsIgnoreCase);
define('StringNotEqualsIgnoreCase', stringEqualsIgnoreCase, true);
define('StringLike', stringLike);
define('StringNotLike', stringLike, true);
define('ArnEquals', arnLike);
define('ArnLike', arnLike);
define('ArnNotEquals', arnLike, true);
define('ArnNotLike', arnLike, true);
define('Bool', bool);
const ORDERS: [string, (d: number) => boolean][] = [
  ['Equals', (d) => d === 0],
  ['LessThan', (d) => d < 0],
  ['LessThanEquals', (d) => d <= 0],
  ['GreaterThan', (d) => d > 0],
  ['GreaterThanEquals', (d) => d >= 0],
];
for (const [suffix, ok] of ORDERS) {
  define(`Numeric${suffix}`, ordered(toNumber, ok));
  define(`Date${suffix}`, ordered(toDate, ok));
}
define('NumericNotEquals', ordered(toNumber, (d) => d === 0), true);
define('DateNotEquals', ordered(toDate, (d) => d === 0), true);

const OPERATOR = /^(?:(ForAllValues|ForAnyValue):)?(.+?)(IfExists)?$/i;
const cannotKnow = (key: string) => unknown(`has condition key ${key}, which this check cannot know`);

/** Null: "true" asks that the key be absent, "false" that it be present. An empty list counts as absent. */
function nullTest(key: string, values: readonly string[]): Condition {
  const lookup = key.toLowerCase();
  return (ctx) => {
    const present = ctx.values.get(lookup);
    if (present === undefined && ctx.isUnknowable(key)) return cannotKnow(key);
    const absent = present === undefined || (typeof present !== 'string' && present.length === 0);
    return values.some((v) => v.toLowerCase() === String(absent));
  };
}

function compileEntry(operator: string, key: string, values: readonly string[], variables: boolean): Condition {
  const [, set, base = '', ifExists] = OPERATOR.exec(operator) ?? [];
  if (base.toLowerCase() === 'null') return nullTest(key, values);
  const op = OPERATORS.get(base.toLowerCase());
  const lookup = key.toLowerCase();
  if (!op) {
    const unsupported = unknown(`uses condition operator ${operator}, which this check does not support`);
    return (ctx) => (!ctx.values.has(lookup) && ctx.isUnknowable(key) ? cannotKnow(key) : unsupported);
  }
  const tests = values.map((v) => op.compile(v, variables));
  const matchesAny: ValueTest = (value, ctx) => anyOf(tests, (t) => t(value, ctx));
  const valueOk: ValueTest = op.negated ? (value, ctx) => not(matchesAny(value, ctx)) : matchesAny;
  const forAll = set?.toLowerCase() === 'forallvalues';
  const forAny = set?.toLowerCase() === 'foranyvalue';
  return (ctx) => {
    const present = ctx.values.get(lookup);
    if (present === undefined) {
      if (ctx.isUnknowable(key)) return cannotKnow(key);
      // AWS: a missing key makes the condition false, except that negated operators are then
      // true, IfExists is true, and ForAllValues is true (ForAnyValue false) on a missing or
      // empty key (reference_policies_condition-single-vs-multi-valued-context-keys.html).
      return ifExists !== undefined || forAll || (!forAny && op.negated);
    }
    const list = typeof present === 'string' ? [present] : present;
    if (forAll) return allOf(list, (v) => valueOk(v, ctx));
    if (forAny) return anyOf(list, (v) => valueOk(v, ctx));
    // AWS wants a set prefix on list keys and leaves this case undefined; our choice: a list
    // matches if any value matches, and for negated operators if no value matches.
    return op.negated ? allOf(list, (v) => valueOk(v, ctx)) : anyOf(list, (v) => valueOk(v, ctx));
  };
}

/** Operators and keys are ANDed, the values of one key ORed (reference_policies_multi-value-conditions.html). */
export function compileCondition(block: ConditionBlock | undefined, variables: boolean): Condition {
  const entries = Object.entries(block ?? {}).flatMap(([operator, keys]) =>
    Object.entries(keys).map(([key, v]) => compileEntry(operator, key, (Array.isArray(v) ? v : [v]).map(String), variables)),
  );
  if (entries.length === 0) return () => true;
  return (ctx) => allOf(entries, (entry) => entry(ctx));
}
