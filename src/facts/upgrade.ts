/**
 * Snapshots of an older schemaVersion that this version can still read, brought up to date
 * before validation. v1 held one account with regionFacts keyed by region; v2 keys them
 * "account/region". Anything else is returned as it is, for the version check to name.
 */
export function upgradeSnapshot(json: unknown): unknown {
  if (typeof json !== 'object' || json === null || (json as { schemaVersion?: unknown }).schemaVersion !== 1) return json;
  const v1 = json as { accountIds?: unknown; instances?: unknown; regionFacts?: unknown };
  const listed = Array.isArray(v1.accountIds) ? v1.accountIds.filter((a): a is string => typeof a === 'string') : [];
  const owner = Array.isArray(v1.instances) ? (v1.instances[0] as { accountId?: unknown } | undefined)?.accountId : undefined;
  const account = listed[0] ?? (typeof owner === 'string' ? owner : 'unknown');
  if (listed.length > 1 || typeof v1.regionFacts !== 'object' || v1.regionFacts === null) return json; // not a v1 this can upgrade
  const regionFacts = Object.fromEntries(Object.entries(v1.regionFacts).map(([region, facts]) => [`${account}/${region}`, facts]));
  return { ...json, schemaVersion: 2, regionFacts };
}
