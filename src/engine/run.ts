import type { Known } from '../facts/known.js';
import type { InstanceFacts, RoleFacts, Snapshot } from '../facts/snapshot.js';
import type { Consequence, Finding, Rule, Subject } from './types.js';

export interface JudgedFinding extends Finding {
  consequence: Consequence;
}

const notCollected = (what: string) => ({ known: false as const, reason: `${what} was not collected` });

/** Resolve the profile and role an instance uses, from the snapshot's per-ARN maps. */
export function subjectOf(instance: InstanceFacts, snapshot: Snapshot): Subject {
  const region = snapshot.regionFacts[instance.region];
  const profileArn = instance.instanceProfileArn;
  if (!profileArn) return { instance, region, instanceProfile: undefined, role: undefined };
  const instanceProfile = snapshot.instanceProfiles[profileArn] ?? notCollected(`Instance profile ${profileArn}`);
  let role: Known<RoleFacts> | undefined;
  if (!instanceProfile.known) role = { known: false, reason: instanceProfile.reason };
  else {
    const roleArn = instanceProfile.value.roleArns[0];
    role = roleArn ? (snapshot.roles[roleArn] ?? notCollected(`Role ${roleArn}`)) : undefined;
  }
  return { instance, region, instanceProfile, role };
}

/** Run every rule on one subject; a rule that throws yields an 'unknown' finding naming it, never a crash. */
export function runRules(rules: readonly Rule[], subject: Subject): JudgedFinding[] {
  return rules.map((rule) => {
    try {
      const { consequence, ...outcome } = rule.evaluate(subject);
      return { ruleId: rule.id, ...outcome, consequence: consequence ?? rule.consequence };
    } catch (err) {
      return {
        ruleId: rule.id,
        status: 'unknown',
        message: `Rule ${rule.id} failed on this instance (${err instanceof Error ? err.message : String(err)}); please report it as a bug.`,
        evidence: {},
        consequence: rule.consequence,
      };
    }
  });
}
