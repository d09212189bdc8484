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

type Definite = Exclude<Verdict, 'unknown'>;

export interface VerdictResult {
  verdict: Verdict;
  /**
   * Every verdict the unknown findings leave open, best first; one entry unless verdict is
   * 'unknown'. Frozen and shared: one array per combination, not one per instance.
   */
  possible: Definite[];
}

const DEFINITE: readonly Definite[] = ['application-consistent', 'vss-fallback', 'no-vss'];
/** The possible-verdict lists, by a bit per verdict of RANK (bit 0: application-consistent). */
const POSSIBLE: Definite[][] = Array.from({ length: 8 }, (_, bits) => Object.freeze(DEFINITE.filter((v) => bits & (1 << RANK[v]))) as Definite[]);

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
  let possible = 1 << RANK[definite];
  for (const f of findings) {
    if (f.status === 'unknown' && RANK[f.consequence] > RANK[definite]) possible |= 1 << RANK[f.consequence];
  }
  return { verdict: possible === 1 << RANK[definite] ? definite : 'unknown', possible: POSSIBLE[possible]! };
}

/** What the operator will see on the AWS Backup job (vss-facts §1). */
export const EXPECTED_JOB_STATUS: Record<Verdict, string | null> = {
  'application-consistent': 'Completed',
  'vss-fallback': 'Completed with issues',
  'no-vss': 'Completed',
  unknown: null,
};
