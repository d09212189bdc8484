import { dhmcRoleArn } from '../facts/arn.js';
import type { Known } from '../facts/known.js';
import { regionFactsKey, type InstanceFacts, type RoleFacts, type Snapshot } from '../facts/snapshot.js';
import type { Consequence, Evidence, Finding, Rule, Subject } from './types.js';

/** A finding as reported, with the suppression that accepts it, if any. */
export type JudgedFinding = Finding & { suppressed?: { reason: string; expires: string; source: string } };

/** What one rule said about one instance: the finding as reported, and what the verdict needs of it. */
export interface Judgement {
  finding: JudgedFinding;
  status: Finding['status'];
  consequence: Consequence;
  transient: boolean;
}

/**
 * One copy per distinct text and evidence: across a fleet the same message and evidence recur on
 * thousands of instances ("Not Windows ...", "Role R allows ..."), and each rule builds its own.
 * Sharing them is what keeps the report of a 100,000-instance fleet in memory; the content is
 * unchanged. Shared evidence is frozen, so no reader can change it for every instance at once.
 */
export interface Pool {
  text(text: string): string;
  evidence(evidence: Evidence): Evidence;
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
  const text = (t: string) => {
    const seen = texts.get(t);
    if (seen !== undefined) return seen;
    texts.set(t, t);
    return t;
  };
  return {
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
  };
}

/** No sharing: each finding keeps what its rule built. */
const unshared: Pool = { text: (t) => t, evidence: (e) => e };

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
  const region = snapshot.regionFacts[regionFactsKey(instance.accountId, instance.region)];
  const dhmc = region?.defaultHostManagementRole;
  return {
    instance,
    collectedAt: snapshot.generatedAt,
    region,
    ...profileAndRole(instance, snapshot),
    dhmcRole: dhmc?.known && dhmc.value ? roleAt(snapshot, dhmcRoleArn(instance.accountId, dhmc.value)) : undefined,
    scps: snapshot.scps[regionFactsKey(instance.accountId, instance.region)],
    backupRole: roleAt(snapshot, snapshot.backupRoleArns?.[instance.instanceId] ?? snapshot.backupRoleArn),
  };
}

/** Run every rule on one subject; a rule that throws yields an 'unknown' finding naming it, never a crash. */
export function runRules(rules: readonly Rule[], subject: Subject, shared: Pool = unshared): Judgement[] {
  const id = subject.instance.instanceId;
  return rules.map((rule) => {
    const transient = rule.transient === true;
    try {
      const { status, message, evidence, fix, consequence } = rule.evaluate(subject);
      // A literal of one shape per case keeps 1.7 million findings compact; the keys keep the
      // order the report has always had. A fix naming the instance is its own: not worth pooling.
      const finding: JudgedFinding =
        fix === undefined
          ? { ruleId: rule.id, status, message: shared.text(message), evidence: shared.evidence(evidence) }
          : { ruleId: rule.id, status, message: shared.text(message), evidence: shared.evidence(evidence), fix: fix.includes(id) ? fix : shared.text(fix) };
      return { finding, status, consequence: consequence ?? rule.consequence, transient };
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
