/** EC2 (ec2Query, API 2016-11-15): DescribeRegions, DescribeInstances (+ DescribeVolumes, DescribeVpcEndpoints from ec2-resources.ts). */
import { fakeId, hashNum, type Ctx, type QueryHandler } from './context.js';
import { ec2ResourceHandlers } from './ec2-resources.js';
import { ApiError, checkRange } from './errors.js';
import { paginate, wildcardMatch } from './paginate.js';
import { bool, objList, str, strList } from './query.js';
import { items, type XmlValue } from './xml.js';
import { accountRegions, regionOf, type Instance } from './world.js';

const STATE_CODES: Record<Instance['state'], number> = {
  pending: 0, running: 16, 'shutting-down': 32, terminated: 48, stopping: 64, stopped: 80,
};

/** Billing codes per platformDetails (EC2 "AMI billing information fields"). */
const USAGE_OPERATIONS: Record<string, string> = {
  'Linux/UNIX': 'RunInstances',
  'Red Hat Enterprise Linux': 'RunInstances:0010',
  'SUSE Linux': 'RunInstances:000g',
  'Ubuntu Pro': 'RunInstances:0g00',
  Windows: 'RunInstances:0002',
  'Windows BYOL': 'RunInstances:0800',
  'Windows with SQL Server Standard': 'RunInstances:0006',
  'Windows with SQL Server Enterprise': 'RunInstances:0102',
  'Windows with SQL Server Web': 'RunInstances:0202',
  'Linux with SQL Server Standard': 'RunInstances:0004',
  'Linux with SQL Server Web': 'RunInstances:0200',
  'Linux with SQL Server Enterprise': 'RunInstances:0100',
};

export function platformDetailsOf(i: Instance): string {
  return i.platformDetails ?? (i.platform === 'windows' ? 'Windows' : 'Linux/UNIX');
}

export function privateIpOf(i: Instance): string {
  if (i.privateIpAddress) return i.privateIpAddress;
  const h = hashNum(i.instanceId);
  return `10.0.${(h >>> 8) % 250}.${(h % 250) + 4}`;
}

function invalidFilter(name: string): ApiError {
  return new ApiError('InvalidParameterValue', `The filter '${name}' is invalid`);
}

// ---------------------------------------------------------------- DescribeRegions

const describeRegions: QueryHandler = (ctx) => {
  const all = accountRegions(ctx.world);
  const names = strList(ctx.params, 'RegionName');
  const unknown = names.filter((n) => !all.some(([r]) => r === n));
  if (unknown.length) throw new ApiError('InvalidParameterValue', `Invalid region names: ${unknown.join(', ')}`);
  let regions = names.length ? all.filter(([r]) => names.includes(r)) : all;
  if (!names.length && !bool(ctx.params, 'AllRegions')) regions = regions.filter(([, r]) => r.optInStatus !== 'not-opted-in');
  const fields = (name: string, r: string, optIn: string): string[] => {
    if (name === 'region-name') return [r];
    if (name === 'endpoint') return [`ec2.${r}.amazonaws.com`];
    if (name === 'opt-in-status') return [optIn];
    throw invalidFilter(name);
  };
  for (const f of objList(ctx.params, 'Filter')) {
    const fname = String(f.Name);
    const values = Array.isArray(f.Value) ? f.Value.map(String) : [];
    regions = regions.filter(([r, info]) => fields(fname, r, info.optInStatus).some((v) => values.some((p) => wildcardMatch(p, v))));
  }
  return {
    regionInfo: items(
      regions.map(([r, info]) => ({ regionName: r, regionEndpoint: `ec2.${r}.amazonaws.com`, optInStatus: info.optInStatus })),
    ),
  };
};

// ---------------------------------------------------------------- DescribeInstances

/** Values an instance exposes to a DescribeInstances filter; throws on an unsupported filter name. */
function filterValues(name: string, i: Instance, ctx: Ctx): string[] {
  if (name.startsWith('tag:')) {
    const v = i.tags?.[name.slice(4)];
    return v === undefined ? [] : [v];
  }
  const one = (v: string | undefined): string[] => (v === undefined ? [] : [v]);
  switch (name) {
    case 'instance-state-name': return [i.state];
    case 'instance-state-code': return [String(STATE_CODES[i.state])];
    case 'instance-id': return [i.instanceId];
    case 'instance-type': return [i.instanceType];
    case 'platform': return one(i.platform);
    case 'platform-details': return [platformDetailsOf(i)];
    case 'usage-operation': return [usageOperationOf(i)];
    case 'tag-key': return Object.keys(i.tags ?? {});
    case 'tag-value': return Object.values(i.tags ?? {});
    case 'vpc-id': return [i.vpcId];
    case 'subnet-id': return [i.subnetId];
    case 'image-id': return [i.imageId];
    case 'architecture': return [i.architecture];
    case 'private-ip-address': return [privateIpOf(i)];
    case 'iam-instance-profile.arn': return one(i.iamInstanceProfileArn);
    case 'reservation-id': return [reservationIdOf(i)];
    case 'owner-id': return [ctx.world.accountId];
    case 'availability-zone': return [`${ctx.region}a`];
    default: throw invalidFilter(name);
  }
}

function usageOperationOf(i: Instance): string {
  return i.usageOperation ?? USAGE_OPERATIONS[platformDetailsOf(i)] ?? 'RunInstances';
}

function reservationIdOf(i: Instance): string {
  return i.reservationId ?? fakeId('r-', i.instanceId, 17, '0123456789abcdef');
}

function instanceXml(i: Instance, ctx: Ctx): XmlValue {
  const windows = i.platform === 'windows';
  const ip = privateIpOf(i);
  const running = i.state !== 'terminated';
  const tags = Object.entries(i.tags ?? {});
  return {
    instanceId: i.instanceId,
    imageId: i.imageId,
    instanceState: { code: STATE_CODES[i.state], name: i.state },
    privateDnsName: running ? `ip-${ip.replaceAll('.', '-')}.${ctx.region}.compute.internal` : '',
    dnsName: '',
    reason: i.state === 'stopped' ? 'User initiated (2026-01-01 00:00:00 GMT)' : '',
    amiLaunchIndex: 0,
    instanceType: i.instanceType,
    launchTime: new Date(i.launchTime),
    placement: { availabilityZone: `${ctx.region}a`, groupName: '', tenancy: 'default' },
    platform: windows ? 'windows' : undefined,
    monitoring: { state: 'disabled' },
    subnetId: running ? i.subnetId : undefined,
    vpcId: running ? i.vpcId : undefined,
    privateIpAddress: running ? ip : undefined,
    architecture: i.architecture,
    rootDeviceType: 'ebs',
    rootDeviceName: windows ? '/dev/sda1' : '/dev/xvda',
    virtualizationType: 'hvm',
    tagSet: tags.length ? items(tags.map(([key, value]) => ({ key, value }))) : undefined,
    hypervisor: 'xen',
    iamInstanceProfile: i.iamInstanceProfileArn
      ? { arn: i.iamInstanceProfileArn, id: fakeId('AIPA', i.iamInstanceProfileArn) }
      : undefined,
    ebsOptimized: false,
    enaSupport: true,
    metadataOptions: { state: 'applied', httpTokens: 'required', httpPutResponseHopLimit: 2, httpEndpoint: 'enabled' },
    platformDetails: platformDetailsOf(i),
    usageOperation: usageOperationOf(i),
    usageOperationUpdateTime: new Date(i.launchTime),
  };
}

const INSTANCE_ID = /^i-[0-9a-zA-Z]+$/;

const describeInstances: QueryHandler = (ctx) => {
  const { params } = ctx;
  const ids = strList(params, 'InstanceId');
  if (ids.length && params.MaxResults !== undefined) {
    throw new ApiError('InvalidParameterCombination', 'The parameter instancesSet cannot be used with the parameter maxResults');
  }
  const maxResults = checkRange('ec2', 'maxResults', params.MaxResults, 5, 1000);
  const malformed = ids.find((id) => !INSTANCE_ID.test(id));
  if (malformed) throw new ApiError('InvalidInstanceID.Malformed', `Invalid id: "${malformed}"`);
  let found = regionOf(ctx.world, ctx.region).instances;
  if (ids.length) {
    const missing = ids.filter((id) => !found.some((i) => i.instanceId === id));
    if (missing.length === 1) throw new ApiError('InvalidInstanceID.NotFound', `The instance ID '${missing[0]}' does not exist`);
    if (missing.length > 1) throw new ApiError('InvalidInstanceID.NotFound', `The instance IDs '${missing.join(', ')}' do not exist`);
    found = found.filter((i) => ids.includes(i.instanceId));
  }
  for (const f of objList(params, 'Filter')) {
    const name = String(f.Name);
    const values = Array.isArray(f.Value) ? f.Value.map(String) : [];
    found = found.filter((i) => filterValues(name, i, ctx).some((v) => values.some((p) => wildcardMatch(p, v))));
  }
  const page = paginate(found, {
    token: str(params, 'NextToken'),
    requested: maxResults,
    defaultSize: Infinity,
    cap: ctx.cap,
    params,
    badToken: () => new ApiError('InvalidParameterValue', 'The value supplied for NextToken is invalid'),
  });
  // Group the page's instances by reservation, keeping first-seen order.
  const reservations = new Map<string, Instance[]>();
  for (const i of page.items) {
    const rid = reservationIdOf(i);
    const same = reservations.get(rid);
    if (same) same.push(i);
    else reservations.set(rid, [i]);
  }
  return {
    reservationSet: items(
      [...reservations].map(([rid, insts]) => ({
        reservationId: rid,
        ownerId: ctx.world.accountId,
        groupSet: items([]),
        instancesSet: items(insts.map((i) => instanceXml(i, ctx))),
      })),
    ),
    nextToken: page.nextToken,
  };
};

export const ec2Handlers: Record<string, QueryHandler> = {
  DescribeRegions: describeRegions,
  DescribeInstances: describeInstances,
  ...ec2ResourceHandlers,
};
