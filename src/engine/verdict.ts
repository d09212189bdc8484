import type { Consequence, Status, Verdict } from './types.js';

/** Worse first: once VSS is never attempted, nothing else about the instance matters. */
const RANK: Record<Consequence | 'application-consistent', number> = {
  'no-vss': 2,
  'vss-fallback': 1,
  'application-consistent': 0,
};

export interface Judged {
  status: Status;
  consequence: Consequence;
}

export interface VerdictResult {
  verdict: Verdict;
  /** Every verdict the unknown findings leave open; one entry unless verdict is 'unknown'. */
  possible: Exclude<Verdict, 'unknown'>[];
}

/**
 * The verdict is the worst consequence among failed rules. An unknown finding could be a pass or
 * a fail, so it adds its consequence to the possible outcomes only if that is worse than what the
 * definite failures already imply: a Linux instance stays 'no-vss' whatever IAM says.
 */
export function verdictOf(findings: Judged[]): VerdictResult {
  let definite: Consequence | 'application-consistent' = 'application-consistent';
  for (const f of findings) {
    if (f.status === 'fail' && RANK[f.consequence] > RANK[definite]) definite = f.consequence;
  }
  const possible = new Set<Exclude<Verdict, 'unknown'>>([definite]);
  for (const f of findings) {
    if (f.status === 'unknown' && RANK[f.consequence] > RANK[definite]) possible.add(f.consequence);
  }
  const ordered = [...possible].sort((a, b) => RANK[a] - RANK[b]);
  return { verdict: ordered.length === 1 ? definite : 'unknown', possible: ordered };
}

/** What the operator will see on the AWS Backup job (vss-facts §1). */
export const EXPECTED_JOB_STATUS: Record<Verdict, string | null> = {
  'application-consistent': 'Completed',
  'vss-fallback': 'Completed with issues',
  'no-vss': 'Completed',
  unknown: null,
};
