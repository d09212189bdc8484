import type { Known } from '../facts/known.js';
import type { InstanceFacts, InstanceProfileFacts, RegionFacts, RoleFacts, ScpFacts } from '../facts/snapshot.js';

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
  /** When the facts were collected: the "now" of every age a rule computes. */
  collectedAt: string;
  region: RegionFacts | undefined;
  /** Undefined when the instance has no instance profile. */
  instanceProfile: Known<InstanceProfileFacts> | undefined;
  /** Undefined when there is no profile, or the profile holds no role. */
  role: Known<RoleFacts> | undefined;
  /** The region's Default Host Management role; undefined when DHMC is off or unknown. */
  dhmcRole: Known<RoleFacts> | undefined;
  /** What SCPs decide for the VSS EC2 actions in the instance's account and region; undefined when not simulated. */
  scps: ScpFacts | undefined;
  /** The role AWS Backup uses for the selection, when a plan or --backup-role names one. */
  backupRole: Known<RoleFacts> | undefined;
}

export type Severity = 'error' | 'warning' | 'info';

export interface Rule {
  id: string;
  title: string; // states the passing state
  severity: Severity;
  consequence: Consequence;
  why: string; // what goes wrong for the backup when it fails
  detection: string; // which API and field it reads
  fix: string; // the general remedy; findings carry the concrete one
  sources: string[]; // documentation URLs behind the rule
  unverified?: string; // what the rule relies on that vss-facts marks (U) or infers
  /** The statuses it can return, when not its severity's usual ones (see rulesOutcomes). */
  outcomes?: Status[];
  /** Its failures end when the instance runs again: left out of `verdictOnceRunning`. */
  transient?: boolean;
  evaluate(subject: Subject): Outcome;
}
