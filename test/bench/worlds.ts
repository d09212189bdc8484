/**
 * Generated fleets for the benchmark: deterministic for a seed, built as plain objects in one
 * pass (50,000 instances in well under a second), with the IAM policies of examples/world.json.
 */
import example from '../../examples/world.json' with { type: 'json' };
import type { WorldInput } from '../fake-aws/world.js';

export const ACCOUNT = '111122223333';
/** The role the scanning identity assumes in every further account (--role-name). */
export const BENCH_READ_ROLE = 'VssPreflightReadOnly';
/** The account ids of a generated fleet: the caller's first. */
export const accountIds = (n: number) => Array.from({ length: n }, (_, k) => (k === 0 ? ACCOUNT : String(200000000000 + k * 11111111)));

type RegionInput = WorldInput['regions'][string];

/**
 * The Default Host Management role a world's region sets, as the collector reads the setting
 * (src/collect/ssm.ts defaultHostManagementRole): null when it is the default, empty or '$None'.
 */
export function dhmcRoleOf(region: RegionInput): string | null {
  const dhmc = region.serviceSettings?.['/ssm/managed-instance/default-ec2-instance-management-role'];
  return dhmc && dhmc.status !== 'Default' && dhmc.value && dhmc.value !== '$None' ? dhmc.value : null;
}

export interface FleetSpec {
  instances: number;
  regions: number;
  /** Distinct instance roles (each behind its own instance profile); about 90% are Windows roles. */
  roles: number;
  /** Accounts (default 1): instances and roles split evenly; the further ones are reached through BENCH_READ_ROLE. */
  accounts?: number;
  seed?: number;
}

type Example = Required<Pick<WorldInput, 'iam'>> & { iam: Required<NonNullable<WorldInput['iam']>> };
const EXAMPLE = example as unknown as Example;

export const BENCH_REGIONS = ['eu-west-1', 'us-east-1', 'eu-central-1', 'us-west-2', 'ap-southeast-2', 'ap-northeast-1', 'eu-north-1', 'ca-central-1'];

/**
 * Role templates from examples/world.json and their share of the Windows roles: most can run
 * VSS; SsmOnly, OfficeOnly and NoAmi lack a permission; Bounded is cut by its boundary.
 */
const WINDOWS_TEMPLATES: [name: string, weight: number][] = [
  ['VssBackupRole', 50],
  ['SsmOnlyRole', 14],
  ['InlineVssRole', 8],
  ['LegacyVssRole', 8],
  ['NoAmiRole', 8],
  ['BoundedRole', 7],
  ['OfficeOnlyRole', 5],
];
const LINUX_TEMPLATE = 'LinuxAppRole';
/** examples/world.json's DHMC role, used where DHMC is on and a Windows instance has no profile. */
const DHMC_ROLE = 'AWSSystemsManagerDefaultEC2InstanceManagementRole';

/** mulberry32: a small, fast, seedable PRNG (uniform in [0, 1)). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const template = (name: string) => {
  const role = EXAMPLE.iam.roles.find((r) => r.name === name);
  if (!role) throw new Error(`examples/world.json has no role ${name}`);
  return role;
};

function pickWeighted(rnd: number, table: [string, number][]): string {
  const total = table.reduce((s, [, w]) => s + w, 0);
  let x = rnd * total;
  for (const [name, w] of table) if ((x -= w) < 0) return name;
  return table[table.length - 1]![0];
}

// Entries shared by every instance that has them: the world holds references, not copies.
const AGENT = { Name: 'Amazon SSM Agent', Version: '3.3.1345.0', Publisher: 'Amazon Web Services' };
const VCREDIST = { Name: 'Microsoft Visual C++ 2019 X64 Minimum Runtime', Version: '14.29.30133', Publisher: 'Microsoft Corporation' };
const VSS_CURRENT = { Name: 'AwsVssComponents', Version: '2.5.1', Publisher: 'Amazon Web Services', ApplicationType: 'AWSComponent' };
const VSS_OLD = { Name: 'AwsVssComponents', Version: '1.3.1', Publisher: 'Amazon Web Services', ApplicationType: 'AWSComponent' };
const NVME = { Name: 'AWSNVMe', Version: '1.5.1', Publisher: 'Amazon Web Services' };
const CAPTURED = '2026-11-24T22:10:00Z';
const PINGED = '2026-11-25T07:55:00Z';
const TYPES = ['m5.large', 'm6i.xlarge', 'r6i.xlarge', 't3.medium', 'c6i.large'];

type Region = NonNullable<WorldInput['regions']>[string];
type Instance = NonNullable<Region['instances']>[number];
type SsmNode = NonNullable<Region['ssm']>[number];
type IamRole = NonNullable<NonNullable<WorldInput['iam']>['roles']>[number];
type Profile = NonNullable<NonNullable<WorldInput['iam']>['instanceProfiles']>[number];

const share = (total: number, parts: number, k: number) => Math.floor(total / parts) + (k < total % parts ? 1 : 0);

/**
 * `spec.accounts` accounts (default 1), `spec.instances` and `spec.roles` split evenly over them,
 * each account's instances over the first `spec.regions` of BENCH_REGIONS. The further accounts
 * trust the first one's root to assume BENCH_READ_ROLE.
 */
export function generateWorld(spec: FleetSpec): WorldInput {
  const { instances, regions, roles, accounts = 1 } = spec;
  if (!(regions >= 1 && regions <= BENCH_REGIONS.length)) throw new Error(`regions must be 1-${BENCH_REGIONS.length}, got ${regions}`);
  if (!(instances >= 0) || !(roles >= 2 * accounts)) throw new Error(`need instances >= 0 and roles >= 2 per account, got ${instances} and ${roles}`);
  if (!(Number.isInteger(accounts) && accounts >= 1)) throw new Error(`accounts must be a whole number >= 1, got ${accounts}`);
  const rnd = prng(spec.seed ?? 7);
  const counter = { g: 0 };
  const ids = accountIds(accounts);
  const [first, ...rest] = ids.map((id, k) => generateAccount(id, share(instances, accounts, k), regions, share(roles, accounts, k), rnd, counter));
  const trust = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }],
  };
  return {
    ...first!,
    callerArn: `arn:aws:sts::${ACCOUNT}:assumed-role/VssPreflightScanner/bench`,
    ...(rest.length
      ? { accounts: rest.map((a) => ({ ...a, iam: { ...a.iam, roles: [...a.iam.roles, { name: BENCH_READ_ROLE, assumeRolePolicyDocument: trust }] } })) }
      : {}),
  };
}

type AccountInput = { accountId: string; regions: Record<string, Region>; iam: { instanceProfiles: Profile[]; roles: IamRole[]; policies: typeof EXAMPLE.iam.policies } };

function generateAccount(account: string, instances: number, regions: number, roles: number, rnd: () => number, counter: { g: number }): AccountInput {

  const windowsRoles: string[] = [];
  const linuxRoles: string[] = [];
  const iamRoles: IamRole[] = [template(DHMC_ROLE), template('AWSBackupDefaultServiceRole')];
  const profiles: Profile[] = [];
  const profileArn = new Map<string, string>();
  const linuxCount = Math.max(1, Math.round(roles * 0.1));
  for (let k = 0; k < roles; k++) {
    const linux = k >= roles - linuxCount;
    const base = template(linux ? LINUX_TEMPLATE : pickWeighted(rnd(), WINDOWS_TEMPLATES));
    const name = `${base.name.replace(/Role$/, '')}-${String(k).padStart(4, '0')}`;
    const path = base.path ?? '/';
    iamRoles.push({ ...base, name, path });
    profiles.push({ name: `${name}-profile`, path, roles: [name] });
    profileArn.set(name, `arn:aws:iam::${account}:instance-profile${path}${name}-profile`);
    (linux ? linuxRoles : windowsRoles).push(name);
  }

  const regionNames = BENCH_REGIONS.slice(0, regions);
  const worldRegions: Record<string, Region> = {};
  // Instance ids run on across accounts, so each is unique in the whole fleet.
  let g = counter.g;
  regionNames.forEach((region, r) => {
    const count = Math.floor(instances / regions) + (r < instances % regions ? 1 : 0);
    const list: Instance[] = [];
    const ssm: SsmNode[] = [];
    const inventory: NonNullable<Region['inventory']> = {};
    const vpc = (v: number) => `vpc-0${r.toString(16)}${String(v).padStart(15, '0')}`;
    for (let n = 0; n < count; n++, g++) {
      const instanceId = `i-0${(r + 1).toString(16)}${g.toString(16).padStart(15, '0')}`;
      const windows = rnd() < 0.6;
      const v = Math.floor(rnd() * 8);
      const roleList = windows ? windowsRoles : linuxRoles;
      const hasProfile = rnd() < (windows ? 0.97 : 0.7);
      const role = roleList[Math.floor(rnd() * roleList.length)]!;
      const sql = windows && rnd() < 0.15;
      list.push({
        instanceId,
        instanceType: TYPES[Math.floor(rnd() * TYPES.length)]!,
        ...(windows ? { platform: 'windows' as const, platformDetails: sql ? 'Windows with SQL Server Standard' : 'Windows' } : { platformDetails: 'Linux/UNIX' }),
        state: rnd() < 0.05 ? 'stopped' : 'running',
        tags: rnd() < 0.5 ? { Name: `${windows ? 'win' : 'lnx'}-${g}`, Backup: 'daily' } : { Name: `${windows ? 'win' : 'lnx'}-${g}` },
        ...(hasProfile ? { iamInstanceProfileArn: profileArn.get(role)! } : {}),
        launchTime: '2026-03-01T09:00:00.000Z',
        vpcId: vpc(v),
        subnetId: `subnet-0${r.toString(16)}${String(v).padStart(15, '0')}`,
      });
      if (rnd() >= (windows ? 0.85 : 0.9)) continue; // not managed by SSM
      const ping = rnd();
      ssm.push({
        instanceId,
        pingStatus: ping < 0.94 ? 'Online' : ping < 0.98 ? 'ConnectionLost' : 'Inactive',
        lastPingDateTime: PINGED,
        agentVersion: '3.3.1345.0',
        platformType: windows ? 'Windows' : 'Linux',
        platformName: windows ? 'Microsoft Windows Server 2022 Datacenter' : 'Amazon Linux',
        platformVersion: windows ? '10.0.20348' : '2023',
      });
      if (!windows || rnd() < 0.08) continue; // Linux, or a node that never sent inventory
      const pkg = rnd();
      if (pkg < 0.72) inventory[instanceId] = { 'AWS:Application': { captureTime: CAPTURED, entries: [AGENT, VCREDIST, VSS_CURRENT] } };
      else if (pkg < 0.8) inventory[instanceId] = { 'AWS:Application': { captureTime: CAPTURED, entries: [AGENT, VCREDIST, VSS_OLD] } };
      else if (pkg < 0.88) {
        inventory[instanceId] = {
          'AWS:Application': { captureTime: CAPTURED, entries: [AGENT, VCREDIST] },
          'AWS:AWSComponent': { captureTime: CAPTURED, entries: [VSS_CURRENT, NVME] },
        };
      } else inventory[instanceId] = { 'AWS:Application': { captureTime: CAPTURED, entries: [AGENT, VCREDIST] } }; // no package
    }
    worldRegions[region] = {
      instances: list,
      ssm,
      inventory,
      // DHMC on in the first region only (examples/world.json's setting), off (never set) elsewhere.
      serviceSettings: {
        '/ssm/managed-instance/default-ec2-instance-management-role':
          r === 0 ? { value: `service-role/${DHMC_ROLE}`, status: 'Customized' } : { value: '$None', status: 'Default' },
      },
      vpcEndpoints: [
        ...['ssm', 'ssmmessages', 'ec2messages'].map((service, e) => ({ vpcEndpointId: `vpce-0${r.toString(16)}isolated00000${e}`, vpcId: vpc(0), service })),
        { vpcEndpointId: `vpce-0${r.toString(16)}s3gateway00001`, vpcId: vpc(1), service: 's3' },
      ],
    };
  });

  counter.g = g;
  return { accountId: account, regions: worldRegions, iam: { instanceProfiles: profiles, roles: iamRoles, policies: EXAMPLE.iam.policies } };
}

/** The mix a generated world holds (all its accounts), for the report header. */
export function fleetMix(world: WorldInput) {
  const all = [world, ...(world.accounts ?? [])];
  let instances = 0;
  let windows = 0;
  let managedWindows = 0;
  let withInventory = 0;
  let withoutPackage = 0;
  for (const region of all.flatMap((a) => Object.values(a.regions))) {
    const instanceList = region.instances ?? [];
    instances += instanceList.length;
    const win = new Set(instanceList.filter((i) => i.platform === 'windows').map((i) => i.instanceId));
    windows += win.size;
    managedWindows += (region.ssm ?? []).filter((s) => win.has(s.instanceId)).length;
    for (const types of Object.values(region.inventory ?? {})) {
      withInventory++;
      const all = Object.values(types).flatMap((t) => t.entries ?? []);
      if (!all.some((e) => e['Name'] === 'AwsVssComponents')) withoutPackage++;
    }
  }
  const roles = all.reduce((n, a) => n + (a.iam?.instanceProfiles ?? []).length, 0);
  return { instances, windows, managedWindows, withInventory, withoutPackage, linux: instances - windows, roles, accounts: all.length };
}
