import type { Snapshot } from '../facts/snapshot.js';
import type { PlanFacts } from './plan.js';
import { selectionCovers } from './selection.js';

export interface PlanCoverage {
  /** Instance id → names of the selections that cover it. */
  selectionsOf: Record<string, string[]>;
  /** Instance id → the IAM role AWS Backup uses for it (its first covering selection's). */
  backupRoles: Record<string, string>;
  /** Selections that cover no instance in the snapshot. */
  unmatched: string[];
}

const instanceArn = (i: Snapshot['instances'][number]) => `arn:aws:ec2:${i.region}:${i.accountId}:instance/${i.instanceId}`;

/** Which instances of the plan's region its selections cover, as AWS Backup would decide. */
export function coverage(plan: PlanFacts, instances: Snapshot['instances']): PlanCoverage {
  const selectionsOf: Record<string, string[]> = {};
  const backupRoles: Record<string, string> = {};
  const used = new Set<string>();
  for (const i of instances) {
    if (i.region !== plan.region) continue; // a plan backs up resources of its own region only
    for (const s of plan.selections) {
      if (!selectionCovers(s.selection, { arn: instanceArn(i), tags: i.tags })) continue;
      (selectionsOf[i.instanceId] ??= []).push(s.name);
      used.add(s.name);
      if (s.iamRoleArn && !backupRoles[i.instanceId]) backupRoles[i.instanceId] = s.iamRoleArn;
    }
  }
  return { selectionsOf, backupRoles, unmatched: plan.selections.map((s) => s.name).filter((n) => !used.has(n)) };
}

/** The snapshot narrowed to the plan's instances, each with the backup role of its selection. */
export function applyPlan(snapshot: Snapshot, cover: PlanCoverage): Snapshot {
  return {
    ...snapshot,
    instances: snapshot.instances.filter((i) => cover.selectionsOf[i.instanceId]),
    backupRoleArns: cover.backupRoles,
  };
}
