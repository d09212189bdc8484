import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import pLimit from 'p-limit';
import type { Known } from '../facts/known.js';
import { regionFactsKey, SNAPSHOT_SCHEMA_VERSION, type InstanceFacts, type PackageGeneration, type RegionFacts, type Snapshot, type SsmInfo } from '../facts/snapshot.js';
import { dhmcRoleArn } from '../facts/arn.js';
import { ErrorLog } from './aws-error.js';
import { ec2Client, iamClient, ssmClient, stsClient, type AwsAccess } from './clients.js';
import { listInstances, listMultiAttachVolumes, listVpcEndpoints, type Ec2Instance, type Scope } from './ec2.js';
import { IamFacts, type IamMaps } from './iam-facts.js';
import { mayBeWindows, planBeforeIam, planFromAbsence, planFromGeneration, planInventory, type InventoryPlan } from './inventory-plan.js';
import { absentFrom, idChunks, generationsFrom, queryAbsence, queryGeneration, versionQueries } from './inventory-filters.js';
import { eachPooled } from './pool.js';
import { defaultHostManagementRole, listManagedNodes, vssInventory, vssPresence, vssRunHistory } from './ssm.js';

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

const emptyRegionFacts = (why: string): RegionFacts => ({
  defaultHostManagementRole: { known: false, reason: why },
  vpcEndpoints: { known: false, reason: why },
  multiAttachVolumes: { known: false, reason: why },
});

/** What the listing phase of a region found: every instance with its SSM node, before any per-instance call. */
interface RegionListing {
  region: string;
  instances: (Ec2Instance & { ssm: Known<SsmInfo | null> })[];
  facts: RegionFacts;
  /** GetInventory presence of AwsVssComponents; undefined for a scoped read. */
  presence: Known<ReadonlyMap<string, string>> | undefined;
}

type ListedInstance = RegionListing['instances'][number];

/**
 * Listing phase: region-wide pages only, all concurrent (EC2, SSM nodes and settings, endpoints,
 * volumes, inventory presence). `onListed` gets DescribeInstances' result as soon as it is in,
 * so IAM reads that need the instance profiles start before SSM has answered.
 */
async function listRegion(access: AwsAccess, region: string, errors: ErrorLog, scope: Scope | undefined, onListed: (instances: Ec2Instance[]) => void): Promise<RegionListing> {
  const ec2 = ec2Client(access, region);
  const ssm = ssmClient(access, region);
  try {
    const site = (service: string, action: string) => ({ service, action, region });
    const listed = errors.attempt(site('ec2', 'DescribeInstances'), () => listInstances(ec2, region, scope)).then((l) => {
      if (l.known) onListed(l.value);
      return l;
    });
    // A scoped read (diagnose) narrows every other call to what it found; a fleet scan reads all at once.
    const found = scope ? await listed : undefined;
    if (found && (!found.known || found.value.length === 0)) return { region, instances: [], facts: emptyRegionFacts('no instance matched'), presence: undefined };
    const ids = found?.known ? found.value.map((i) => i.instanceId) : undefined;
    const vpcs = found?.known ? unique(found.value.map((i) => i.vpcId)) : undefined;
    const [instances, nodes, dhmc, vpcEndpoints, multiAttachVolumes, presence] = await Promise.all([
      listed,
      errors.attempt(site('ssm', 'DescribeInstanceInformation'), () => listManagedNodes(ssm, ids)),
      errors.attempt(site('ssm', 'GetServiceSetting'), () => defaultHostManagementRole(ssm)),
      errors.attempt(site('ec2', 'DescribeVpcEndpoints'), () => listVpcEndpoints(ec2, vpcs)),
      errors.attempt(site('ec2', 'DescribeVolumes'), () => listMultiAttachVolumes(ec2, ids)),
      // Diagnose reads one instance's entries anyway: the region-wide presence would only add calls.
      scope ? undefined : presenceOf(ssm, region),
    ]);
    const facts: RegionFacts = { defaultHostManagementRole: dhmc, vpcEndpoints, multiAttachVolumes };
    if (!instances.known) return { region, instances: [], facts, presence };
    // Object.assign, not {...i, ssm}: V8 (Node 20) gives every object built by a spread and then
    // one more property a hidden class of its own, about 450 bytes an instance held to the end.
    const withNodes = instances.value.map((i) =>
      Object.assign({}, i, { ssm: nodes.known ? ({ known: true, value: nodes.value.get(i.instanceId) ?? null } as const) : nodes }),
    );
    return { region, instances: withNodes, facts, presence };
  } finally {
    ec2.destroy();
    ssm.destroy();
  }
}

/**
 * A GetInventory read that only saves per-instance reads (presence, Version and absence filters).
 * Its refusal or failure is not a gap in the facts: the entries are then read instance by
 * instance, as before the bulk reads existed, so it is not put in the scan's errors.
 */
function bulkInventoryRead(region: string): <T>(read: () => Promise<T>) => Promise<Known<T>> {
  const quiet = new ErrorLog();
  return (read) => quiet.attempt({ service: 'ssm', action: 'GetInventory', region }, read);
}

const presenceOf = (ssm: ReturnType<typeof ssmClient>, region: string): Promise<Known<ReadonlyMap<string, string>>> =>
  bulkInventoryRead(region)(() => vssPresence(ssm));

/**
 * Per-instance phase: ListInventoryEntries where the plan says the entries can decide, and
 * diagnose's VSS runs. Only instances whose plan depends on their role wait for the IAM facts;
 * of those, where only the package generation decides, GetInventory's Version filters are asked
 * first; for the instances GetInventory does not list, its absence filters; the entries are read
 * only for the instances they leave open.
 */
async function readInstances(
  access: AwsAccess,
  listing: RegionListing,
  iam: Promise<IamMaps>,
  errors: ErrorLog,
  options: { concurrency: number; onProgress: (e: ProgressEvent) => void; scope: Scope | undefined },
): Promise<InstanceFacts[]> {
  const { region, facts, presence } = listing;
  const { concurrency, onProgress, scope } = options;
  const ssm = ssmClient(access, region);
  const limit = pLimit(concurrency);
  const bulk = bulkInventoryRead(region);
  const bulkRead = <T>(read: () => Promise<T>) => limit(() => bulk(read));
  let done = 0;
  const total = listing.instances.length;
  try {
    const dhmc = facts.defaultHostManagementRole;
    const early = listing.instances.map((instance) => planBeforeIam({ instance, presence, dhmc }));
    const found = new Array<InstanceFacts>(listing.instances.length);
    // A pool of workers per phase, not one pending call per instance (pool.ts); `limit` bounds the calls in flight.
    const readEach = (ks: number[], planOf: (k: number) => InventoryPlan) =>
      eachPooled(ks, concurrency, async (k) => {
        found[k] = await read(listing.instances[k]!, planOf(k));
      });
    const indexes = (keep: (plan: InventoryPlan | undefined) => boolean) => early.flatMap((p, k) => (keep(p) ? [k] : []));
    const unlisted = indexes((p) => !!p?.read && !!p.absenceMayShow);
    const withoutIam = async () => {
      const absent = await absentOf(unlisted.map((k) => listing.instances[k]!.instanceId));
      await readEach(indexes((p) => p !== undefined), (k) => (absent.has(listing.instances[k]!.instanceId) ? planFromAbsence() : early[k]!));
    };
    const withIam = async () => {
      const waiting = indexes((p) => p === undefined);
      if (!waiting.length) return;
      const plans = await latePlans(waiting.map((k) => listing.instances[k]!));
      await readEach(waiting, (k) => plans.get(listing.instances[k]!)!);
    };
    await Promise.all([withoutIam(), withIam()]);
    return found;
  } finally {
    ssm.destroy();
  }

  /** The plans that need the IAM facts, with the generations GetInventory's Version filters told. */
  async function latePlans(instances: ListedInstance[]): Promise<Map<ListedInstance, InventoryPlan>> {
    const maps = await iam;
    const plans = instances.map((instance) => planInventory({ instance, presence, dhmc: facts.defaultHostManagementRole, iam: maps }));
    const open = new Map<string, string>();
    plans.forEach((p, n) => p.read && p.generationDecides && p.listedUnder && open.set(instances[n]!.instanceId, p.listedUnder));
    const generations = await generationsOf(open);
    return new Map(
      instances.map((i, n) => {
        const plan = plans[n]!;
        const generation = generations.get(i.instanceId);
        return [i, generation && plan.read && plan.listedUnder ? planFromGeneration(plan.listedUnder, plan.because, generation) : plan];
      }),
    );
  }

  /** The generations GetInventory's Version filters tell, for the instances listed under a type. */
  async function generationsOf(listed: ReadonlyMap<string, string>): Promise<ReadonlyMap<string, PackageGeneration>> {
    if (!listed.size) return new Map();
    const answers = await Promise.all(versionQueries(listed).map(async (q) => ({ ...q, found: await bulkRead(() => queryGeneration(ssm, q)) })));
    return generationsFrom(answers.flatMap((a) => (a.found.known ? [{ generation: a.generation, ids: a.found.value }] : [])));
  }

  /** The instances GetInventory does not list whose filters show inventory without the package. */
  async function absentOf(ids: readonly string[]): Promise<ReadonlySet<string>> {
    const asks = ['inventory', 'application', 'component'] as const;
    const perChunk = await Promise.all(
      idChunks(ids).map(async (chunk) => {
        const answers = await Promise.all(asks.map((ask) => bulkRead(() => queryAbsence(ssm, chunk, ask))));
        return absentFrom(chunk, Object.fromEntries(asks.flatMap((ask, k) => (answers[k]!.known ? [[ask, answers[k]!.value]] : []))));
      }),
    );
    return new Set(perChunk.flat());
  }

  async function read(i: ListedInstance, plan: InventoryPlan): Promise<InstanceFacts> {
    const [inventory, vssRuns] = await limit(() =>
      Promise.all([
        plan.read ? errors.attempt({ service: 'ssm', action: 'ListInventoryEntries', region }, () => vssInventory(ssm, i.instanceId, plan.listedUnder)) : plan.inventory,
        scope ? runsOf(i) : undefined,
      ]),
    );
    onProgress({ phase: `instances ${region}`, done: ++done, total });
    // Object.assign, not a spread: see listRegion.
    return Object.assign({}, i, { inventory }, vssRuns ? { vssRuns } : {});
  }

  async function runsOf(i: ListedInstance): Promise<InstanceFacts['vssRuns']> {
    if (i.ssm.known && !i.ssm.value) return { known: false, reason: 'not read: SSM does not manage the instance' };
    return errors.attempt({ service: 'ssm', action: 'ListCommandInvocations', region }, () => vssRunHistory(ssm, i.instanceId));
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
  const iamApi = iamClient(access);
  try {
    // IAM is global and needs no instance list: its bulk read runs beside the regions' reads.
    const iam = new IamFacts(iamApi, errors, { bulk: !scope });
    // EC2's platform is all there is before SSM answers; SSM may add Windows instances, read below.
    const onListed = (listed: Ec2Instance[]) => iam.prefetch(unique(listed.filter((i) => mayBeWindows(i, undefined)).map((i) => i.instanceProfileArn)));
    const listings = regions.map((r) => listRegion(access, r, errors, scope, onListed));
    // The snapshot's IAM maps need every region's Windows instances; the per-instance phase of a
    // region starts as soon as that region is listed, and only its role-dependent reads wait for them.
    const maps = Promise.all(listings).then((all) => iamMaps(iam, all, { backupRoleArn, extraRoleArns, onProgress }));
    maps.catch(() => {}); // awaited below; a bug surfaces there, not as an unhandled rejection
    const [accountIds, ...perRegion] = await Promise.all([
      accountId(access, regions[0] ?? 'us-east-1', errors),
      ...listings.map(async (l) => readInstances(access, await l, maps, errors, { concurrency: inventoryConcurrency, onProgress, scope })),
    ]);
    const instances = perRegion.flat();
    // One account per collect(): STS names it; if STS failed, the instances' OwnerId does (no instance: no fact needs the key).
    const account = accountIds[0] ?? instances[0]?.accountId ?? 'unknown';
    const regionFacts = Object.fromEntries((await Promise.all(listings)).map((l) => [regionFactsKey(account, l.region), l.facts]));
    const { instanceProfiles, roles } = await maps;
    const windows = instances.filter((i) => mayBeWindows(i, i.ssm.known ? i.ssm.value : undefined));
    return {
      schemaVersion: SNAPSHOT_SCHEMA_VERSION,
      generatedAt: now().toISOString(),
      accountIds: unique([...accountIds, ...instances.map((i) => i.accountId)]),
      regions,
      regionFacts,
      instances,
      instanceProfiles,
      roles,
      scps: await simulateScps(iam, windows, instanceProfiles, roles),
      backupRoleArn: backupRoleArn ?? null,
      errors: errors.list(),
    };
  } finally {
    iamApi.destroy();
  }
}

/** The instance profiles and roles of the Windows instances, their DHMC roles and the extra roles: only what the scan needs. */
function iamMaps(iam: IamFacts, listings: RegionListing[], extra: { backupRoleArn: string | undefined; extraRoleArns: string[]; onProgress: (e: ProgressEvent) => void }): Promise<IamMaps> {
  const windows = listings.flatMap((l) => l.instances).filter((i) => mayBeWindows(i, i.ssm.known ? i.ssm.value : undefined));
  const dhmcOf = new Map(listings.map((l) => [l.region, l.facts.defaultHostManagementRole]));
  // DHMC roles matter only where a Windows instance has no instance profile (vss-facts §4).
  const dhmcArns = windows
    .filter((i) => !i.instanceProfileArn)
    .map((i) => {
      const dhmc = dhmcOf.get(i.region);
      return dhmc?.known && dhmc.value ? dhmcRoleArn(i.accountId, dhmc.value) : null;
    });
  return iam.maps(
    unique(windows.map((i) => i.instanceProfileArn)),
    unique([...dhmcArns, extra.backupRoleArn ?? null, ...extra.extraRoleArns]),
    (done, total) => extra.onProgress({ phase: 'IAM roles', done, total }),
  );
}

/** One SCP simulation per account and region that has a Windows instance, with one of its readable roles as principal. */
async function simulateScps(iam: IamFacts, windows: InstanceFacts[], profiles: Snapshot['instanceProfiles'], roles: Snapshot['roles']) {
  const principals = new Map<string, string>();
  for (const i of windows) {
    const profile = i.instanceProfileArn ? profiles[i.instanceProfileArn] : undefined;
    const role = profile?.known ? profile.value.roleArns[0] : undefined;
    const key = `${i.accountId}/${i.region}`;
    if (role && roles[role]?.known && !principals.has(key)) principals.set(key, role);
  }
  const simulated = await Promise.all(
    [...principals].map(async ([key, principal]): Promise<[string, Snapshot['scps'][string]]> => {
      const decisions = await iam.simulateScps(principal, key.slice(key.indexOf('/') + 1));
      return [key, decisions.known ? { known: true, value: { principal, allowedByOrganizations: decisions.value } } : decisions];
    }),
  );
  return Object.fromEntries(simulated);
}

const unique = (xs: (string | null)[]): string[] => [...new Set(xs.filter((x): x is string => !!x))];
