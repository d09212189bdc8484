import type { Snapshot } from '../facts/snapshot.js';
import type { AccountSummary, InstanceReport } from '../report/schema.js';

const call = (e: Snapshot['errors'][number]) => `${e.service}:${e.action}${e.region ? ` in ${e.region}` : ''} ${e.code}`;

/**
 * The per-account summary of a report over several accounts (undefined for one, whose report
 * stays as it was). An account with errors and no region read at all failed (its role could not
 * be assumed, or none of its regions could be scanned); with errors and some regions, partial.
 */
export function accountSummaries(snapshot: Snapshot, instances: InstanceReport[]): AccountSummary[] | undefined {
  const ids = [...new Set([...snapshot.accountIds, ...instances.map((i) => i.accountId), ...snapshot.errors.flatMap((e) => (e.accountId ? [e.accountId] : []))])];
  if (ids.length < 2) return undefined;
  const read = new Set(Object.keys(snapshot.regionFacts).map((key) => key.slice(0, key.indexOf('/'))));
  const byAccount = new Map<string, AccountSummary>(
    ids.map((accountId) => [accountId, { accountId, instances: 0, 'application-consistent': 0, 'vss-fallback': 0, 'no-vss': 0, unknown: 0, status: 'ok', reason: null }]),
  );
  for (const i of instances) {
    const a = byAccount.get(i.accountId)!;
    a.instances++;
    a[i.verdict]++;
  }
  for (const a of byAccount.values()) {
    const errors = snapshot.errors.filter((e) => e.accountId === a.accountId);
    if (!errors.length) continue;
    if (!read.has(a.accountId)) {
      a.status = 'failed';
      a.reason = `${call(errors[0]!)}: ${errors[0]!.message}`;
    } else {
      a.status = 'partial';
      a.reason = `${errors.length} AWS error${errors.length === 1 ? '' : 's'}: ${errors.map(call).join(', ')}`;
    }
  }
  return [...byAccount.values()];
}
