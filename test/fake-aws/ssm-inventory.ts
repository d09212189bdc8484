/** SSM inventory (awsJson1_1): ListInventoryEntries, GetInventory. */
import type { Ctx, JsonHandler } from './context.js';
import { ApiError, checkRange } from './errors.js';
import { byInstanceId, checkInstanceId, ssmPage, computerNameOf, ipOf, jsonList, jsonStrings } from './ssm.js';
import { regionOf, type InventoryType, type Region } from './world.js';

/** AWS-defined inventory types (Custom:* types are free-form). */
const AWS_TYPES = [
  'AWS:Application', 'AWS:AWSComponent', 'AWS:BillingInfo', 'AWS:ComplianceItem', 'AWS:ComplianceSummary', 'AWS:File',
  'AWS:InstanceDetailedInformation', 'AWS:InstanceInformation', 'AWS:Network', 'AWS:PatchSummary', 'AWS:Registry',
  'AWS:ResourceGroup', 'AWS:Service', 'AWS:Tag', 'AWS:WindowsRole', 'AWS:WindowsUpdate',
];
/** The only TypeNames GetInventory accepts in ResultAttributes. */
const RESULT_ATTRIBUTE_TYPES = ['AWS:InstanceInformation', 'AWS:PatchSummary'];
/**
 * API_InventoryFilter says Exists "must be used with aggregators"; what GetInventory answers to
 * Exists in its top-level Filters is not documented, so the fake accepts it (and the collector
 * does not use it).
 */
const FILTER_TYPES = ['Equal', 'NotEqual', 'BeginWith', 'LessThan', 'GreaterThan', 'Exists'];

type Entry = Record<string, string>;
interface Filter { attr: string; values: string[]; type: string }

function checkTypeName(t: unknown): string {
  if (typeof t !== 'string' || !(AWS_TYPES.includes(t) || /^Custom:[a-zA-Z0-9_.-]+$/.test(t))) {
    throw new ApiError('InvalidTypeNameException', `The parameter type name ${String(t)} is not valid.`);
  }
  return t;
}

const stringify = (e: Record<string, string | number | boolean>): Entry =>
  Object.fromEntries(Object.entries(e).map(([k, v]) => [k, String(v)]));

/**
 * Entries as strings, once per inventory type read: the benchmark's fleets ask GetInventory
 * thousands of times over the same entries. Read again when the entries change (tests edit worlds).
 */
const contents = new WeakMap<InventoryType, { entries: InventoryType['entries']; length: number; content: Entry[] }>();
function contentOf(t: InventoryType): Entry[] {
  const seen = contents.get(t);
  if (seen && seen.entries === t.entries && seen.length === t.entries.length) return seen.content;
  const content = t.entries.map(stringify);
  contents.set(t, { entries: t.entries, length: t.entries.length, content });
  return content;
}

const schemaVersionOf = (typeName: string, t: InventoryType): string =>
  t.schemaVersion ?? (typeName === 'AWS:Application' ? '1.1' : '1.0');

function compare(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (a !== '' && b !== '' && !Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  return a.localeCompare(b, 'en', { numeric: true });
}

function entryMatches(e: Entry, f: Filter): boolean {
  const v = e[f.attr];
  if (f.type === 'Exists') return v !== undefined;
  if (v === undefined) return false;
  switch (f.type) {
    case 'Equal': return f.values.includes(v);
    case 'NotEqual': return !f.values.includes(v);
    case 'BeginWith': return f.values.some((p) => v.startsWith(p));
    case 'LessThan': return f.values.some((p) => compare(v, p) < 0);
    default: return f.values.some((p) => compare(v, p) > 0); // GreaterThan
  }
}

function parseFilters(params: Record<string, unknown>): Array<{ key: string; values: string[]; type: string }> {
  return jsonList(params, 'Filters').map((f) => {
    const type = f.Type === undefined ? 'Equal' : String(f.Type);
    if (!FILTER_TYPES.includes(type)) throw new ApiError('ValidationException', `Value '${type}' at 'filters.member.type' failed to satisfy constraint: Member must satisfy enum value set: [${FILTER_TYPES.join(', ')}]`);
    const values = jsonStrings(f.Values);
    if (values.length < 1 || values.length > 40) throw new ApiError('ValidationException', "Value at 'filters.member.values' failed to satisfy constraint: Member must have length between 1 and 40");
    return { key: String(f.Key), values, type };
  });
}

const listInventoryEntries: JsonHandler = (ctx) => {
  const { params } = ctx;
  const instanceId = checkInstanceId(params.InstanceId);
  const typeName = checkTypeName(params.TypeName);
  const maxResults = checkRange('ssm', 'MaxResults', params.MaxResults, 1, 50);
  const filters: Filter[] = parseFilters(params).map((f) => ({
    ...f,
    attr: f.key.startsWith(`${typeName}.`) ? f.key.slice(typeName.length + 1) : f.key,
  }));
  const data = regionOf(ctx.world, ctx.region).inventory[instanceId]?.[typeName];
  if (!data) return { TypeName: typeName, InstanceId: instanceId, Entries: [] };
  const entries = contentOf(data).filter((e) => filters.every((f) => entryMatches(e, f)));
  const page = ssmPage(ctx, entries, maxResults, 50);
  return {
    TypeName: typeName,
    InstanceId: instanceId,
    SchemaVersion: schemaVersionOf(typeName, data),
    CaptureTime: data.captureTime,
    Entries: page.items,
    ...(page.nextToken ? { NextToken: page.nextToken } : {}),
  };
};

interface ResultItem { TypeName: string; SchemaVersion: string; CaptureTime: string; Content: Entry[] }

/** The synthesized AWS:InstanceInformation of a managed node (SSM keeps it for every node). */
function instanceInformation(ctx: Ctx, region: Region, id: string): ResultItem | undefined {
  const s = byInstanceId(region.ssm).get(id);
  if (!s) return undefined;
  return {
    TypeName: 'AWS:InstanceInformation',
    SchemaVersion: '1.0',
    CaptureTime: new Date(s.lastPingDateTime).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    Content: [{
      AgentType: 'amazon-ssm-agent',
      AgentVersion: s.agentVersion,
      ComputerName: computerNameOf(ctx, s),
      InstanceId: s.instanceId,
      InstanceStatus: s.pingStatus === 'Inactive' ? 'Terminated' : 'Active',
      IpAddress: ipOf(ctx, s),
      PlatformName: s.platformName,
      PlatformType: s.platformType,
      PlatformVersion: s.platformVersion,
      ResourceType: s.resourceType,
    }],
  };
}

/** One inventory type of an entity (managed instance), including the synthesized AWS:InstanceInformation. */
function entityItem(ctx: Ctx, region: Region, id: string, typeName: string): ResultItem | undefined {
  const t = region.inventory[id]?.[typeName];
  if (t) return { TypeName: typeName, SchemaVersion: schemaVersionOf(typeName, t), CaptureTime: t.captureTime, Content: contentOf(t) };
  return typeName === 'AWS:InstanceInformation' ? instanceInformation(ctx, region, id) : undefined;
}

type EntityFilter = Filter & { typeName: string };

/**
 * Entity level, as documented for GetInventory: an entity matches a filter when some entry of the
 * type matches it (NotEqual: when no entry equals any value), and every filter must match. Whether
 * SSM requires several filters on one type to match the same entry is not documented: by default
 * this fake evaluates each filter on its own; the world's inventoryFilterMatch 'per-entry' makes
 * one entry match all of a type's filters.
 */
function entityMatches(ctx: Ctx, region: Region, id: string, filters: EntityFilter[]): boolean {
  const negative = filters.filter((f) => f.type === 'NotEqual');
  const positive = filters.filter((f) => f.type !== 'NotEqual');
  const contentOf = (typeName: string) => entityItem(ctx, region, id, typeName)?.Content ?? [];
  if (!negative.every((f) => !contentOf(f.typeName).some((e) => entryMatches(e, { ...f, type: 'Equal' })))) return false;
  if (ctx.world.inventoryFilterMatch !== 'per-entry') return positive.every((f) => contentOf(f.typeName).some((e) => entryMatches(e, f)));
  const types = [...new Set(positive.map((f) => f.typeName))];
  return types.every((t) => {
    const own = positive.filter((f) => f.typeName === t);
    return contentOf(t).some((e) => own.every((f) => entryMatches(e, f)));
  });
}

/** Matching entity ids per region and query, computed once: every page of a query reads the same list. */
const matchCache = new WeakMap<Region, Map<string, string[]>>();

function matchingIds(ctx: Ctx, region: Region, filters: EntityFilter[], resultTypes: string[]): string[] {
  const key = JSON.stringify([filters, resultTypes, ctx.world.inventoryFilterMatch, region.ssm.length, Object.keys(region.inventory).length]);
  const perRegion = matchCache.get(region) ?? new Map<string, string[]>();
  matchCache.set(region, perRegion);
  let ids = perRegion.get(key);
  if (!ids) {
    // An InstanceId filter names the candidates (the benchmark's fleets make many such queries).
    const byId = filters.find((f) => f.typeName === 'AWS:InstanceInformation' && f.attr === 'InstanceId' && f.type === 'Equal');
    const all = byId ? byId.values.filter((id) => byInstanceId(region.ssm).has(id) || Object.hasOwn(region.inventory, id)) : [...new Set([...region.ssm.map((s) => s.instanceId), ...Object.keys(region.inventory)])];
    ids = all
      .filter((id) => entityMatches(ctx, region, id, filters))
      .filter((id) => !resultTypes.length || resultTypes.some((t) => entityItem(ctx, region, id, t)));
    perRegion.set(key, ids);
  }
  return ids;
}

const getInventory: JsonHandler = (ctx) => {
  const { params } = ctx;
  const maxResults = checkRange('ssm', 'MaxResults', params.MaxResults, 1, 50);
  if (jsonList(params, 'Aggregators').length) throw new ApiError('InvalidAggregatorException', 'Aggregators are not supported by the fake AWS endpoint.');
  const resultTypes = jsonList(params, 'ResultAttributes').map((r) => String(r.TypeName));
  // API_GetInventory: ResultAttributes "Fixed number of 1 item"; Filters 1 to 5 items.
  if (params.ResultAttributes !== undefined && resultTypes.length !== 1) {
    throw new ApiError('ValidationException', "1 validation error detected: Value at 'resultAttributes' failed to satisfy constraint: Member must have length less than or equal to 1");
  }
  const badType = resultTypes.find((t) => !RESULT_ATTRIBUTE_TYPES.includes(t));
  if (badType) {
    throw new ApiError(
      'InvalidResultAttributeException',
      `Result type name ${badType} is not supported. Supported type names are: ${RESULT_ATTRIBUTE_TYPES.join(', ')}. Default result type name is AWS:InstanceInformation.`,
    );
  }
  const rawFilters = parseFilters(params);
  if (params.Filters !== undefined && (rawFilters.length < 1 || rawFilters.length > 5)) {
    throw new ApiError('ValidationException', "1 validation error detected: Value at 'filters' failed to satisfy constraint: Member must have length between 1 and 5");
  }
  const filters = rawFilters.map((f) => {
    const dot = f.key.lastIndexOf('.');
    if (dot <= 0) throw new ApiError('InvalidFilter', `The filter key ${f.key} is not valid: expected TypeName.AttributeName`);
    return { ...f, typeName: checkTypeName(f.key.slice(0, dot)), attr: f.key.slice(dot + 1) };
  });
  const region = regionOf(ctx.world, ctx.region);
  const wanted = resultTypes.length ? resultTypes : ['AWS:InstanceInformation'];
  const page = ssmPage(ctx, matchingIds(ctx, region, filters, resultTypes), maxResults, 50);
  const entities = page.items.map((id) => ({
    Id: id,
    Data: Object.fromEntries(wanted.flatMap((t) => {
      const item = entityItem(ctx, region, id, t);
      return item ? [[t, item]] : [];
    })),
  }));
  return { Entities: entities, ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
};

export const ssmInventoryHandlers: Record<string, JsonHandler> = {
  ListInventoryEntries: listInventoryEntries,
  GetInventory: getInventory,
};
