/**
 * Local IAM evaluation for one account: may a role's identity policies, after explicit Denies
 * and an optional permissions boundary, make one request? No SCPs, resource or session policies.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */
import { z } from 'zod';
import { compileCondition, type Condition } from './conditions.js';
import {
  anyOf,
  compileGlob,
  compileResourceGlob,
  matchGlob,
  matchResource,
  not,
  parsePattern,
  patternTest,
  type Context,
  type ContextValue,
  type Glob,
  type Tri,
} from './policy.js';

export interface NamedPolicy {
  name: string;
  arn?: string;
  document: unknown; // parsed JSON, already URL-decoded
}
export interface Request {
  action: string;
  resource: string; // one concrete ARN
  context: Record<string, string | string[]>; // condition keys the request carries; names case-insensitive
}
export type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny' | 'undecided';
export interface StatementRef {
  policy: string;
  sid?: string;
  index: number; // 0-based in Statement[]
}
export interface Evaluation {
  decision: Decision;
  allowedBy?: StatementRef;
  deniedBy?: StatementRef & { in: 'identity' | 'boundary' };
  notAllowedBy?: 'identity' | 'boundary';
  undecidedBecause?: string;
}
export interface EvaluateOptions {
  /** Condition keys this check cannot know: when absent from the context, their conditions are unknown. */
  unknowableKeys?: (key: string) => boolean;
}

const UNKNOWABLE_PREFIXES = [
  'aws:sourceip', 'aws:sourcevpc', 'aws:sourcevpce', 'aws:vpcsourceip', 'aws:currenttime', 'aws:epochtime',
  'aws:multifactorauth', 'aws:principaltag/', 'aws:principalorgid', 'aws:principalorgpaths',
  'aws:requestedregion', 'aws:securetransport', 'aws:viaawsservice', 'aws:calledvia', 'ec2:roledelivery',
];
/** The default for `unknowableKeys`: network, time, MFA, principal-org and call-path keys. */
export const defaultUnknowableKeys = (key: string): boolean => {
  const lower = key.toLowerCase();
  return UNKNOWABLE_PREFIXES.some((prefix) => lower.startsWith(prefix));
};

const strings = z.union([z.string(), z.array(z.string())]);
const scalar = z.union([z.string(), z.number(), z.boolean()]);
const statementSchema = z
  .object({
    Sid: z.string().optional(),
    Effect: z.enum(['Allow', 'Deny']),
    Action: strings.optional(),
    NotAction: strings.optional(),
    Resource: strings.optional(),
    NotResource: strings.optional(),
    Condition: z.record(z.string(), z.record(z.string(), z.union([scalar, z.array(scalar)]))).optional(),
  })
  .refine((s) => (s.Action === undefined) !== (s.NotAction === undefined), 'needs exactly one of Action and NotAction')
  .refine((s) => (s.Resource === undefined) !== (s.NotResource === undefined), 'needs exactly one of Resource and NotResource');
const documentSchema = z.object({
  Version: z.string().optional(),
  // A lone statement object stands for a one-element array.
  Statement: z.preprocess((v) => (Array.isArray(v) ? v : [v]), z.array(statementSchema)),
});

type ResourceTest = (resource: string, ctx: Context) => Tri;
interface CompiledStatement {
  readonly ref: Omit<StatementRef, 'policy'>;
  readonly deny: boolean;
  readonly actions: readonly Glob[];
  readonly notAction: boolean;
  readonly resources: readonly ResourceTest[];
  readonly notResource: boolean;
  readonly condition: Condition;
}
type CompiledPolicy = { readonly statements: readonly CompiledStatement[] } | { readonly invalid: string };

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : typeof v === 'string' ? [v] : v);

function compileDocument(document: unknown): CompiledPolicy {
  const parsed = documentSchema.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { invalid: issue ? `${issue.path.join('.') || 'document'}: ${issue.message}` : 'invalid' };
  }
  // Policy variables exist only in Version 2012-10-17; otherwise `${…}` is literal text
  // (reference_policies_elements_version.html).
  const variables = parsed.data.Version === '2012-10-17';
  return {
    statements: parsed.data.Statement.map((s, index) => ({
      ref: s.Sid === undefined ? { index } : { sid: s.Sid, index },
      deny: s.Effect === 'Deny',
      // Action names are case-insensitive; resource ARNs are not.
      actions: list(s.Action ?? s.NotAction).map((a) => compileGlob([{ text: a.toLowerCase(), wild: true }])),
      notAction: s.NotAction !== undefined,
      resources: list(s.Resource ?? s.NotResource).map((r) => patternTest(parsePattern(r, variables), compileResourceGlob, matchResource)),
      notResource: s.NotResource !== undefined,
      condition: compileCondition(s.Condition, variables),
    })),
  };
}

const compiledDocuments = new WeakMap<object, CompiledPolicy>();
function compiled(document: unknown): CompiledPolicy {
  if (typeof document !== 'object' || document === null) return compileDocument(document);
  let policy = compiledDocuments.get(document);
  if (!policy) {
    policy = compileDocument(document);
    compiledDocuments.set(document, policy);
  }
  return policy;
}

/** Not* elements match everything they do not list (reference_policies_elements_notaction.html). */
function applies(s: CompiledStatement, action: string, resource: string, ctx: Context): Tri {
  if (s.actions.some((g) => matchGlob(g, action)) === s.notAction) return false;
  const listed = anyOf(s.resources, (test) => test(resource, ctx));
  const onResource = s.notResource ? not(listed) : listed;
  if (onResource === false) return false;
  const condition = s.condition(ctx);
  return onResource === true || condition === false ? condition : onResource;
}

/** What one side (identity policies, or the boundary) says: first sure and first possible of each effect. */
interface Side {
  allow?: StatementRef;
  maybeAllow?: string;
  deny?: StatementRef;
  maybeDeny?: string;
}

const label = (ref: StatementRef) =>
  `statement ${ref.sid === undefined ? ref.index : `"${ref.sid}"`} of policy ${ref.policy}`;

function scan(policies: readonly NamedPolicy[], action: string, resource: string, ctx: Context): Side {
  const side: Side = {};
  for (const policy of policies) {
    const doc = compiled(policy.document);
    if ('invalid' in doc) {
      // We cannot read it, so it may allow or deny anything.
      const reason = `policy ${policy.name} is not a valid policy document (${doc.invalid})`;
      side.maybeAllow ??= reason;
      side.maybeDeny ??= reason;
      continue;
    }
    for (const s of doc.statements) {
      const t = applies(s, action, resource, ctx);
      if (t === false) continue;
      const ref: StatementRef = { policy: policy.name, ...s.ref };
      if (t === true && s.deny) side.deny ??= ref;
      else if (t === true) side.allow ??= ref;
      else if (s.deny) side.maybeDeny ??= `${label(ref)} ${t.unknown}`;
      else side.maybeAllow ??= `${label(ref)} ${t.unknown}`;
    }
  }
  return side;
}

const cannotAllow = (side: Side) => side.allow === undefined && side.maybeAllow === undefined;
/** Why a side's Allow is in doubt; undefined when it surely allows or surely does not. */
const allowDoubt = (side: Side) => (side.allow === undefined ? side.maybeAllow : undefined);

function decide(identity: Side, boundary: Side | undefined): Evaluation {
  const allowedBy = identity.allow ? { allowedBy: identity.allow } : {};
  // An explicit Deny in any policy overrides every Allow.
  if (identity.deny) return { decision: 'explicitDeny', deniedBy: { ...identity.deny, in: 'identity' }, ...allowedBy };
  if (boundary?.deny) return { decision: 'explicitDeny', deniedBy: { ...boundary.deny, in: 'boundary' }, ...allowedBy };
  // Allowed only when both the identity policies and the boundary allow; a side with no possible
  // Allow settles it, whatever is unknown elsewhere (a possible Deny would only deny it too).
  if (cannotAllow(identity)) return { decision: 'implicitDeny', notAllowedBy: 'identity' };
  if (boundary && cannotAllow(boundary)) return { decision: 'implicitDeny', notAllowedBy: 'boundary', ...allowedBy };
  const doubt =
    identity.maybeDeny ?? boundary?.maybeDeny ?? allowDoubt(identity) ?? (boundary && allowDoubt(boundary));
  if (identity.allow && doubt === undefined) return { decision: 'allowed', allowedBy: identity.allow };
  // Past the checks above, some Allow or Deny is only possible, so `doubt` is set.
  return { decision: 'undecided', undecidedBecause: doubt ?? 'an Allow is only possible', ...allowedBy };
}

function contextOf(values: Request['context'], isUnknowable: (key: string) => boolean): Context {
  const map = new Map<string, ContextValue>();
  for (const [key, value] of Object.entries(values)) map.set(key.toLowerCase(), value);
  return { values: map, isUnknowable };
}

export function evaluate(
  request: Request,
  policies: { identity: NamedPolicy[]; boundary?: NamedPolicy },
  options: EvaluateOptions = {},
): Evaluation {
  const ctx = contextOf(request.context, options.unknowableKeys ?? defaultUnknowableKeys);
  const action = request.action.toLowerCase();
  const identity = scan(policies.identity, action, request.resource, ctx);
  const boundary = policies.boundary && scan([policies.boundary], action, request.resource, ctx);
  return decide(identity, boundary);
}
