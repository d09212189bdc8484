import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import pLimit from 'p-limit';
import type { Known } from '../facts/known.js';
import { regionFactsKey, SNAPSHOT_SCHEMA_VERSION, type InstanceFacts, type RegionFacts, type Snapshot, type SsmInfo } from '../facts/snapshot.js';
import { dhmcRoleArn } from '../facts/arn.js';
import { ErrorLog } from './aws-error.js';
import { ec2Client, iamClient, ssmClient, stsClient, type AwsAccess } from './clients.js';
import { listInstances, listMultiAttachVolumes, listVpcEndpoints, type Ec2Instance, type Scope } from './ec2.js';
import { IamCollector } from './iam.js';
import { defaultHostManagementRole, listManagedNodes, vssInventory, vssRunHistory } from './ssm.js';

/** What the collector is doing, for a progress line: "inventory eu-west-1: 120/400". */
export interface ProgressEvent {
  phase: string;
  done: number;
  total?: number;
}

export interface CollectOptions {
  access: AwsAccess;
  regions: string[];
  /** The IAM role AWS Backup uses (--backup-role), read and evaluated like the instance roles. */
  backupRoleArn?: string;
  /** More roles to read, e.g. the IAM roles of a backup plan's selections. */
  extraRoleArns?: string[];
  onProgress?: (event: ProgressEvent) => void;
  /** Read one instance (by id or Name tag) and only what it needs, plus its VSS run history. */
  scope?: Scope;
  /** Per-instance SSM inventory reads in flight per region. */
  inventoryConcurrency?: number;
  now?: () => Date;
}

/** Windows by EC2's Platform/PlatformDetails or by SSM's PlatformType: only these need inventory and IAM. */
const mayBeWindows = (i: Ec2Instance, node: SsmInfo | null | undefined) =>
  node?.platformType ? node.platformType === 'Windows' : i.platform?.toLowerCase() === 'windows' || /^windows/i.test(i.platformDetails ?? '');

interface RegionOptions {
  concurrency: number;
  onProgress: (e: ProgressEvent) => void;
  scope: Scope | undefined;
}

const emptyRegionFacts = (why: string): RegionFacts => ({
  defaultHostManagementRole: { known: false, reason: why },
  vpcEndpoints: { known: false, reason: why },
  multiAttachVolumes: { known: false, reason: why },
});

interface RegionResult {
  instances: InstanceFacts[];
  facts: RegionFacts;
}

async function collectRegion(access: AwsAccess, region: string, errors: ErrorLog, options: RegionOptions): Promise<RegionResult> {
  const { concurrency, onProgress, scope } = options;
  const ec2 = ec2Client(access, region);
  const ssm = ssmClient(access, region);
  try {
    const site = (service: string, action: string) => ({ service, action, region });
    const listed = errors.attempt(site('ec2', 'DescribeInstances'), () => listInstances(ec2, region, scope));
    // A scoped read (diagnose) narrows every other call to what it found; a fleet scan reads all at once.
    const found = scope ? await listed : undefined;
    if (found && (!found.known || found.value.length === 0)) return { instances: [], facts: emptyRegionFacts('no instance matched') };
    const ids = found?.known ? found.value.map((i) => i.instanceId) : undefined;
    const vpcs = found?.known ? unique(found.value.map((i) => i.vpcId)) : undefined;
    const [instances, nodes, dhmc, vpcEndpoints, multiAttachVolumes] = await Promise.all([
      listed,
      errors.attempt(site('ssm', 'DescribeInstanceInformation'), () => listManagedNodes(ssm, ids)),
      errors.attempt(site('ssm', 'GetServiceSetting'), () => defaultHostManagementRole(ssm)),
      errors.attempt(site('ec2', 'DescribeVpcEndpoints'), () => listVpcEndpoints(ec2, vpcs)),
      errors.attempt(site('ec2', 'DescribeVolumes'), () => listMultiAttachVolumes(ec2, ids)),
    ]);
    const facts: RegionFacts = { defaultHostManagementRole: dhmc, vpcEndpoints, multiAttachVolumes };
    if (!instances.known) return { instances: [], facts };

    const limit = pLimit(concurrency);
    let done = 0;
    const total = instances.value.length;
    const all = instances.value.map((i) =>
      limit(async (): Promise<InstanceFacts> => {
        const ssmFact: Known<SsmInfo | null> = nodes.known ? { known: true, value: nodes.value.get(i.instanceId) ?? null } : nodes;
        const [inventory, vssRuns] = await Promise.all([inventoryOf(i, ssmFact), scope ? runsOf(i, ssmFact) : undefined]);
        onProgress({ phase: `instances ${region}`, done: ++done, total });
        return { ...i, ssm: ssmFact, inventory, ...(vssRuns ? { vssRuns } : {}) };
      }),
    );
    return { instances: await Promise.all(all), facts };
  } finally {
    ec2.destroy();
    ssm.destroy();
  }

  async function runsOf(i: Ec2Instance, node: Known<SsmInfo | null>): Promise<InstanceFacts['vssRuns']> {
    if (node.known && !node.value) return { known: false, reason: 'not read: SSM does not manage the instance' };
    return errors.attempt({ service: 'ssm', action: 'ListCommandInvocations', region }, () => vssRunHistory(ssm, i.instanceId));
  }

  async function inventoryOf(i: Ec2Instance, node: Known<SsmInfo | null>): Promise<InstanceFacts['inventory']> {
    if (!mayBeWindows(i, node.known ? node.value : undefined)) return { known: false, reason: 'not read: the instance is not Windows' };
    if (node.known && !node.value) return { known: false, reason: 'not read: SSM does not manage the instance, so it reports no inventory' };
    return errors.attempt({ service: 'ssm', action: 'ListInventoryEntries', region }, () => vssInventory(ssm, i.instanceId));
  }
}

async function accountId(access: AwsAccess, region: string, errors: ErrorLog): Promise<string[]> {
  const sts = stsClient(access, region);
  try {
    const who = await errors.attempt({ service: 'sts', action: 'GetCallerIdentity', region }, () => sts.send(new GetCallerIdentityCommand({})));
    return who.known && who.value.Account ? [who.value.Account] : [];
  } finally {
    sts.destroy();
  }
}

/** Read the facts for every non-terminated instance in the given regions of one account. */
export async function collect(options: CollectOptions): Promise<Snapshot> {
  const { access, regions, backupRoleArn, extraRoleArns = [], scope, inventoryConcurrency = 8, now = () => new Date(), onProgress = () => {} } = options;
  const errors = new ErrorLog();
  const [accountIds, ...perRegion] = await Promise.all([
    accountId(access, regions[0] ?? 'us-east-1', errors),
    ...regions.map((r) => collectRegion(access, r, errors, { concurrency: inventoryConcurrency, onProgress, scope })),
  ]);
  const instances = perRegion.flatMap((r) => r.instances);
  // One account per collect(): STS names it; if STS failed, the instances' OwnerId does (no instance: no fact needs the key).
  const account = accountIds[0] ?? instances[0]?.accountId ?? 'unknown';
  const regionFacts = Object.fromEntries(regions.map((r, n) => [regionFactsKey(account, r), perRegion[n]!.facts]));

  const windows = instances.filter((i) => mayBeWindows(i, i.ssm.known ? i.ssm.value : undefined));
  const iam = iamClient(access);
  try {
    const collector = new IamCollector(iam, errors);
    const profileArns = unique(windows.map((i) => i.instanceProfileArn));
    const instanceProfiles: Snapshot['instanceProfiles'] = Object.fromEntries(
      await Promise.all(profileArns.map(async (arn) => [arn, await collector.instanceProfile(arn)] as const)),
    );
    // DHMC roles matter only where a Windows instance has no instance profile (vss-facts §4).
    const dhmcArns = windows
      .filter((i) => !i.instanceProfileArn)
      .map((i) => {
        const dhmc = regionFacts[regionFactsKey(i.accountId, i.region)]?.defaultHostManagementRole;
        return dhmc?.known && dhmc.value ? dhmcRoleArn(i.accountId, dhmc.value) : null;
      });
    const profileRoles = Object.values(instanceProfiles).flatMap((p) => (p.known ? p.value.roleArns : []));
    const roleArns = unique([...profileRoles, ...dhmcArns, backupRoleArn ?? null, ...extraRoleArns]);
    let rolesRead = 0;
    const roles: Snapshot['roles'] = Object.fromEntries(
      await Promise.all(
        roleArns.map(async (arn) => {
          const role = await collector.role(arn);
          onProgress({ phase: 'IAM roles', done: ++rolesRead, total: roleArns.length });
          return [arn, role] as const;
        }),
      ),
    );
    return {
      schemaVersion: SNAPSHOT_SCHEMA_VERSION,
      generatedAt: now().toISOString(),
      accountIds: unique([...accountIds, ...instances.map((i) => i.accountId)]),
      regions,
      regionFacts,
      instances,
      instanceProfiles,
      roles,
      scps: await simulateScps(collector, windows, instanceProfiles, roles),
      backupRoleArn: backupRoleArn ?? null,
      errors: errors.list(),
    };
  } finally {
    iam.destroy();
  }
}

/** One SCP simulation per account and region that has a Windows instance, with one of its readable roles as principal. */
async function simulateScps(collector: IamCollector, windows: InstanceFacts[], profiles: Snapshot['instanceProfiles'], roles: Snapshot['roles']) {
  const principals = new Map<string, string>();
  for (const i of windows) {
    const profile = i.instanceProfileArn ? profiles[i.instanceProfileArn] : undefined;
    const role = profile?.known ? profile.value.roleArns[0] : undefined;
    const key = `${i.accountId}/${i.region}`;
    if (role && roles[role]?.known && !principals.has(key)) principals.set(key, role);
  }
  const simulated = await Promise.all(
    [...principals].map(async ([key, principal]): Promise<[string, Snapshot['scps'][string]]> => {
      const decisions = await collector.simulateScps(principal, key.slice(key.indexOf('/') + 1));
      return [key, decisions.known ? { known: true, value: { principal, allowedByOrganizations: decisions.value } } : decisions];
    }),
  );
  return Object.fromEntries(simulated);
}

const unique = (xs: (string | null)[]): string[] => [...new Set(xs.filter((x): x is string => !!x))];
