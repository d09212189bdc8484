import { dhmcRoleArn } from '../facts/arn.js';
import type { Known } from '../facts/known.js';
import type { InstanceFacts, PackageGeneration, Snapshot, SsmInfo } from '../facts/snapshot.js';
import { evaluateDhmc } from '../iam/dhmc-requests.js';
import { byDecision, type Judged } from '../iam/role-requests.js';
import { evaluateVssPermissions, GENERATION_NAMES, GENERATIONS, grants } from '../iam/vss-requests.js';

/**
 * Whether an instance's AwsVssComponents inventory entries (ssm:ListInventoryEntries, one call
 * or two per instance: AWS offers no bulk read of Version or CaptureTime) are worth reading.
 * Pure: it decides which facts to collect, never a verdict. Entries are read wherever they can
 * change what a rule concludes; the presence ssm:GetInventory found stands in for them only
 * where the installed version cannot matter.
 */

type PlannedInstance = Pick<InstanceFacts, 'instanceId' | 'accountId' | 'region' | 'platform' | 'platformDetails' | 'instanceProfileArn' | 'ssm'>;

export interface PlanInput {
  instance: PlannedInstance;
  /** Region-wide GetInventory presence (instance id → inventory type); undefined when not read (diagnose reads everything). */
  presence: Known<ReadonlyMap<string, string>> | undefined;
  /** The region's Default Host Management role setting (GetServiceSetting). */
  dhmc: Known<string | null> | undefined;
  iam: Pick<Snapshot, 'instanceProfiles' | 'roles'>;
}

type EarlyInput = Omit<PlanInput, 'iam'>;

export type InventoryPlan =
  /**
   * Call ListInventoryEntries; `because` says what the entries can decide; `listedUnder`, where
   * GetInventory found the package. `generationDecides`: only the version's generation matters
   * (the role was read and is judged differently per generation), so GetInventory's Version
   * filters may tell it first; `absenceMayShow`: GetInventory does not list the package, and its
   * filters may show the node's inventory without it first (inventory-filters.ts).
   */
  | { read: true; because: string; listedUnder?: string; generationDecides?: true; absenceMayShow?: true }
  /** Do not call it: the fact to record instead, saying why. */
  | { read: false; inventory: InstanceFacts['inventory'] };

/** Windows by SSM's PlatformType when managed, else by EC2's Platform/PlatformDetails: only these need inventory and IAM. */
export const mayBeWindows = (i: Pick<InstanceFacts, 'platform' | 'platformDetails'>, node: SsmInfo | null | undefined) =>
  node?.platformType ? node.platformType === 'Windows' : i.platform?.toLowerCase() === 'windows' || /^windows/i.test(i.platformDetails ?? '');

export function planInventory(input: PlanInput): InventoryPlan {
  return planBeforeIam(input) ?? planWithIam(input);
}

/**
 * The plan where it does not depend on IAM, so those reads need not wait for the IAM facts;
 * undefined when it does (the package is listed, and only the role says whether its version matters).
 */
export function planBeforeIam({ instance, presence }: EarlyInput): InventoryPlan | undefined {
  const node = instance.ssm.known ? instance.ssm.value : undefined;
  if (!mayBeWindows(instance, node)) return { read: false, inventory: { known: false, reason: 'not read: the instance is not Windows' } };
  if (node === null) return { read: false, inventory: { known: false, reason: 'not read: SSM does not manage the instance, so it reports no inventory' } };
  if (!presence) return { read: true, because: 'a scoped read (diagnose) reads every inventory fact' };
  if (!presence.known) return { read: true, because: `the bulk presence read failed (${presence.reason})` };
  const listedUnder = presence.value.get(instance.instanceId);
  // Absence from GetInventory's answer does not say whether the node has inventory at all
  // (no inventory = unknown, never "missing", vss-facts §3 P4), nor covers the spaced name
  // variants: only the entries tell.
  if (!listedUnder) {
    return { read: true, because: 'GetInventory does not list AwsVssComponents for it: only the entries, or its filters, tell no inventory from a missing package', absenceMayShow: true };
  }
  return undefined;
}

function planWithIam({ instance, presence, dhmc, iam }: PlanInput): InventoryPlan {
  const listedUnder = presence?.known ? presence.value.get(instance.instanceId) : undefined;
  if (!listedUnder) return { read: true, because: 'GetInventory does not list AwsVssComponents for it' }; // planBeforeIam decides these
  const irrelevant = versionDecidesNothing(instance, dhmc, iam);
  if (typeof irrelevant !== 'string') return { read: true, because: irrelevant.decides, listedUnder, ...(irrelevant.byGeneration ? { generationDecides: true } : {}) };
  return { read: false, inventory: { known: true, value: { listedUnder, versionNotRead: irrelevant } } };
}

/**
 * A plan whose entries only had to tell the package generation, once GetInventory's Version
 * filters told it: the presence fact with that generation, and no entries read.
 */
export function planFromGeneration(listedUnder: string, because: string, generation: PackageGeneration): InventoryPlan {
  const versionNotRead = `ssm:GetInventory's ${listedUnder}.Version filter places it in ${GENERATION_NAMES[generation]}, and only the generation decides here (${because})`;
  return { read: false, inventory: { known: true, value: { listedUnder, versionNotRead, generation } } };
}

/** A plan for an instance GetInventory does not list, once its filters showed inventory without the package. */
export function planFromAbsence(): InventoryPlan {
  const notListed =
    "ssm:GetInventory's filters show AWS:Application inventory for it and no AWS:Application or AWS:AWSComponent entry whose name begins like AwsVssComponents; the entries and their CaptureTime were not read";
  return { read: false, inventory: { known: true, value: { notListed } } };
}

type Judgement = 'pass' | 'fail' | 'unknown';

/**
 * As instance-role-grants-vss and dhmc-role-grants-vss judge one generation's requests: allowed →
 * pass, any explicit or implicit deny → fail, else undecided → unknown.
 */
function judgement(results: Judged[]): Judgement {
  if (grants(results)) return 'pass';
  return byDecision(results, 'explicitDeny').length || byDecision(results, 'implicitDeny').length ? 'fail' : 'unknown';
}

/** The version decides nothing when every generation is judged alike: all allowed, all refused, or all undecided. */
function alike(name: string, judged: Judgement[]): string | undefined {
  if (judged.every((j) => j === 'pass')) return `role ${name} allows the requests of every AwsVssComponents version, so the version decides no verdict`;
  if (judged.every((j) => j === 'fail')) return `role ${name} allows the requests of no AwsVssComponents version, so the version decides no verdict`;
  // Undecided alike (a condition on a key no read can know, e.g. aws:SourceIp): unknown whatever is installed.
  if (judged.every((j) => j === 'unknown')) return `whether role ${name} allows the requests cannot be decided for any AwsVssComponents version, so the version decides no verdict`;
  return undefined;
}

/**
 * Why the installed version cannot change a verdict (a string), or what it may decide. The
 * version reaches the verdict only through the role judged per package generation
 * (instance-role-grants-vss, vss-package-matches-policy, dhmc-role-grants-vss); the rules it
 * feeds otherwise (vss-components-current, inventory-fresh) only ever warn. A role undecided for
 * some generations only, or not read, counts as "may decide": the entries are read.
 */
function versionDecidesNothing(instance: PlannedInstance, dhmc: PlanInput['dhmc'], iam: PlanInput['iam']): string | { decides: string; byGeneration?: true } {
  const profileArn = instance.instanceProfileArn;
  if (!profileArn) {
    if (!dhmc?.known) return { decides: 'whether Default Host Management gives the instance a role is unknown' };
    if (dhmc.value === null) return 'the instance has no instance profile and Default Host Management is off, so no role is judged against the version';
    // dhmc-role-grants-vss judges the DHMC role against the installed version's requests.
    const dhmcRole = iam.roles[dhmcRoleArn(instance.accountId, dhmc.value)];
    if (!dhmcRole?.known) return { decides: `the Default Host Management role ${dhmc.value} was not read, so it may allow only some versions` };
    const judged = GENERATIONS.map((g) => judgement(evaluateDhmc(dhmcRole.value, instance, g)));
    return alike(`${dhmcRole.value.name} (Default Host Management)`, judged) ?? { decides: `the Default Host Management role ${dhmc.value} is judged differently for some AwsVssComponents versions`, byGeneration: true };
  }
  const profile = iam.instanceProfiles[profileArn];
  if (!profile?.known) return { decides: 'the instance profile was not read, so its role may allow only some versions' };
  const roleArn = profile.value.roleArns[0];
  if (!roleArn) return `instance profile ${profile.value.name} holds no role, so no role is judged against the version`;
  const role = iam.roles[roleArn];
  if (!role?.known) return { decides: `role ${roleArn} was not read, so it may allow only some versions` };
  const judged = GENERATIONS.map((g) => judgement(evaluateVssPermissions(role.value, instance, g)));
  return alike(role.value.name, judged) ?? { decides: `role ${role.value.name} allows the requests of some AwsVssComponents versions only, or is undecided for some`, byGeneration: true };
}
