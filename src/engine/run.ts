import { dhmcRoleArn } from '../facts/arn.js';
import type { Known } from '../facts/known.js';
import { regionFactsKey, type InstanceFacts, type RoleFacts, type Snapshot } from '../facts/snapshot.js';
import type { Consequence, Finding, Rule, Subject } from './types.js';

export interface JudgedFinding extends Finding {
  consequence: Consequence;
  transient: boolean;
  suppressed?: { reason: string; expires: string; source: string };
}

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
export function runRules(rules: readonly Rule[], subject: Subject): JudgedFinding[] {
  return rules.map((rule) => {
    try {
      const { consequence, ...outcome } = rule.evaluate(subject);
      return { ruleId: rule.id, ...outcome, consequence: consequence ?? rule.consequence, transient: rule.transient === true };
    } catch (err) {
      return {
        ruleId: rule.id,
        status: 'unknown',
        message: `Rule ${rule.id} failed on this instance (${err instanceof Error ? err.message : String(err)}); please report it as a bug.`,
        evidence: {},
        consequence: rule.consequence,
        transient: rule.transient === true,
      };
    }
  });
}
