/**
 * IAM SimulatePrincipalPolicy for the world's roles, decided by the project's own evaluator
 * (src/iam/evaluate.ts): attached managed + inline policies, the permissions boundary, and
 * world.organizations SCPs (each SCP must allow on its own).
 */
import { evaluate, type Evaluation, type NamedPolicy, type Request, type StatementRef } from '../../src/iam/evaluate.js';
import type { Ctx, QueryHandler } from './context.js';
import { ApiError, validationError } from './errors.js';
import { noSuchEntity, page, policyNameOf, required } from './iam.js';
import { wildcardMatch } from './paginate.js';
import { objList, strList } from './query.js';
import type { IamRole, World } from './world.js';
import { members, type XmlValue } from './xml.js';

type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny';
type Sourced = NamedPolicy & { type: string };
interface Outcome {
  decision: Decision;
  matched: XmlValue[];
  missing: string[];
  boundaryAllows: boolean | undefined;
  orgAllows: boolean | undefined;
}

/** The simulator knows only what the request carries: every absent condition key is a missing context value. */
const SIMULATOR = { unknowableKeys: () => true };
const UNSUPPORTED = ['PolicyInputList', 'PermissionsBoundaryPolicyInputList', 'PolicyExclusionList', 'ResourcePolicy'];

function principal(ctx: Ctx): IamRole {
  const arn = required(ctx, 'PolicySourceArn');
  const m = /^arn:aws[a-z-]*:iam::(\d{12}):(role|user|group)\/(?:.*\/)?([^/]+)$/.exec(arn);
  if (!m) throw new ApiError('InvalidInput', `Invalid ARN ${arn}: expected the ARN of an IAM user, group or role.`);
  const [, account, kind = '', name = ''] = m;
  const role = kind === 'role' && account === ctx.world.accountId
    ? ctx.world.iam.roles.find((r) => r.name.toLowerCase() === name.toLowerCase())
    : undefined;
  if (!role) throw noSuchEntity(`The ${kind} with name ${name} cannot be found.`);
  return role;
}

/** PolicySourceType per the IAM model: inline role policy 'role', managed 'aws-managed' / 'user-managed'. */
const managedType = (arn: string) => (/:iam::aws:policy\//.test(arn) ? 'aws-managed' : 'user-managed');

function managed(world: World, arn: string, type = managedType(arn)): Sourced | undefined {
  const p = world.iam.policies.find((x) => x.arn === arn);
  return p && { name: policyNameOf(world, arn), arn, document: p.document, type };
}

/** ContextEntries.N → request context; *List types become arrays. */
function contextOf(ctx: Ctx): Request['context'] {
  const out: Request['context'] = {};
  for (const e of objList(ctx.params, 'ContextEntries')) {
    const name = typeof e.ContextKeyName === 'string' ? e.ContextKeyName : '';
    if (!name) throw validationError('iam', 'ContextKeyName must not be empty');
    const values = strList(e, 'ContextKeyValues');
    out[name] = String(e.ContextKeyType ?? 'string').endsWith('List') ? values : (values[0] ?? '');
  }
  return out;
}

const listOf = (v: unknown): string[] =>
  typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/** Condition keys of the statements that name `action` (Action / NotAction), as written in the policies. */
function conditionKeys(document: unknown, action: string): string[] {
  const raw = (document as { Statement?: unknown } | null)?.Statement;
  const statements = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return statements.flatMap((s) => {
    if (typeof s !== 'object' || s === null) return [];
    const { Action, NotAction, Condition } = s as Record<string, unknown>;
    const named = listOf(Action ?? NotAction).some((a) => wildcardMatch(a.toLowerCase(), action.toLowerCase()));
    if (named === (NotAction !== undefined) || typeof Condition !== 'object' || Condition === null) return [];
    return Object.values(Condition).flatMap((block) => (typeof block === 'object' && block !== null ? Object.keys(block) : []));
  });
}

const REASON_KEY = /condition key (\S+), which|policy variable \$\{([^}]+)\}/;

/** Keys the undecided evaluations needed but the request did not carry (case-insensitive, first spelling kept). */
function missingKeys(evals: Evaluation[], policies: NamedPolicy[], action: string, context: Request['context']): string[] {
  const known = new Set(Object.keys(context).map((k) => k.toLowerCase()));
  const fromReasons = evals.flatMap((e) => {
    const m = REASON_KEY.exec(e.undecidedBecause ?? '');
    return m ? [m[1] ?? m[2] ?? ''] : [];
  });
  const out = new Map<string, string>();
  for (const key of [...fromReasons, ...policies.flatMap((p) => conditionKeys(p.document, action))]) {
    if (key && !known.has(key.toLowerCase()) && !out.has(key.toLowerCase())) out.set(key.toLowerCase(), key);
  }
  return [...out.values()];
}

function simulate(world: World, role: IamRole, request: Request): Outcome {
  const identity: Sourced[] = [
    ...Object.entries(role.inlinePolicies).map(([name, document]) => ({ name, document, type: 'role' })),
    ...role.attachedPolicyArns.flatMap((arn) => managed(world, arn) ?? []),
  ];
  // A boundary ARN the world lacks a document for allows nothing.
  const boundary = role.permissionsBoundaryArn
    ? (managed(world, role.permissionsBoundaryArn, 'permission-boundary') ?? { name: role.permissionsBoundaryArn, document: { Statement: [] }, type: 'permission-boundary' })
    : undefined;
  const scps: Sourced[] = (world.organizations?.scps ?? []).map((s) => ({ ...s, type: 'scp' }));

  const main = evaluate(request, boundary ? { identity, boundary } : { identity }, SIMULATOR);
  const scpEvals = scps.map((scp) => evaluate(request, { identity: [scp] }, SIMULATOR));
  const typeOf = new Map([...scps, ...(boundary ? [boundary] : []), ...identity].map((p) => [p.name, p.type]));
  const statement = (ref: StatementRef, type = typeOf.get(ref.policy)): XmlValue => ({ SourcePolicyId: ref.policy, SourcePolicyType: type });
  const details = {
    boundaryAllows: boundary && evaluate(request, { identity: [boundary] }, SIMULATOR).decision === 'allowed',
    orgAllows: world.organizations ? scpEvals.every((e) => e.decision === 'allowed') : undefined,
  };
  const outcome = (decision: Decision, matched: XmlValue[] = [], missing: string[] = []): Outcome => ({ decision, matched, missing, ...details });

  if (main.deniedBy) return outcome('explicitDeny', [statement(main.deniedBy, main.deniedBy.in === 'boundary' ? 'permission-boundary' : undefined)]);
  const scpDeny = scpEvals.find((e) => e.deniedBy)?.deniedBy;
  if (scpDeny) return outcome('explicitDeny', [statement(scpDeny, 'scp')]);
  if (main.decision === 'implicitDeny' || scpEvals.some((e) => e.decision === 'implicitDeny')) return outcome('implicitDeny');
  if (main.decision === 'allowed' && scpEvals.every((e) => e.decision === 'allowed')) {
    return outcome('allowed', main.allowedBy ? [statement(main.allowedBy)] : []);
  }
  // Undecided: the simulator answers implicitDeny and lists the context keys it lacked.
  const undecided = [main, ...scpEvals].filter((e) => e.decision === 'undecided');
  return outcome('implicitDeny', [], missingKeys(undecided, [...identity, ...(boundary ? [boundary] : []), ...scps], request.action, request.context));
}

const simulatePrincipalPolicy: QueryHandler = (ctx) => {
  const unsupported = UNSUPPORTED.find((k) => ctx.params[k] !== undefined);
  if (unsupported) throw new ApiError('InvalidInput', `fake-aws: SimulatePrincipalPolicy does not support ${unsupported}`);
  const role = principal(ctx);
  const actions = strList(ctx.params, 'ActionNames').filter((a) => a !== '');
  if (!actions.length) {
    throw validationError('iam', "1 validation error detected: Value null at 'actionNames' failed to satisfy constraint: Member must not be null");
  }
  const resources = strList(ctx.params, 'ResourceArns').filter((r) => r !== '');
  const context = contextOf(ctx);
  const pairs = actions.flatMap((action) => (resources.length ? resources : ['*']).map((resource) => ({ action, resource })));
  const { items, tail } = page(ctx, pairs);
  const results = items.map(({ action, resource }) => {
    const o = simulate(ctx.world, role, { action, resource, context });
    const boundaryDetail = o.boundaryAllows === undefined ? undefined : { AllowedByPermissionsBoundary: o.boundaryAllows };
    return {
      EvalActionName: action,
      EvalResourceName: resource,
      EvalDecision: o.decision,
      MatchedStatements: members(o.matched),
      // With ResourceArns, AWS reports missing context values per resource instead.
      MissingContextValues: members(resources.length ? [] : o.missing),
      OrganizationsDecisionDetail: o.orgAllows === undefined ? undefined : { AllowedByOrganizations: o.orgAllows },
      PermissionsBoundaryDecisionDetail: boundaryDetail,
      ResourceSpecificResults: resources.length
        ? members([
            {
              EvalResourceName: resource,
              EvalResourceDecision: o.decision,
              MatchedStatements: members(o.matched),
              MissingContextValues: members(o.missing),
              PermissionsBoundaryDecisionDetail: boundaryDetail,
            },
          ])
        : undefined,
    };
  });
  return { EvaluationResults: members(results), ...tail };
};

export const iamSimulateHandlers: Record<string, QueryHandler> = { SimulatePrincipalPolicy: simulatePrincipalPolicy };
