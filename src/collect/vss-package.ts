import type { InventoryEntries } from '../facts/snapshot.js';

/**
 * The exact inventory Name of AwsVssComponents is unverified (vss-facts §3 P4, §8.1): the agent
 * reports Distributor packages by manifest name (likely 'AwsVssComponents') and uninstall-registry
 * entries by DisplayName (possibly 'AWS VSS Components'). These prefixes narrow ListInventoryEntries
 * server-side; findVssComponents decides.
 */
export const VSS_NAME_PREFIXES = ['AwsVss', 'AWSVSS', 'awsvss', 'Awsvss', 'AWS VSS', 'Aws Vss', 'AWS Vss', 'aws vss'] as const;

/**
 * Spellings of 'AwsVssComponents' for ssm:GetInventory's Equal filter: each is a name
 * isVssComponents accepts without looking at the Publisher, so an entity the filter returns
 * certainly lists the package. GetInventory returns entity ids, not the matching entries, so
 * the spaced 'AWS VSS Components' (which needs an Amazon Publisher) is left to
 * ListInventoryEntries; whether SSM compares case-sensitively is not documented, and either way
 * a match is one of these names.
 */
export const VSS_EXACT_NAMES = ['AwsVssComponents', 'AWSVssComponents', 'AWSVSSComponents', 'awsvsscomponents', 'AWSVSSCOMPONENTS', 'Awsvsscomponents', 'AwsVSSComponents'] as const;

const LOOSE = /^aws\s*vss\s*components$/i;

/** An exact (case-insensitive) 'AwsVssComponents', or a spaced variant published by Amazon. */
export function isVssComponents(row: Record<string, string>): boolean {
  const name = (row['Name'] ?? '').trim();
  if (name.toLowerCase() === 'awsvsscomponents') return true;
  return LOOSE.test(name) && /^amazon/i.test(row['Publisher'] ?? '');
}

export function findVssComponents(typeName: string, rows: Record<string, string>[]): InventoryEntries['vssComponents'] {
  const row = rows.find(isVssComponents);
  if (!row) return null;
  return { typeName, name: row['Name'] ?? '', version: row['Version'] || null, publisher: row['Publisher'] || null };
}
