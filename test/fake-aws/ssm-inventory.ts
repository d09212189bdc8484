/** SSM inventory (awsJson1_1): ListInventoryEntries, GetInventory. */
import type { Ctx, JsonHandler } from './context.js';
import { ApiError, checkRange } from './errors.js';
import { checkInstanceId, ssmPage, computerNameOf, ipOf, jsonList, jsonStrings } from './ssm.js';
import { regionOf, type InventoryType } from './world.js';

/** AWS-defined inventory types (Custom:* types are free-form). */
const AWS_TYPES = [
  'AWS:Application', 'AWS:AWSComponent', 'AWS:BillingInfo', 'AWS:ComplianceItem', 'AWS:ComplianceSummary', 'AWS:File',
  'AWS:InstanceDetailedInformation', 'AWS:InstanceInformation', 'AWS:Network', 'AWS:PatchSummary', 'AWS:Registry',
  'AWS:ResourceGroup', 'AWS:Service', 'AWS:Tag', 'AWS:WindowsRole', 'AWS:WindowsUpdate',
];
/** The only TypeNames GetInventory accepts in ResultAttributes. */
const RESULT_ATTRIBUTE_TYPES = ['AWS:InstanceInformation', 'AWS:PatchSummary'];
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
  const entries = data.entries.map(stringify).filter((e) => filters.every((f) => entryMatches(e, f)));
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

/** All inventory an entity (managed instance) has, including the synthesized AWS:InstanceInformation. */
function entityData(ctx: Ctx, id: string): Record<string, ResultItem> {
  const region = regionOf(ctx.world, ctx.region);
  const out: Record<string, ResultItem> = {};
  for (const [typeName, t] of Object.entries(region.inventory[id] ?? {})) {
    out[typeName] = { TypeName: typeName, SchemaVersion: schemaVersionOf(typeName, t), CaptureTime: t.captureTime, Content: t.entries.map(stringify) };
  }
  const s = region.ssm.find((x) => x.instanceId === id);
  if (s && !out['AWS:InstanceInformation']) {
    out['AWS:InstanceInformation'] = {
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
  return out;
}

const getInventory: JsonHandler = (ctx) => {
  const { params } = ctx;
  const maxResults = checkRange('ssm', 'MaxResults', params.MaxResults, 1, 50);
  if (jsonList(params, 'Aggregators').length) throw new ApiError('InvalidAggregatorException', 'Aggregators are not supported by the fake AWS endpoint.');
  const resultTypes = jsonList(params, 'ResultAttributes').map((r) => String(r.TypeName));
  const badType = resultTypes.find((t) => !RESULT_ATTRIBUTE_TYPES.includes(t));
  if (badType) throw new ApiError('InvalidResultAttributeException', `The query result attribute ${badType} is not supported. Supported types: ${RESULT_ATTRIBUTE_TYPES.join(', ')}.`);
  const filters = parseFilters(params).map((f) => {
    const dot = f.key.lastIndexOf('.');
    if (dot <= 0) throw new ApiError('InvalidFilter', `The filter key ${f.key} is not valid: expected TypeName.AttributeName`);
    return { ...f, typeName: checkTypeName(f.key.slice(0, dot)), attr: f.key.slice(dot + 1) };
  });
  const region = regionOf(ctx.world, ctx.region);
  const ids = [...new Set([...region.ssm.map((s) => s.instanceId), ...Object.keys(region.inventory)])];
  const wanted = resultTypes.length ? resultTypes : ['AWS:InstanceInformation'];
  const entities = ids
    .map((id) => ({ id, data: entityData(ctx, id) }))
    .filter(({ data }) =>
      filters.every((f) => {
        const content = data[f.typeName]?.Content ?? [];
        // Entity level: NotEqual means no entry equals any value; others mean some entry matches.
        if (f.type === 'NotEqual') return !content.some((e) => entryMatches(e, { ...f, type: 'Equal' }));
        return content.some((e) => entryMatches(e, f));
      }),
    )
    .map(({ id, data }) => ({ Id: id, Data: Object.fromEntries(wanted.filter((t) => data[t]).map((t) => [t, data[t]])) }))
    .filter((e) => !resultTypes.length || Object.keys(e.Data).length > 0);
  const page = ssmPage(ctx, entities, maxResults, 50);
  return { Entities: page.items, ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
};

export const ssmInventoryHandlers: Record<string, JsonHandler> = {
  ListInventoryEntries: listInventoryEntries,
  GetInventory: getInventory,
};
