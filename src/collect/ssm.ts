import {
  GetServiceSettingCommand,
  ListCommandInvocationsCommand,
  paginateListCommandInvocations,
  paginateDescribeInstanceInformation,
  paginateGetInventory,
  ListInventoryEntriesCommand,
  type InventoryFilter,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import type { InventoryEntries, SsmInfo, VssRun } from '../facts/snapshot.js';
import { interner } from './intern.js';
import { findVssComponents, VSS_EXACT_NAMES, VSS_NAME_PREFIXES } from './vss-package.js';

const iso = (d: Date | undefined) => (d ? d.toISOString() : null);

/** ssm:DescribeInstanceInformation for the whole region (or the given ids, at most 100), 50 per page (the maximum). */
export async function listManagedNodes(ssm: SSMClient, instanceIds?: string[]): Promise<Map<string, SsmInfo>> {
  const nodes = new Map<string, SsmInfo>();
  const Filters = instanceIds ? [{ Key: 'InstanceIds', Values: instanceIds }] : [{ Key: 'ResourceType', Values: ['EC2Instance'] }];
  // Nodes of a fleet share their agent versions, platforms and roles: one copy of each (intern.ts).
  const intern = interner();
  const pages = paginateDescribeInstanceInformation({ client: ssm, pageSize: 50 }, { Filters });
  for await (const page of pages) {
    for (const n of page.InstanceInformationList ?? []) {
      if (!n.InstanceId) continue;
      nodes.set(n.InstanceId, {
        pingStatus: intern(n.PingStatus ?? 'unknown'),
        lastPingDateTime: intern(iso(n.LastPingDateTime)),
        agentVersion: intern(n.AgentVersion ?? null),
        platformType: intern(n.PlatformType ?? null),
        platformName: intern(n.PlatformName ?? null),
        platformVersion: intern(n.PlatformVersion ?? null),
        resourceType: intern(n.ResourceType ?? null),
        iamRole: intern(n.IamRole ?? null),
      });
    }
  }
  return nodes;
}

type Row = Record<string, string>;

async function inventoryRows(ssm: SSMClient, instanceId: string, typeName: string, filters?: InventoryFilter[]) {
  let captureTime: string | null = null;
  const rows: Row[] = [];
  let NextToken: string | undefined;
  do {
    const page = await ssm.send(
      new ListInventoryEntriesCommand({ InstanceId: instanceId, TypeName: typeName, Filters: filters, MaxResults: 50, NextToken }),
    );
    captureTime ??= page.CaptureTime ?? null;
    rows.push(...(page.Entries ?? []));
    NextToken = page.NextToken;
  } while (NextToken); // the SDK has no paginator for this call
  return { captureTime, rows };
}

/**
 * AwsVssComponents per SSM inventory. AWS:Application is filtered server-side to names that could
 * be the package; the agent also reports Amazon components under AWS:AWSComponent, read only when
 * the first type has no match (vss-facts §3 P4, AGENT). No CaptureTime means no inventory at all.
 * Where GetInventory found the package under AWS:AWSComponent, that type is read first (one call,
 * its CaptureTime standing for the inventory's).
 */
export async function vssInventory(ssm: SSMClient, instanceId: string, listedUnder?: string): Promise<InventoryEntries> {
  if (listedUnder === 'AWS:AWSComponent') {
    const components = await inventoryRows(ssm, instanceId, 'AWS:AWSComponent');
    const hit = findVssComponents('AWS:AWSComponent', components.rows);
    if (hit) return { captureTime: components.captureTime, vssComponents: hit };
  }
  const nameFilter: InventoryFilter = { Key: 'Name', Values: [...VSS_NAME_PREFIXES], Type: 'BeginWith' };
  const apps = await inventoryRows(ssm, instanceId, 'AWS:Application', [nameFilter]);
  const hit = findVssComponents('AWS:Application', apps.rows);
  if (hit || !apps.captureTime) return { captureTime: apps.captureTime, vssComponents: hit };
  const components = await inventoryRows(ssm, instanceId, 'AWS:AWSComponent');
  return { captureTime: apps.captureTime, vssComponents: findVssComponents('AWS:AWSComponent', components.rows) };
}

/** The ids of the entities a GetInventory query returns, all pages. */
export async function matchingIds(ssm: SSMClient, Filters: InventoryFilter[]): Promise<string[]> {
  const ids: string[] = [];
  for await (const page of paginateGetInventory({ client: ssm, pageSize: 50 }, { Filters })) {
    for (const e of page.Entities ?? []) if (e.Id) ids.push(e.Id);
  }
  return ids;
}

/** The inventory types that may list AwsVssComponents, in the order ListInventoryEntries reads them. */
const VSS_TYPES = ['AWS:Application', 'AWS:AWSComponent'] as const;

/**
 * Which managed nodes of the region list AwsVssComponents, by instance id → inventory type: one
 * ssm:GetInventory query per type, 50 entities per page (the maximum), filtered on <type>.Name.
 * GetInventory cannot return AWS:Application itself (ResultAttributes accept only
 * AWS:InstanceInformation and AWS:PatchSummary; aws/aws-sdk#640), so this gives presence, never a
 * Version or the type's CaptureTime. Relied on: an entity a one-filter Equal query returns has an
 * entry of that type with one of the names (the filter's plain meaning; the API reference does not
 * spell out per-entry or per-entity evaluation). What an entity it leaves out has is not said (no
 * inventory of the type, or inventory without the package), so absence decides nothing; and the
 * Exists operator, which could tell those apart, "must be used with aggregators" (API_InventoryFilter),
 * whose groups return counts, not instance ids (sysman-inventory-aggregate).
 */
export async function vssPresence(ssm: SSMClient): Promise<Map<string, string>> {
  const perType = await Promise.all(VSS_TYPES.map((typeName) => matchingIds(ssm, [{ Key: `${typeName}.Name`, Values: [...VSS_EXACT_NAMES], Type: 'Equal' }])));
  const listed = new Map<string, string>();
  VSS_TYPES.forEach((typeName, n) => perType[n]!.forEach((id) => listed.has(id) || listed.set(id, typeName)));
  return listed;
}

export const DHMC_SETTING = '/ssm/managed-instance/default-ec2-instance-management-role';

/**
 * The Default Host Management role (name, possibly with a path such as service-role/), or null
 * when DHMC is off. The value that means "off" is unverified (vss-facts §8.5): Status 'Default'
 * (never configured), an empty value and '$None' are all read as off.
 */
export async function defaultHostManagementRole(ssm: SSMClient): Promise<string | null> {
  const { ServiceSetting } = await ssm.send(new GetServiceSettingCommand({ SettingId: DHMC_SETTING }));
  const value = ServiceSetting?.SettingValue?.trim() ?? '';
  return ServiceSetting?.Status === 'Default' || value === '' || value === '$None' ? null : value;
}

/** The last runs of the VSS document on an instance, newest first (ssm:ListCommandInvocations, about 30 days kept). */
export async function vssRunHistory(ssm: SSMClient, instanceId: string, last = 5): Promise<VssRun[]> {
  const page = await ssm.send(
    new ListCommandInvocationsCommand({ InstanceId: instanceId, Filters: [{ key: 'DocumentName', value: 'AWSEC2-CreateVssSnapshot' }], Details: true, MaxResults: last }),
  );
  return (page.CommandInvocations ?? []).map((c) => ({
    commandId: c.CommandId ?? '',
    requestedDateTime: iso(c.RequestedDateTime),
    status: c.Status ?? 'unknown',
    statusDetails: c.StatusDetails ?? null,
    // Plugin output is capped at 2,500 characters by SSM; the first lines name the failure.
    output: (c.CommandPlugins ?? []).map((p) => p.Output ?? '').join('\n').trim().slice(0, 600) || null,
  }));
}

/** Every run of the VSS document in a region since a date, for history (ssm:ListCommandInvocations, 50 per page). */
export async function regionVssRuns(ssm: SSMClient, since: Date): Promise<(VssRun & { instanceId: string })[]> {
  const runs: (VssRun & { instanceId: string })[] = [];
  const filters = [
    { key: 'DocumentName' as const, value: 'AWSEC2-CreateVssSnapshot' },
    { key: 'InvokedAfter' as const, value: since.toISOString() },
  ];
  for await (const page of paginateListCommandInvocations({ client: ssm, pageSize: 50 }, { Filters: filters })) {
    for (const c of page.CommandInvocations ?? []) {
      if (!c.InstanceId) continue;
      runs.push({ instanceId: c.InstanceId, commandId: c.CommandId ?? '', requestedDateTime: iso(c.RequestedDateTime), status: c.Status ?? 'unknown', statusDetails: c.StatusDetails ?? null, output: null });
    }
  }
  return runs;
}
