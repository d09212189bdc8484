import type { Evidence } from '../../src/engine/types.js';
import type { PolicyFacts, RoleFacts } from '../../src/facts/snapshot.js';
import { evaluate, type EvaluateOptions, type Evaluation, type NamedPolicy, type Request } from '../../src/iam/evaluate.js';

/** A request one of the rules asks about, with the text that names it in evidence. */
export interface LabeledRequest extends Request {
  label: string;
}
export interface Judged {
  request: LabeledRequest;
  evaluation: Evaluation;
}

const named = (p: PolicyFacts): NamedPolicy => ({ name: p.name, document: p.document });

/** Evaluate requests against a role's attached and inline policies and its permissions boundary. */
export function evaluateRole(role: RoleFacts, requests: readonly LabeledRequest[], options?: EvaluateOptions): Judged[] {
  const identity = [...role.attachedPolicies, ...role.inlinePolicies].map(named);
  const boundary = role.permissionsBoundary ? named(role.permissionsBoundary) : undefined;
  return requests.map((request) => ({ request, evaluation: evaluate(request, { identity, ...(boundary ? { boundary } : {}) }, options) }));
}

/** "statement "Sid" of policy P" / "statement #2 of permissions boundary B". */
export const deniedWhere = (e: Evaluation) =>
  e.deniedBy
    ? `statement ${e.deniedBy.sid ? `"${e.deniedBy.sid}"` : `#${e.deniedBy.index + 1}`} of ${e.deniedBy.in === 'boundary' ? 'permissions boundary' : 'policy'} ${e.deniedBy.policy}`
    : '';

/** One evidence value per request. */
function describeEvaluation(e: Evaluation): string {
  switch (e.decision) {
    case 'allowed':
      return e.allowedBy ? `allowed by ${e.allowedBy.policy}` : 'allowed';
    case 'explicitDeny':
      return `denied by ${deniedWhere(e)}`;
    case 'implicitDeny':
      return e.notAllowedBy === 'boundary' ? 'not allowed by the permissions boundary' : 'no statement allows it';
    case 'undecided':
      return `undecided: ${e.undecidedBecause ?? 'a condition cannot be evaluated'}`;
  }
}

export const byDecision = (rs: readonly Judged[], d: Evaluation['decision']) => rs.filter((r) => r.evaluation.decision === d);
/** The distinct actions of some requests, for messages ("ec2:CreateImage, ec2:CreateTags"). */
export const actionsOf = (rs: readonly Judged[]) => [...new Set(rs.map((r) => r.request.action))].join(', ');
/** The distinct labels of some requests, for messages that must say which resource. */
export const labelsOf = (rs: readonly Judged[]) => [...new Set(rs.map((r) => r.request.label))].join(', ');

/** Evaluations are cached per role and shared by its instances, and so is the text of each. */
const described = new WeakMap<Evaluation, string>();

/** Adds one evidence line per request: what decided it. */
export function recordEvaluations(rs: readonly Judged[], evidence: Evidence): void {
  for (const r of rs) {
    let text = described.get(r.evaluation);
    if (text === undefined) described.set(r.evaluation, (text = describeEvaluation(r.evaluation)));
    evidence[r.request.label] = text;
  }
}
