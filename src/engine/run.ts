import { dhmcRoleArn } from '../facts/arn.js';
import type { Known } from '../facts/known.js';
import type { InstanceFacts, RoleFacts, Snapshot } from '../facts/snapshot.js';
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

export function pool(): Pool {
  const texts = new Map<string, string>();
  const evidences = new Map<string, Evidence>();
  const text = (t: string) => {
    const seen = texts.get(t);
    if (seen !== undefined) return seen;
    texts.set(t, t);
    return t;
  };
  return {
    text,
    evidence(evidence) {
      // The key spells each entry's name, type and value; \u0000 and \u0001 separate them.
      let key = '';
      for (const name in evidence) {
        const value = evidence[name];
        key += `${name}\u0000${typeof value === 'string' ? 's' : value === null ? 'n' : typeof value === 'number' ? 'd' : 'b'}${value}\u0001`;
      }
      if (key === '') return NO_EVIDENCE;
      const seen = evidences.get(key);
      if (seen !== undefined) return seen;
      const copy: Evidence = {};
      for (const name in evidence) {
        const value = evidence[name];
        copy[name] = typeof value === 'string' ? text(value) : value;
      }
      evidences.set(key, Object.freeze(copy));
      return copy;
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
  const region = snapshot.regionFacts[instance.region];
  const dhmc = region?.defaultHostManagementRole;
  return {
    instance,
    collectedAt: snapshot.generatedAt,
    region,
    ...profileAndRole(instance, snapshot),
    dhmcRole: dhmc?.known && dhmc.value ? roleAt(snapshot, dhmcRoleArn(instance.accountId, dhmc.value)) : undefined,
    scps: snapshot.scps[`${instance.accountId}/${instance.region}`],
    backupRole: roleAt(snapshot, snapshot.backupRoleArns?.[instance.instanceId] ?? snapshot.backupRoleArn),
  };
}

/** Run every rule on one subject; a rule that throws yields an 'unknown' finding naming it, never a crash. */
export function runRules(rules: readonly Rule[], subject: Subject, shared: Pool = unshared): Judgement[] {
  return rules.map((rule) => {
    const transient = rule.transient === true;
    try {
      const { status, message, evidence, fix, consequence } = rule.evaluate(subject);
      // A literal of one shape per case keeps 1.7 million findings compact; the keys keep the
      // order the report has always had.
      const finding: JudgedFinding =
        fix === undefined
          ? { ruleId: rule.id, status, message: shared.text(message), evidence: shared.evidence(evidence) }
          : { ruleId: rule.id, status, message: shared.text(message), evidence: shared.evidence(evidence), fix: shared.text(fix) };
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
