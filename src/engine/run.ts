import { dhmcRoleArn } from '../facts/arn.js';
import type { Known } from '../facts/known.js';
import { regionFactsKey, type InstanceFacts, type RoleFacts, type Snapshot } from '../facts/snapshot.js';
import type { Consequence, Evidence, Finding, Outcome, Rule, Subject } from './types.js';

/** A finding as reported, with the suppression that accepts it, if any. */
export type JudgedFinding = Finding & { suppressed?: { reason: string; expires: string; source: string } };

/**
 * What one rule said about one instance: the finding as reported, and what the verdict needs of it.
 * Shared and frozen where the finding is (see Pool.seen): a suppression replaces it.
 */
export interface Judgement {
  readonly finding: JudgedFinding;
  readonly status: Finding['status'];
  readonly consequence: Consequence;
  readonly transient: boolean;
}

/**
 * One copy per distinct text, evidence and finding: across a fleet the same findings recur on
 * thousands of instances ("Not Windows ...", "Role R allows ..."), and each rule builds its own.
 * Sharing them is what keeps the report of a 100,000-instance fleet in memory (1.7 million
 * findings, about 120,000 distinct), and what a young object costs the garbage collector is paid
 * once per distinct finding, not per instance; the content is unchanged. What is shared is frozen,
 * so no reader can change it for every instance at once (a suppression makes its own copy).
 */
export interface Pool {
  text(text: string): string;
  evidence(evidence: Evidence): Evidence;
  /** One frozen finding per distinct content; `message`, `evidence` and `fix` already pooled. */
  finding(ruleId: string, status: Finding['status'], message: string, evidence: Evidence, fix: string | undefined): JudgedFinding;
  /**
   * The judgement of each outcome object a rule returned, per rule: a rule that returns the same
   * outcome for the same facts (rules/lib/remember.ts) gets its judgement without the pool reading
   * its text again, and without a new judgement per instance.
   */
  seen?: Map<Rule, WeakMap<Outcome, Judgement>>;
}

const NO_EVIDENCE: Evidence = Object.freeze({});

/** A trie of evidence entries: name, then value, then the next entry; `shared` where an evidence ends. */
interface EvidenceNode {
  next: Map<string, Map<Evidence[string], EvidenceNode>>;
  shared?: Evidence;
}
const node = (): EvidenceNode => ({ next: new Map() });

export function pool(): Pool {
  const texts = new Map<string, string>();
  const root = node();
  // By message, then evidence (both pooled, so compared by identity); the few findings left differ
  // in rule, status or fix.
  const findings = new Map<string, Map<Evidence, JudgedFinding[]>>();
  const text = (t: string) => {
    const seen = texts.get(t);
    if (seen !== undefined) return seen;
    texts.set(t, t);
    return t;
  };
  return {
    seen: new Map(),
    text,
    evidence(evidence) {
      // Walked entry by entry: cheaper than spelling a key, and a Map tells 1 from "1".
      let at = root;
      for (const name in evidence) {
        const value = evidence[name];
        let values = at.next.get(name);
        if (!values) at.next.set(name, (values = new Map()));
        let next = values.get(value);
        if (!next) values.set(value, (next = node()));
        at = next;
      }
      if (at === root) return NO_EVIDENCE;
      if (!at.shared) {
        const copy: Evidence = {};
        for (const name in evidence) {
          const value = evidence[name];
          copy[name] = typeof value === 'string' ? text(value) : value;
        }
        at.shared = Object.freeze(copy);
      }
      return at.shared;
    },
    finding(ruleId, status, message, evidence, fix) {
      let byEvidence = findings.get(message);
      if (!byEvidence) findings.set(message, (byEvidence = new Map()));
      let same = byEvidence.get(evidence);
      if (!same) byEvidence.set(evidence, (same = []));
      for (const f of same) if (f.ruleId === ruleId && f.status === status && f.fix === fix) return f;
      // A literal of one shape per case keeps the findings compact; the keys keep the order the
      // report has always had.
      const f: JudgedFinding = Object.freeze(fix === undefined ? { ruleId, status, message, evidence } : { ruleId, status, message, evidence, fix });
      same.push(f);
      return f;
    },
  };
}

/** No sharing: each finding keeps what its rule built. */
const unshared: Pool = {
  text: (t) => t,
  evidence: (e) => e,
  finding: (ruleId, status, message, evidence, fix) => (fix === undefined ? { ruleId, status, message, evidence } : { ruleId, status, message, evidence, fix }),
};

const notCollected = (what: string) => ({ known: false as const, reason: `${what} was not collected` });

const roleAt = (snapshot: Snapshot, arn: string | null | undefined): Known<RoleFacts> | undefined =>
  arn ? (snapshot.roles[arn] ?? notCollected(`Role ${arn}`)) : undefined;


function profileAndRole(instance: InstanceFacts, snapshot: Snapshot): Pick<Subject, 'instanceProfile' | 'role'> {
  const profileArn = instance.instanceProfileArn;
  if (!profileArn) return { instanceProfile: undefined, role: undefined };
  const instanceProfile = snapshot.instanceProfiles[profileArn] ?? notCollected(`Instance profile ${profileArn}`);
  if (!instanceProfile.known) return { instanceProfile, role: { known: false, reason: instanceProfile.reason } };
  return { instanceProfile, role: roleAt(snapshot, instanceProfile.value.roleArns[0]) };
}

/** Resolve what an instance's rules look at, from the snapshot's per-ARN maps. */
export function subjectOf(instance: InstanceFacts, snapshot: Snapshot): Subject {
  const key = regionFactsKey(instance.accountId, instance.region);
  const region = snapshot.regionFacts[key];
  const dhmc = region?.defaultHostManagementRole;
  const { instanceProfile, role } = profileAndRole(instance, snapshot);
  return {
    instance,
    collectedAt: snapshot.generatedAt,
    region,
    instanceProfile,
    role,
    dhmcRole: dhmc?.known && dhmc.value ? roleAt(snapshot, dhmcRoleArn(instance.accountId, dhmc.value)) : undefined,
    scps: snapshot.scps[key],
    backupRole: roleAt(snapshot, snapshot.backupRoleArns?.[instance.instanceId] ?? snapshot.backupRoleArn),
  };
}

/** Run every rule on one subject; a rule that throws yields an 'unknown' finding naming it, never a crash. */
export function runRules(rules: readonly Rule[], subject: Subject, shared: Pool = unshared): Judgement[] {
  const id = subject.instance.instanceId;
  const seen = shared.seen;
  return rules.map((rule) => {
    const transient = rule.transient === true;
    try {
      const outcome = rule.evaluate(subject);
      let byOutcome = seen?.get(rule);
      if (seen && !byOutcome) seen.set(rule, (byOutcome = new WeakMap()));
      const known = byOutcome?.get(outcome);
      if (known) return known;
      const { status, message, evidence, fix, consequence } = outcome;
      // A fix naming the instance makes the finding its own: not worth pooling.
      const own = fix !== undefined && fix.includes(id);
      const finding = own
        ? { ruleId: rule.id, status, message: shared.text(message), evidence: shared.evidence(evidence), fix }
        : shared.finding(rule.id, status, shared.text(message), shared.evidence(evidence), fix === undefined ? undefined : shared.text(fix));
      const judgement: Judgement = { finding, status, consequence: consequence ?? rule.consequence, transient };
      if (!own) byOutcome?.set(outcome, Object.freeze(judgement));
      return judgement;
    } catch (err) {
      const finding: JudgedFinding = {
        ruleId: rule.id,
        status: 'unknown',
        message: `Rule ${rule.id} failed on this instance (${err instanceof Error ? err.message : String(err)}); please report it as a bug.`,
        evidence: {},
      };
      return { finding, status: finding.status, consequence: rule.consequence, transient };
    }
  });
}
