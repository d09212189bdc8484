/** EC2 (ec2Query, API 2016-11-15): DescribeVolumes, DescribeVpcEndpoints. */
import { fakeId, type Ctx, type QueryHandler } from './context.js';
import { ApiError } from './errors.js';
import { paginate, wildcardMatch } from './paginate.js';
import { objList, str, strList } from './query.js';
import { regionOf, type Volume, type VpcEndpoint } from './world.js';
import { items, type XmlValue } from './xml.js';

const CREATED = new Date('2025-06-01T00:00:00Z');

/**
 * MaxResults: below `min` is an error; above `max` EC2 returns only `max` items
 * (DescribeVolumes: 5–500, DescribeVpcEndpoints: up to 1,000).
 */
function maxResults(value: unknown, min: number, max: number): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    throw new ApiError('InvalidParameterValue', `Value ( ${String(value)} ) for parameter maxResults is invalid. Expecting a value greater than ${min}.`);
  }
  return Math.min(n, max);
}

/** ANDs the request's Filter.N (values ORed, with wildcards); `values` throws on an unsupported name. */
function applyFilters<T>(all: T[], ctx: Ctx, values: (name: string, item: T) => string[]): T[] {
  let out = all;
  for (const f of objList(ctx.params, 'Filter')) {
    const name = String(f.Name);
    const wanted = Array.isArray(f.Value) ? f.Value.map(String) : [];
    out = out.filter((item) => values(name, item).some((v) => wanted.some((p) => wildcardMatch(p, v))));
  }
  return out;
}

const invalidFilter = (name: string): ApiError => new ApiError('InvalidParameterValue', `The filter '${name}' is invalid`);

function tagValues(name: string, tags: Record<string, string> | undefined): string[] | undefined {
  if (name.startsWith('tag:')) {
    const v = tags?.[name.slice(4)];
    return v === undefined ? [] : [v];
  }
  if (name === 'tag-key') return Object.keys(tags ?? {});
  if (name === 'tag-value') return Object.values(tags ?? {});
  return undefined;
}

/** Looks up explicitly requested ids (Xxx.N), failing like EC2 on malformed or unknown ones. */
function byIds<T>(all: T[], ids: string[], idOf: (x: T) => string, shape: RegExp, codes: { malformed: string; notFound: string; noun: string }): T[] {
  if (!ids.length) return all;
  const malformed = ids.find((id) => !shape.test(id));
  if (malformed) throw new ApiError(codes.malformed, `Invalid id: "${malformed}"`);
  const missing = ids.filter((id) => !all.some((x) => idOf(x) === id));
  if (missing.length) throw new ApiError(codes.notFound, `The ${codes.noun} '${missing.join(', ')}' does not exist.`);
  return all.filter((x) => ids.includes(idOf(x)));
}

function page<T>(ctx: Ctx, all: T[], requested: number | undefined) {
  return paginate(all, {
    token: str(ctx.params, 'NextToken'),
    requested,
    defaultSize: Infinity,
    cap: ctx.cap,
    params: ctx.params,
    badToken: () => new ApiError('InvalidParameterValue', 'The value supplied for NextToken is invalid'),
  });
}

// ---------------------------------------------------------------- DescribeVolumes

const volumeState = (v: Volume): string => (v.attachments.length ? 'in-use' : 'available');
const azOf = (v: Volume, ctx: Ctx): string => v.availabilityZone ?? `${ctx.region}a`;

function volumeFilter(name: string, v: Volume, ctx: Ctx): string[] {
  const tags = tagValues(name, v.tags);
  if (tags) return tags;
  const each = (f: (a: Volume['attachments'][number]) => string) => v.attachments.map(f);
  switch (name) {
    case 'volume-id': return [v.volumeId];
    case 'multi-attach-enabled': return [String(v.multiAttachEnabled)];
    case 'attachment.instance-id': return each((a) => a.instanceId);
    case 'attachment.device': return each((a) => a.device);
    case 'attachment.status': return each(() => 'attached');
    case 'attachment.delete-on-termination': return each((a) => String(a.deleteOnTermination));
    case 'status': return [volumeState(v)];
    case 'volume-type': return [v.volumeType];
    case 'size': return [String(v.size)];
    case 'encrypted': return [String(v.encrypted)];
    case 'availability-zone': return [azOf(v, ctx)];
    default: throw invalidFilter(name);
  }
}

function volumeXml(v: Volume, ctx: Ctx): XmlValue {
  const tags = Object.entries(v.tags ?? {});
  const iops: Partial<Record<Volume['volumeType'], number>> = { gp3: 3000, io1: 3000, io2: 3000, gp2: Math.min(16000, Math.max(100, v.size * 3)) };
  return {
    volumeId: v.volumeId,
    size: v.size,
    snapshotId: '',
    availabilityZone: azOf(v, ctx),
    // The SDK reads Volume.State and VolumeAttachment.State from <status>.
    status: volumeState(v),
    createTime: CREATED,
    attachmentSet: items(
      v.attachments.map((a) => ({
        volumeId: v.volumeId,
        instanceId: a.instanceId,
        device: a.device,
        status: 'attached',
        attachTime: CREATED,
        deleteOnTermination: a.deleteOnTermination,
      })),
    ),
    encrypted: v.encrypted,
    volumeType: v.volumeType,
    iops: iops[v.volumeType],
    throughput: v.volumeType === 'gp3' ? 125 : undefined,
    multiAttachEnabled: v.multiAttachEnabled,
    tagSet: tags.length ? items(tags.map(([key, value]) => ({ key, value }))) : undefined,
  };
}

const describeVolumes: QueryHandler = (ctx) => {
  const ids = strList(ctx.params, 'VolumeId');
  if (ids.length && ctx.params.MaxResults !== undefined) {
    throw new ApiError('InvalidParameterCombination', 'The parameter volumeSet cannot be used with the parameter maxResults');
  }
  const requested = maxResults(ctx.params.MaxResults, 5, 500);
  const all = regionOf(ctx.world, ctx.region).volumes;
  const found = byIds(all, ids, (v) => v.volumeId, /^vol-[0-9a-f]+$/, { malformed: 'InvalidVolumeID.Malformed', notFound: 'InvalidVolume.NotFound', noun: 'volume' });
  const p = page(ctx, applyFilters(found, ctx, (name, v) => volumeFilter(name, v, ctx)), requested);
  return { volumeSet: items(p.items.map((v) => volumeXml(v, ctx))), nextToken: p.nextToken };
};

// ---------------------------------------------------------------- DescribeVpcEndpoints

const GATEWAY_SERVICES = new Set(['s3', 'dynamodb']);
const endpointType = (e: VpcEndpoint) => e.type ?? (GATEWAY_SERVICES.has(e.service) ? 'Gateway' : 'Interface');
const serviceName = (e: VpcEndpoint, ctx: Ctx) => `com.amazonaws.${ctx.region}.${e.service}`;
const subnetsOf = (e: VpcEndpoint) => e.subnetIds ?? (endpointType(e) === 'Interface' ? ['subnet-0fake000000000001'] : []);

function endpointFilter(name: string, e: VpcEndpoint, ctx: Ctx): string[] {
  switch (name) {
    case 'vpc-id': return [e.vpcId];
    case 'service-name': return [serviceName(e, ctx)];
    case 'vpc-endpoint-state': return [e.state];
    case 'vpc-endpoint-type': return [endpointType(e)];
    case 'vpc-endpoint-id': return [e.vpcEndpointId];
    case 'ip-address-type': return ['ipv4'];
    default: throw invalidFilter(name);
  }
}

const FULL_ACCESS = JSON.stringify({ Version: '2008-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] });

function endpointXml(e: VpcEndpoint, ctx: Ctx): XmlValue {
  const type = endpointType(e);
  const iface = type === 'Interface';
  const subnets = subnetsOf(e);
  return {
    vpcEndpointId: e.vpcEndpointId,
    vpcEndpointType: type,
    vpcId: e.vpcId,
    serviceName: serviceName(e, ctx),
    state: e.state,
    policyDocument: FULL_ACCESS,
    routeTableIdSet: items(iface ? [] : [fakeId('rtb-', e.vpcEndpointId, 17, '0123456789abcdef')]),
    subnetIdSet: items(subnets),
    groupSet: items(iface ? [{ groupId: fakeId('sg-', e.vpcEndpointId, 17, '0123456789abcdef'), groupName: 'default' }] : []),
    ipAddressType: 'ipv4',
    privateDnsEnabled: e.privateDnsEnabled ?? iface,
    requesterManaged: false,
    networkInterfaceIdSet: items(iface ? subnets.map((s) => fakeId('eni-', e.vpcEndpointId + s, 17, '0123456789abcdef')) : []),
    creationTimestamp: CREATED,
    ownerId: ctx.world.accountId,
  };
}

const describeVpcEndpoints: QueryHandler = (ctx) => {
  const requested = maxResults(ctx.params.MaxResults, 5, 1000);
  const all = regionOf(ctx.world, ctx.region).vpcEndpoints;
  const ids = strList(ctx.params, 'VpcEndpointId');
  const found = byIds(all, ids, (e) => e.vpcEndpointId, /^vpce-[0-9a-z]+$/, {
    malformed: 'InvalidVpcEndpointId.Malformed',
    notFound: 'InvalidVpcEndpointId.NotFound',
    noun: 'Vpc Endpoint Id',
  });
  const p = page(ctx, applyFilters(found, ctx, (name, e) => endpointFilter(name, e, ctx)), requested);
  return { vpcEndpointSet: items(p.items.map((e) => endpointXml(e, ctx))), nextToken: p.nextToken };
};

export const ec2ResourceHandlers: Record<string, QueryHandler> = {
  DescribeVolumes: describeVolumes,
  DescribeVpcEndpoints: describeVpcEndpoints,
};
