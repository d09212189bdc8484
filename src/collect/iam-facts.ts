import type { IAMClient } from '@aws-sdk/client-iam';
import type { Known } from '../facts/known.js';
import type { InstanceProfileFacts, PolicyFacts, RoleFacts, ScanError, Snapshot } from '../facts/snapshot.js';
import { nameFromArn } from '../facts/arn.js';
import { classify, type ErrorLog } from './aws-error.js';
import { readAccountAuthorization, type AccountAuthorization, type BulkRole } from './iam-bulk.js';
import { IamCollector } from './iam.js';

export type IamMaps = Pick<Snapshot, 'instanceProfiles' | 'roles'>;

/**
 * The IAM facts of one account. The bulk read (GetAccountAuthorizationDetails) starts when this
 * is built, since it needs no instance list; a profile or role it does not list, or every one
 * when it is refused, is read on its own as before (GetInstanceProfile, GetRole, ...). Each
 * profile, role and managed policy is read at most once, whoever asks first.
 */
export class IamFacts {
  private readonly collector: IamCollector;
  private readonly bulk: Promise<AccountAuthorization | undefined>;
  private refused: { error: ScanError; recorded: boolean } | undefined;
  private readonly profiles = new Map<string, Promise<Known<InstanceProfileFacts>>>();
  private readonly roles = new Map<string, Promise<Known<RoleFacts>>>();

  /** `bulk: false` reads item by item: one instance's few roles (diagnose) cost less than the account's listing. */
  constructor(
    iam: IAMClient,
    private readonly errors: ErrorLog,
    { bulk = true }: { bulk?: boolean } = {},
  ) {
    this.collector = new IamCollector(iam, errors);
    this.bulk = !bulk ? Promise.resolve(undefined) : readAccountAuthorization(iam).catch((err: unknown) => {
      // Any AWS refusal falls back to the per-item reads; a bug (classify rethrows) stays a bug.
      this.refused = { error: classify(err, { service: 'iam', action: 'GetAccountAuthorizationDetails', region: null }).error, recorded: false };
      return undefined;
    });
    this.bulk.catch(() => {}); // awaited later; a bug surfaces there, not as an unhandled rejection
  }

  instanceProfile(arn: string): Promise<Known<InstanceProfileFacts>> {
    return once(this.profiles, arn, async () => {
      const found = (await this.bulk)?.instanceProfile(arn);
      return found ? { known: true, value: found } : this.fallback(this.collector.instanceProfile(arn));
    });
  }

  role(arn: string): Promise<Known<RoleFacts>> {
    return once(this.roles, arn, async () => {
      const bulk = await this.bulk;
      const found = bulk?.role(arn);
      return bulk && found ? this.fromBulk(bulk, arn, found) : this.fallback(this.collector.role(arn));
    });
  }

  /**
   * Start reading the profiles (and their roles) of instances as soon as a region lists them,
   * before SSM says which are Windows: with the per-role fallback the reads then overlap the
   * SSM reads. Only what `maps` is later asked for goes into the snapshot; a refused read of a
   * profile that SSM then says is not Windows (EC2 said it was) still lands in the scan's errors.
   */
  prefetch(profileArns: readonly string[]): void {
    for (const arn of new Set(profileArns)) {
      this.instanceProfile(arn)
        .then((p) => p.known && p.value.roleArns.forEach((r) => void this.role(r).catch(() => {})))
        .catch(() => {}); // a bug resurfaces when maps() awaits the same promise
    }
  }

  /** The snapshot's maps: these profiles, their roles, then the other roles, in that order. */
  async maps(profileArns: readonly string[], otherRoleArns: readonly string[], onRole: (done: number, total: number) => void = () => {}): Promise<IamMaps> {
    const instanceProfiles: IamMaps['instanceProfiles'] = Object.fromEntries(
      await Promise.all(profileArns.map(async (arn) => [arn, await this.instanceProfile(arn)] as const)),
    );
    const profileRoles = Object.values(instanceProfiles).flatMap((p) => (p.known ? p.value.roleArns : []));
    const roleArns = [...new Set([...profileRoles, ...otherRoleArns])];
    let done = 0;
    const roles: IamMaps['roles'] = Object.fromEntries(
      await Promise.all(
        roleArns.map(async (arn) => {
          const role = await this.role(arn);
          onRole(++done, roleArns.length);
          return [arn, role] as const;
        }),
      ),
    );
    return { instanceProfiles, roles };
  }

  /** SCP decisions for the VSS EC2 actions (the simulator sees SCPs; the bulk read does not). */
  simulateScps(roleArn: string, region: string) {
    return this.collector.simulateScps(roleArn, region);
  }

  /** A listed role: its customer managed policies come with the listing, AWS managed ones are read once each. */
  private async fromBulk(bulk: AccountAuthorization, arn: string, role: BulkRole): Promise<Known<RoleFacts>> {
    const managed = (policyArn: string): Promise<Known<PolicyFacts>> => {
      const listed = bulk.customerPolicy(policyArn);
      return listed ? Promise.resolve({ known: true, value: listed }) : this.collector.managedPolicy(policyArn);
    };
    const boundaryArn = bulk.boundariesListed ? { known: true as const, value: role.boundaryArn ?? null } : await this.collector.boundaryOf(arn);
    if (!boundaryArn.known) return boundaryArn;
    const [attached, boundary] = await Promise.all([
      Promise.all(role.attachedPolicyArns.map(managed)),
      boundaryArn.value ? managed(boundaryArn.value) : Promise.resolve(undefined),
    ]);
    const unread = [...attached, boundary].find((p) => p && !p.known);
    if (unread && !unread.known) return unread;
    const value = (p: Known<PolicyFacts>) => (p as { value: PolicyFacts }).value;
    return {
      known: true,
      value: {
        name: nameFromArn(arn),
        arn: role.arn,
        attachedPolicies: attached.map(value),
        inlinePolicies: role.inlinePolicies,
        permissionsBoundary: boundary ? value(boundary) : null,
      },
    };
  }

  /**
   * A per-item read standing in for the bulk one. When it works, the refused bulk read cost
   * nothing and is no gap; when it fails too, both refusals go into the scan's errors.
   */
  private async fallback<T>(read: Promise<Known<T>>): Promise<Known<T>> {
    const got = await read;
    if (!got.known && this.refused && !this.refused.recorded) {
      this.refused.recorded = true;
      this.errors.record(this.refused.error);
    }
    return got;
  }
}

function once<T>(cache: Map<string, Promise<T>>, key: string, read: () => Promise<T>): Promise<T> {
  let got = cache.get(key);
  if (!got) {
    got = read();
    cache.set(key, got);
  }
  return got;
}
