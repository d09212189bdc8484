/**
 * Requests evaluated against a role's policies (attached, inline, boundary): what the rules report
 * on (rules/lib/role-requests.ts words the evidence) and what the inventory plan asks before it
 * reads anything (src/collect/inventory-plan.ts).
 */
import type { PolicyFacts, RoleFacts } from '../facts/snapshot.js';
import { evaluate, type EvaluateOptions, type Evaluation, type NamedPolicy, type Request } from './evaluate.js';

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

export const byDecision = (rs: readonly Judged[], d: Evaluation['decision']) => rs.filter((r) => r.evaluation.decision === d);
