import { UserError } from '../errors.js';
import type { Known } from './known.js';
import { emptySnapshot, type Snapshot } from './snapshot.js';

/** One snapshot and where it came from (a file for `scan --facts`, an account for --accounts), for messages. */
export interface Shard {
  source: string;
  snapshot: Snapshot;
}

/**
 * Known beats unknown: the same role read in two shards of one account (regional shards read it
 * each) is known when either read succeeded. Called oldest shard first, so of two known reads the
 * newer shard's, the fresher fact, wins.
 */
function unionKnown<T>(into: Record<string, Known<T>>, from: Record<string, Known<T>>): void {
  for (const [key, value] of Object.entries(from)) {
    if (!into[key]?.known || value.known) into[key] = value;
  }
}

const unique = <T>(xs: T[]) => [...new Set(xs)];

/**
 * Merge snapshots of disjoint accounts/regions into one (pure; the order of shards is kept).
 * - Overlapping shards are an error, not "newer wins": two shards holding the same account and
 *   region (or the same instance) mean the CI matrix or the --facts list is wrong, and picking one
 *   would silently hide the other's facts. The message names both sources.
 * - generatedAt is the oldest shard's: rules compute ages (inventory freshness, agent pings) against
 *   it, and a fact cannot be younger than the shard it was read in, so the oldest is the honest "as of".
 * - Errors are concatenated; a shard of exactly one account lends that account to its untagged errors,
 *   so the merged report can say which account each error belongs to.
 * - Different backup roles per shard become per-instance backupRoleArns, so each shard's instances
 *   keep the role that shard was collected with.
 */
export function mergeSnapshots(shards: Shard[]): Snapshot {
  if (!shards.length) throw new UserError('nothing to merge: give at least one facts snapshot');
  const regionOwner = new Map<string, string>();
  const instanceOwner = new Map<string, string>();
  const merged: Snapshot = {
    ...emptySnapshot(shards.map((s) => s.snapshot.generatedAt).reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a))),
    accountIds: unique(shards.flatMap((s) => s.snapshot.accountIds)),
    regions: unique(shards.flatMap((s) => s.snapshot.regions)),
  };
  const backupRoles = unique(shards.map((s) => s.snapshot.backupRoleArn));
  const oneBackupRole = backupRoles.length === 1;
  if (oneBackupRole) merged.backupRoleArn = backupRoles[0]!;
  const perInstanceRoles: Record<string, string> = {};

  for (const { source, snapshot } of shards) {
    for (const [key, facts] of Object.entries(snapshot.regionFacts)) {
      const other = regionOwner.get(key);
      if (other !== undefined) throw new UserError(`${other} and ${source} both hold account/region ${key}: shards must not overlap; collect each account and region once`);
      regionOwner.set(key, source);
      merged.regionFacts[key] = facts;
    }
    for (const i of snapshot.instances) {
      const key = `${i.accountId}/${i.region}/${i.instanceId}`;
      const other = instanceOwner.get(key);
      if (other !== undefined) throw new UserError(`${other} and ${source} both hold instance ${i.instanceId} (account ${i.accountId}, ${i.region}): shards must not overlap; collect each account and region once`);
      instanceOwner.set(key, source);
      merged.instances.push(i);
      if (!oneBackupRole && snapshot.backupRoleArn) perInstanceRoles[i.instanceId] = snapshot.backupRoleArn;
    }
    Object.assign(perInstanceRoles, snapshot.backupRoleArns);
    const account = snapshot.accountIds.length === 1 ? snapshot.accountIds[0] : undefined;
    merged.errors.push(...snapshot.errors.map((e) => (e.accountId || !account ? e : { ...e, accountId: account })));
  }
  const oldestFirst = [...shards].sort((a, b) => Date.parse(a.snapshot.generatedAt) - Date.parse(b.snapshot.generatedAt));
  for (const { snapshot } of oldestFirst) {
    unionKnown(merged.instanceProfiles, snapshot.instanceProfiles);
    unionKnown(merged.roles, snapshot.roles);
    unionKnown(merged.scps, snapshot.scps);
  }
  if (Object.keys(perInstanceRoles).length) merged.backupRoleArns = perInstanceRoles;
  return merged;
}
