import type { InventoryFilter, SSMClient } from '@aws-sdk/client-ssm';
import type { PackageGeneration } from '../facts/snapshot.js';
import { matchingIds } from './ssm.js';
import { VSS_EXACT_NAMES, VSS_NAME_PREFIXES } from './vss-package.js';

/**
 * Inventory facts from ssm:GetInventory's filters, for 40 instances a call: AWS has no bulk read
 * of inventory entries, but GetInventory can filter on their attributes and scope a query to 40
 * instance ids (AWS:InstanceInformation.InstanceId). Two facts are told this way instead of by
 * ListInventoryEntries' one call an instance (or two): the package generation, where only it
 * decides a verdict, and that the package is missing from a node that does report inventory.
 */

/** The AWS:InstanceInformation.InstanceId filter takes at most 40 values (API_InventoryFilter). */
export const IDS_PER_QUERY = 40;

/** `ids` in runs of at most IDS_PER_QUERY, one query's worth each. */
export const idChunks = (ids: readonly string[]) => Array.from({ length: Math.ceil(ids.length / IDS_PER_QUERY) }, (_, k) => ids.slice(k * IDS_PER_QUERY, (k + 1) * IDS_PER_QUERY));
const byIds = (ids: readonly string[]) => ({ Key: 'AWS:InstanceInformation.InstanceId', Values: [...ids], Type: 'Equal' as const });

const digits = (from: number) => ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'].slice(from);

/**
 * Version prefixes per generation for BeginWith filters (at most 40 values a filter, so 2.3.1 or
 * later takes two). No version string begins with prefixes of two generations: each prefix ends
 * where a number ends ('2.1.' is 2.1.x, never 2.10) or where what may follow keeps it in its
 * generation ('2.2.1' also begins 2.2.10 to 2.2.19, '3' also 30). Dotted versions without leading
 * zeros fall as generationOf puts them (proved over a grid in test/unit/inventory-filters.test.ts);
 * the few no prefix covers ('2', '2.1', '2.3': no patch number) are left to ListInventoryEntries.
 */
export const VERSION_CLASSES: ReadonlyArray<{ generation: PackageGeneration; prefixes: readonly string[] }> = [
  { generation: 'legacy', prefixes: ['0.', '1.', '2.0.', '2.1.', '2.2.0'] },
  { generation: 'describe-attribute', prefixes: [...digits(1).map((d) => `2.2.${d}`), '2.3.0'] },
  { generation: 'tagged', prefixes: [...digits(1).map((d) => `2.3.${d}`), ...digits(4).map((d) => `2.${d}`), ...digits(3), ...digits(0).map((d) => `2${d}`)] },
  { generation: 'tagged', prefixes: [...digits(0).map((d) => `2.1${d}`), ...digits(0).map((d) => `2.2${d}`), ...digits(0).map((d) => `2.3${d}`), ...digits(0).map((d) => `1${d}`)] },
];

export interface VersionQuery {
  typeName: string;
  ids: string[];
  generation: PackageGeneration;
  prefixes: readonly string[];
}

/** One query per version class for each ≤40 instances listed under one inventory type. */
export function versionQueries(listed: ReadonlyMap<string, string>): VersionQuery[] {
  const byType = new Map<string, string[]>();
  for (const [id, typeName] of listed) (byType.get(typeName) ?? byType.set(typeName, []).get(typeName)!).push(id);
  return [...byType].flatMap(([typeName, ids]) => idChunks(ids).flatMap((chunk) => VERSION_CLASSES.map((c) => ({ typeName, ids: chunk, ...c }))));
}

/**
 * Each instance's generation from the answers. Whether SSM requires several filters on one type
 * to match the same entry is not documented. If it does, an instance comes back for its package's
 * generation only. If not, the Version filter may also match another application's Version, and
 * the instance comes back for that generation too: it still comes back for its package's (every
 * published AwsVssComponents Version has a patch number, which some prefix covers), so an
 * instance that came back for one generation has that one; one that came back for two is left
 * out (its entries are read), as is one no prefix covers.
 */
export function generationsFrom(answers: ReadonlyArray<{ generation: PackageGeneration; ids: readonly string[] }>): Map<string, PackageGeneration> {
  const found = new Map<string, PackageGeneration | null>();
  for (const { generation, ids } of answers) {
    for (const id of ids) {
      const seen = found.get(id);
      found.set(id, seen === undefined || seen === generation ? generation : null);
    }
  }
  return new Map([...found].filter((e): e is [string, PackageGeneration] => e[1] !== null));
}

/** One query: the listed instances among `ids` whose package Version begins with a prefix of the generation. */
export const queryGeneration = (ssm: SSMClient, q: VersionQuery) =>
  matchingIds(ssm, [byIds(q.ids), { Key: `${q.typeName}.Name`, Values: [...VSS_EXACT_NAMES], Type: 'Equal' }, { Key: `${q.typeName}.Version`, Values: [...q.prefixes], Type: 'BeginWith' }]);

/**
 * Any application name begins with a capital or a digit, as Windows' installed programs do: a
 * node this returns reports AWS:Application inventory. One that it leaves out (no inventory, or
 * only names in lower case where SSM compares case-sensitively) is left to ListInventoryEntries.
 */
const ANY_NAME = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'];

export type AbsenceAsk = 'inventory' | 'application' | 'component';

/**
 * Per 40 ids, three questions: does the node report AWS:Application inventory; does any of its
 * AWS:Application or AWS:AWSComponent entries begin like the package's name (the prefixes
 * ListInventoryEntries is filtered on, so the same names count).
 */
export const ABSENCE_FILTERS: Record<AbsenceAsk, InventoryFilter> = {
  inventory: { Key: 'AWS:Application.Name', Values: ANY_NAME, Type: 'BeginWith' },
  application: { Key: 'AWS:Application.Name', Values: [...VSS_NAME_PREFIXES], Type: 'BeginWith' },
  component: { Key: 'AWS:AWSComponent.Name', Values: [...VSS_NAME_PREFIXES], Type: 'BeginWith' },
};

export const queryAbsence = (ssm: SSMClient, ids: readonly string[], ask: AbsenceAsk) => matchingIds(ssm, [byIds(ids), ABSENCE_FILTERS[ask]]);

/**
 * The ids of one chunk whose package is missing: the node reports inventory, and no entry of
 * either type begins like the package's name. A question not answered (refused, failed) proves
 * nothing, so its chunk's ids are left to ListInventoryEntries.
 */
export function absentFrom(ids: readonly string[], answers: Partial<Record<AbsenceAsk, readonly string[]>>): string[] {
  const { inventory, application, component } = answers;
  if (!inventory || !application || !component) return [];
  const reports = new Set(inventory);
  const mayList = new Set([...application, ...component]);
  return ids.filter((id) => reports.has(id) && !mayList.has(id));
}
