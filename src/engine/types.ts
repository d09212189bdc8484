import type { Known } from '../facts/known.js';
import type { InstanceFacts, InstanceProfileFacts, RegionFacts, RoleFacts } from '../facts/snapshot.js';

export type Status = 'pass' | 'fail' | 'warn' | 'unknown' | 'skip';

export type Verdict =
  | 'application-consistent' // every prerequisite met
  | 'vss-fallback' // VSS attempted and fails: "Completed with issues", crash-consistent
  | 'no-vss' // VSS never attempted: "Completed", silently crash-consistent
  | 'unknown'; // a deciding fact could not be read

/** What a failed rule implies for the backup. */
export type Consequence = Exclude<Verdict, 'application-consistent' | 'unknown'>;

export type Evidence = Record<string, string | number | boolean | null>;

/** What a rule's evaluate() returns; the engine adds ruleId and instanceId. */
export interface Outcome {
  status: Status;
  message: string; // one sentence naming the value seen
  evidence: Evidence; // the facts used, in AWS spelling
  fix?: string; // concrete, on fail and warn
  /** Overrides the rule's consequence for this outcome (e.g. ConnectionLost vs. not managed). */
  consequence?: Consequence;
}

export interface Finding extends Omit<Outcome, 'consequence'> {
  ruleId: string;
}

/** Everything a rule may look at for one instance: facts only, already resolved by the engine. */
export interface Subject {
  instance: InstanceFacts;
  region: RegionFacts | undefined;
  /** Undefined when the instance has no instance profile. */
  instanceProfile: Known<InstanceProfileFacts> | undefined;
  /** Undefined when there is no profile, or the profile holds no role. */
  role: Known<RoleFacts> | undefined;
}

export type Severity = 'error' | 'warning' | 'info';

export interface Rule {
  id: string;
  title: string; // states the passing state
  severity: Severity;
  consequence: Consequence;
  docs: string; // why it matters and how it is detected
  fix: string; // the general remedy; findings carry the concrete one
  sources: string[]; // documentation URLs behind the rule
  unverified?: string; // what the rule relies on that vss-facts marks (U)
  evaluate(subject: Subject): Outcome;
}
