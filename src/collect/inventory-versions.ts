import { paginateGetInventory, type SSMClient } from '@aws-sdk/client-ssm';
import type { PackageGeneration } from '../facts/snapshot.js';
import { VSS_EXACT_NAMES } from './vss-package.js';

/**
 * AwsVssComponents generations from ssm:GetInventory's filters, for many instances a call: AWS has
 * no bulk read of an entry's Version, but GetInventory can filter on one. Where a role is judged
 * differently per package generation, the generation is all the verdict needs, so this tells it
 * for 40 instances in four calls instead of ListInventoryEntries' one call an instance.
 */

const digits = (from: number) => ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'].slice(from);

/**
 * Version prefixes per generation for BeginWith filters (at most 40 values a filter, so 2.3.1 or
 * later takes two). No version string begins with prefixes of two generations: each prefix ends
 * where a number ends ('2.1.' is 2.1.x, never 2.10) or where what may follow keeps it in its
 * generation ('2.2.1' also begins 2.2.10 to 2.2.19, '3' also 30). Dotted versions without leading
 * zeros fall as generationOf puts them (proved over a grid in test/unit/inventory-versions.test.ts);
 * the few no prefix covers ('2', '2.1', '2.3': no patch number) are left to ListInventoryEntries.
 */
export const VERSION_CLASSES: ReadonlyArray<{ generation: PackageGeneration; prefixes: readonly string[] }> = [
  { generation: 'legacy', prefixes: ['0.', '1.', '2.0.', '2.1.', '2.2.0'] },
  { generation: 'describe-attribute', prefixes: [...digits(1).map((d) => `2.2.${d}`), '2.3.0'] },
  { generation: 'tagged', prefixes: [...digits(1).map((d) => `2.3.${d}`), ...digits(4).map((d) => `2.${d}`), ...digits(3), ...digits(0).map((d) => `2${d}`)] },
  { generation: 'tagged', prefixes: [...digits(0).map((d) => `2.1${d}`), ...digits(0).map((d) => `2.2${d}`), ...digits(0).map((d) => `2.3${d}`), ...digits(0).map((d) => `1${d}`)] },
];

/** The AWS:InstanceInformation.InstanceId filter takes at most 40 values (API_InventoryFilter). */
export const IDS_PER_QUERY = 40;

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
  const queries: VersionQuery[] = [];
  for (const [typeName, ids] of byType) {
    for (let k = 0; k < ids.length; k += IDS_PER_QUERY) {
      const chunk = ids.slice(k, k + IDS_PER_QUERY);
      for (const c of VERSION_CLASSES) queries.push({ typeName, ids: chunk, ...c });
    }
  }
  return queries;
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
export async function queryGeneration(ssm: SSMClient, q: VersionQuery): Promise<string[]> {
  const Filters = [
    { Key: 'AWS:InstanceInformation.InstanceId', Values: q.ids, Type: 'Equal' as const },
    { Key: `${q.typeName}.Name`, Values: [...VSS_EXACT_NAMES], Type: 'Equal' as const },
    { Key: `${q.typeName}.Version`, Values: [...q.prefixes], Type: 'BeginWith' as const },
  ];
  const ids: string[] = [];
  for await (const page of paginateGetInventory({ client: ssm, pageSize: 50 }, { Filters })) {
    for (const e of page.Entities ?? []) if (e.Id) ids.push(e.Id);
  }
  return ids;
}
