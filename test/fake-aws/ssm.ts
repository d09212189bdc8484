/** SSM (awsJson1_1): DescribeInstanceInformation, GetServiceSetting, ListCommandInvocations. */
import { callerArn, fakeId, type Ctx, type JsonHandler } from './context.js';
import { ApiError, checkRange } from './errors.js';
import { privateIpOf } from './ec2.js';
import { paginate } from './paginate.js';
import { regionOf, type SsmInstance } from './world.js';

/** awsJson timestamps are epoch seconds. */
export const epoch = (iso: string): number => Date.parse(iso) / 1000;

export const badNextToken = (): ApiError => new ApiError('InvalidNextToken', 'The specified token is not valid.');

/** One page of an SSM list call: NextToken in, NextToken out, InvalidNextToken on a bad one. */
export function ssmPage<T>(ctx: Ctx, items: readonly T[], requested: number | undefined, defaultSize: number) {
  const params = ctx.params;
  const token = typeof params.NextToken === 'string' ? params.NextToken : undefined;
  return paginate(items, { token, requested, defaultSize, cap: ctx.cap, params, badToken: badNextToken });
}

export function jsonList(params: Record<string, unknown>, key: string): Array<Record<string, unknown>> {
  const v = params[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new ApiError('SerializationException', `Expected a list for ${key}`);
  return v.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null);
}

export function jsonStrings(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}

const MANAGED_ID = /^m?i-[0-9a-zA-Z]+$/;
export function checkInstanceId(id: unknown): string {
  if (typeof id !== 'string' || id === '') {
    throw new ApiError('ValidationException', "1 validation error detected: Value null at 'instanceId' failed to satisfy constraint: Member must not be null");
  }
  if (!MANAGED_ID.test(id)) throw new ApiError('InvalidInstanceId', `Instance Id ${id} is not valid.`);
  return id;
}

const indexes = new WeakMap<readonly object[], { length: number; byId: Map<string, unknown> }>();

/**
 * A world list indexed by instance id, so a 50,000-instance world answers a page in O(page), not
 * O(world); rebuilt when the list changes length (tests add to worlds in place).
 */
export function byInstanceId<T extends { instanceId: string }>(list: readonly T[]): Map<string, T> {
  let index = indexes.get(list);
  if (!index || index.length !== list.length) {
    index = { length: list.length, byId: new Map(list.map((x) => [x.instanceId, x])) };
    indexes.set(list, index);
  }
  return index.byId as Map<string, T>;
}

/** The EC2-side facts an SSM record can borrow (tags, IP). */
function ec2Of(ctx: Ctx, id: string) {
  return byInstanceId(regionOf(ctx.world, ctx.region).instances).get(id);
}

export function computerNameOf(ctx: Ctx, s: SsmInstance): string {
  if (s.computerName) return s.computerName;
  const ip = ipOf(ctx, s);
  return s.platformType === 'Windows'
    ? `EC2AMAZ-${fakeId('', s.instanceId, 7, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}.WORKGROUP`
    : `ip-${ip.replaceAll('.', '-')}.${ctx.region}.compute.internal`;
}

export function ipOf(ctx: Ctx, s: SsmInstance): string {
  const ec2 = ec2Of(ctx, s.instanceId);
  return s.ipAddress ?? (ec2 ? privateIpOf(ec2) : '10.0.0.1');
}

const INFO_KEYS = ['InstanceIds', 'AgentVersion', 'PingStatus', 'PlatformTypes', 'ActivationIds', 'IamRole', 'ResourceType', 'AssociationStatus'];

function infoValues(ctx: Ctx, s: SsmInstance, key: string): string[] {
  const tags = ec2Of(ctx, s.instanceId)?.tags ?? {};
  if (key.startsWith('tag:')) return key.slice(4) in tags ? [tags[key.slice(4)] as string] : [];
  switch (key) {
    case 'InstanceIds': return [s.instanceId];
    case 'AgentVersion': return [s.agentVersion];
    case 'PingStatus': return [s.pingStatus];
    case 'PlatformTypes': return [s.platformType];
    case 'IamRole': return s.iamRole ? [s.iamRole] : [];
    case 'ResourceType': return [s.resourceType];
    case 'AssociationStatus': return s.associationStatus ? [s.associationStatus] : [];
    case 'tag-key': return Object.keys(tags);
    default: return [];
  }
}

/** Matching nodes per query, computed once: every page of a paged query reads the same list. */
const nodeMatches = new WeakMap<readonly SsmInstance[], Map<string, SsmInstance[]>>();

function matchingNodes(ctx: Ctx, filters: { key: string; values: string[] }[]): SsmInstance[] {
  const nodes = regionOf(ctx.world, ctx.region).ssm;
  const perList = nodeMatches.get(nodes) ?? new Map<string, SsmInstance[]>();
  nodeMatches.set(nodes, perList);
  const key = JSON.stringify([filters.map((f) => [f.key, f.values]), nodes.length]);
  let matching = perList.get(key);
  if (!matching) {
    matching = nodes.filter((s) => filters.every((f) => infoValues(ctx, s, f.key).some((v) => f.values.includes(v))));
    perList.set(key, matching);
  }
  return matching;
}

const describeInstanceInformation: JsonHandler = (ctx) => {
  const { params } = ctx;
  const maxResults = checkRange('ssm', 'MaxResults', params.MaxResults, 5, 50);
  const filters = [
    ...jsonList(params, 'InstanceInformationFilterList').map((f) => ({ key: String(f.key), values: jsonStrings(f.valueSet), legacy: true })),
    ...jsonList(params, 'Filters').map((f) => ({ key: String(f.Key), values: jsonStrings(f.Values), legacy: false })),
  ];
  for (const f of filters) {
    const tagKey = !f.legacy && (f.key.startsWith('tag:') || f.key === 'tag-key');
    if (!INFO_KEYS.includes(f.key) && !tagKey) throw new ApiError('InvalidFilterKey', `The filter key ${f.key} is not valid.`);
    if (f.values.length < 1 || f.values.length > 100) {
      throw new ApiError('ValidationException', `1 validation error detected: Value at 'filters.member.values' failed to satisfy constraint: Member must have length between 1 and 100`);
    }
    if (f.key === 'InstanceIds') f.values.forEach((id) => checkInstanceId(id));
  }
  const page = ssmPage(ctx, matchingNodes(ctx, filters), maxResults, 10);
  return {
    InstanceInformationList: page.items.map((s) => ({
      InstanceId: s.instanceId,
      PingStatus: s.pingStatus,
      LastPingDateTime: epoch(s.lastPingDateTime),
      AgentVersion: s.agentVersion,
      IsLatestVersion: s.isLatestVersion,
      PlatformType: s.platformType,
      PlatformName: s.platformName,
      PlatformVersion: s.platformVersion,
      ...(s.iamRole ? { IamRole: s.iamRole } : {}),
      ResourceType: s.resourceType,
      IPAddress: ipOf(ctx, s),
      ComputerName: computerNameOf(ctx, s),
      ...(s.associationStatus ? { AssociationStatus: s.associationStatus } : {}),
      SourceId: s.instanceId,
      SourceType: s.resourceType === 'EC2Instance' ? 'AWS::EC2::Instance' : 'AWS::SSM::ManagedInstance',
    })),
    ...(page.nextToken ? { NextToken: page.nextToken } : {}),
  };
};

/**
 * A documented setting never changed answers with its default and Status 'Default', not
 * ServiceSettingNotFound (public reports; the exact DHMC default value is unverified, vss-facts §8.5).
 */
const DOCUMENTED_DEFAULTS: Record<string, { value: string; status: 'Default'; lastModifiedDate: string; lastModifiedUser?: string }> = {
  '/ssm/managed-instance/default-ec2-instance-management-role': { value: '$None', status: 'Default', lastModifiedDate: '2026-01-01T00:00:00Z' },
};

const getServiceSetting: JsonHandler = (ctx) => {
  const raw = ctx.params.SettingId;
  if (typeof raw !== 'string' || raw === '') {
    throw new ApiError('ValidationException', "1 validation error detected: Value null at 'settingId' failed to satisfy constraint: Member must not be null");
  }
  const settingId = raw.startsWith('arn:') ? raw.slice(raw.indexOf(':servicesetting') + ':servicesetting'.length) : raw;
  const setting = regionOf(ctx.world, ctx.region).serviceSettings[settingId] ?? DOCUMENTED_DEFAULTS[settingId];
  if (!setting) throw new ApiError('ServiceSettingNotFound', `No setting found with settingId: ${settingId}`);
  return {
    ServiceSetting: {
      SettingId: settingId,
      SettingValue: setting.value,
      LastModifiedDate: epoch(setting.lastModifiedDate),
      LastModifiedUser: setting.lastModifiedUser ?? (setting.status === 'Default' ? 'System' : callerArn(ctx.world)),
      ARN: `arn:aws:ssm:${ctx.region}:${ctx.world.accountId}:servicesetting${settingId}`,
      Status: setting.status,
    },
  };
};

const COMMAND_FILTER_KEYS = ['InvokedAfter', 'InvokedBefore', 'Status', 'ExecutionStage', 'DocumentName'];
const COMPLETE = ['Success', 'Cancelled', 'TimedOut', 'Failed'];

const listCommandInvocations: JsonHandler = (ctx) => {
  const { params } = ctx;
  const maxResults = checkRange('ssm', 'MaxResults', params.MaxResults, 1, 50);
  if (params.InstanceId !== undefined) checkInstanceId(params.InstanceId);
  const filters = jsonList(params, 'Filters').map((f) => ({ key: String(f.key), value: String(f.value) }));
  for (const f of filters) if (!COMMAND_FILTER_KEYS.includes(f.key)) throw new ApiError('InvalidFilterKey', `The filter key ${f.key} is not valid.`);
  const rows = regionOf(ctx.world, ctx.region)
    .commandInvocations.filter((c) => params.InstanceId === undefined || c.instanceId === params.InstanceId)
    .filter((c) => params.CommandId === undefined || c.commandId === params.CommandId)
    .filter((c) =>
      filters.every(({ key, value }) => {
        if (key === 'DocumentName') return c.documentName === value;
        if (key === 'Status') return c.status === value;
        if (key === 'ExecutionStage') return (value === 'Complete') === COMPLETE.includes(c.status);
        const t = Date.parse(value);
        if (Number.isNaN(t)) throw new ApiError('InvalidFilterValue', `The filter value ${value} is not valid.`);
        return key === 'InvokedAfter' ? Date.parse(c.requestedDateTime) >= t : Date.parse(c.requestedDateTime) <= t;
      }),
    )
    .sort((a, b) => Date.parse(b.requestedDateTime) - Date.parse(a.requestedDateTime));
  const page = ssmPage(ctx, rows, maxResults, 50);
  return {
    CommandInvocations: page.items.map((c) => ({
      CommandId: c.commandId,
      InstanceId: c.instanceId,
      InstanceName: '',
      Comment: c.comment,
      DocumentName: c.documentName,
      DocumentVersion: c.documentVersion,
      RequestedDateTime: epoch(c.requestedDateTime),
      Status: c.status,
      StatusDetails: c.statusDetails ?? c.status,
      StandardOutputUrl: '',
      StandardErrorUrl: '',
      CommandPlugins:
        params.Details === true
          ? c.plugins.map((p) => ({
              Name: p.name,
              Status: p.status,
              StatusDetails: p.status,
              ResponseCode: p.responseCode,
              ...(p.responseStartDateTime ? { ResponseStartDateTime: epoch(p.responseStartDateTime) } : {}),
              ...(p.responseFinishDateTime ? { ResponseFinishDateTime: epoch(p.responseFinishDateTime) } : {}),
              Output: p.output,
              StandardOutputUrl: '',
              StandardErrorUrl: '',
              OutputS3Region: ctx.region,
              OutputS3BucketName: '',
              OutputS3KeyPrefix: '',
            }))
          : [],
      ServiceRole: '',
      NotificationConfig: { NotificationArn: '', NotificationEvents: [], NotificationType: '' },
      CloudWatchOutputConfig: { CloudWatchLogGroupName: '', CloudWatchOutputEnabled: false },
    })),
    ...(page.nextToken ? { NextToken: page.nextToken } : {}),
  };
};

export const ssmCoreHandlers: Record<string, JsonHandler> = {
  DescribeInstanceInformation: describeInstanceInformation,
  GetServiceSetting: getServiceSetting,
  ListCommandInvocations: listCommandInvocations,
};
