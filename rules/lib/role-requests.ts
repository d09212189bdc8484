/** How the rules word what the role requests model (src/iam/role-requests.ts) decided. */
import type { Evidence } from '../../src/engine/types.js';
import type { Evaluation } from '../../src/iam/evaluate.js';
import type { Judged } from '../../src/iam/role-requests.js';

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
