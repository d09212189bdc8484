import { paginateListAccounts } from '@aws-sdk/client-organizations';
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import pLimit from 'p-limit';
import { UserError } from '../errors.js';
import { mergeSnapshots, type Shard } from '../facts/merge.js';
import { emptySnapshot, type ScanError, type Snapshot } from '../facts/snapshot.js';
import { classify, isDenied } from './aws-error.js';
import { configuredRegion, organizationsClient, stsClient, stsClientSettings, type AwsAccess } from './clients.js';
import { collect, type CollectOptions } from './collect.js';
import { resolveRegions } from './regions.js';
import type { AccountsRequest } from './accounts-request.js';

type Credentials = Awaited<ReturnType<ReturnType<typeof fromTemporaryCredentials>>>;
type Provider = () => Promise<Credentials>;

/** The SDK refreshes credentials this close to their expiry (@smithy/core EXPIRATION_MS); so do we. */
const REFRESH_BEFORE_MS = 5 * 60_000;

/**
 * One AssumeRole per account and session, shared by every client of that account, renewed when
 * the session has under five minutes left (a long scan outlives the default one-hour session).
 * Each SDK client memoizes on its own too; without this, every client would assume the role.
 */
export function memoizeCredentials(provider: Provider, now: () => number = Date.now): Provider {
  let current: Promise<Credentials> | undefined;
  let expiresAt = 0;
  return () => {
    if (!current || expiresAt - now() < REFRESH_BEFORE_MS) {
      expiresAt = Number.POSITIVE_INFINITY; // a renewal in flight serves every caller
      const pending = provider().then((c) => {
        expiresAt = c.expiration ? c.expiration.getTime() : Number.POSITIVE_INFINITY;
        return c;
      });
      pending.catch(() => {
        if (current === pending) [current, expiresAt] = [undefined, 0]; // the next call tries again
      });
      current = pending;
    }
    return current;
  };
}

/** The partition's home region of global services (Organizations' endpoint region). */
const HOME_REGION: Record<string, string> = { aws: 'us-east-1', 'aws-cn': 'cn-northwest-1', 'aws-us-gov': 'us-gov-west-1' };

interface Caller {
  accountId: string;
  arn: string;
  partition: string;
}

async function callerIdentity(access: AwsAccess, region: string): Promise<Caller> {
  const sts = stsClient(access, region);
  try {
    // GetCallerIdentity needs no permission (STS API reference), so a failure here is a credentials problem.
    const who = await sts.send(new GetCallerIdentityCommand({}));
    const arn = who.Arn ?? '';
    return { accountId: who.Account ?? '', arn, partition: arn.split(':')[1] || 'aws' };
  } finally {
    sts.destroy();
  }
}

/** organizations:ListAccounts, ACTIVE accounts only (Account.State; Status, retired 2026-09-09, as a fallback). */
export async function listOrganizationAccounts(access: AwsAccess, caller: Caller): Promise<string[]> {
  const org = organizationsClient(access, HOME_REGION[caller.partition] ?? 'us-east-1');
  const ids: string[] = [];
  try {
    for await (const page of paginateListAccounts({ client: org, pageSize: 20 }, {})) {
      for (const a of page.Accounts ?? []) if (a.Id && (a.State ?? a.Status) === 'ACTIVE') ids.push(a.Id);
    }
  } catch (err) {
    const name = err instanceof Error ? err.name : '';
    if (name === 'AWSOrganizationsNotInUseException') throw new UserError(`--org: account ${caller.accountId} is not in an organization; list the accounts with --accounts instead`);
    if (isDenied(err)) {
      throw new UserError(`--org: organizations:ListAccounts was denied for ${caller.arn}; run from the management account or a delegated administrator, or list the accounts with --accounts`);
    }
    throw err;
  } finally {
    org.destroy();
  }
  if (!ids.length) throw new UserError('--org: the organization lists no ACTIVE account');
  return ids;
}

export interface CollectAccountsOptions extends Omit<CollectOptions, 'access' | 'regions'> {
  /** The caller's access: the identity that assumes the role in each account. */
  access: AwsAccess;
  request: AccountsRequest;
  /** --regions as given; resolved in each account, as each enables its own opt-in regions. */
  regions: string | undefined;
  /** Each account's snapshot as soon as it is read (or has failed), before the merge: the scan judges it meanwhile. */
  onAccount?: (snapshot: Snapshot) => void;
}

/** An account that could not be read at all: no facts, one error naming why. */
const failedAccount = (accountId: string, error: ScanError, at: Date): Snapshot => ({
  ...emptySnapshot(at.toISOString(), [accountId]),
  errors: [{ ...error, count: 1, accountId }],
});

/**
 * Collect every account of --accounts or --org, at most --max-accounts at once, and merge them.
 * The caller's own account is read with the caller's credentials (no AssumeRole): the management
 * account often has no copy of the member role (StackSets with service-managed permissions do not
 * deploy to it), and the caller can already read it. An account whose role cannot be assumed is
 * an account-level error (sts:AssumeRole) in the snapshot; the others go on.
 */
export async function collectAccounts(options: CollectAccountsOptions): Promise<Snapshot> {
  const { access, request, regions: regionsArg, onProgress, onAccount, now = () => new Date(), ...rest } = options;
  // STS is reached in the configured region (regional endpoints), else us-east-1.
  const home = (await configuredRegion(access)) ?? 'us-east-1';
  const caller = await callerIdentity(access, home);
  // Fail fast on a malformed or unknown region before assuming anything.
  await resolveRegions(access, regionsArg);
  const targets = request.accounts === 'org' ? await listOrganizationAccounts(access, caller) : request.accounts;
  const limit = pLimit(request.maxAccounts);

  const one = async (accountId: string): Promise<Shard> => {
    const source = `account ${accountId}`;
    // AWS meters each account apart: a member account gets its own request budget, the caller's keeps the run's.
    const limiter = access.limiter && accountId !== caller.accountId ? { limiter: access.limiter.forAccount(accountId) } : {};
    let accountAccess: AwsAccess = { ...access, accountId, ...limiter };
    if (accountId !== caller.accountId) {
      const roleArn = `arn:${caller.partition}:iam::${accountId}:role/${request.roleName}`;
      const credentials = memoizeCredentials(
        fromTemporaryCredentials({
          params: { RoleArn: roleArn, RoleSessionName: 'vss-preflight', DurationSeconds: 3600, ...(request.externalId ? { ExternalId: request.externalId } : {}) },
          // --profile's credentials assume the role; else the SDK's default chain (environment, SSO, ...).
          ...(access.profile ? { masterCredentials: fromNodeProviderChain({ profile: access.profile }) } : {}),
          // AssumeRole is the caller's request, paced and retried as the caller's others are.
          ...stsClientSettings(access, home),
        }),
      );
      try {
        await credentials();
      } catch (err) {
        const { error } = classify(err, { service: 'sts', action: 'AssumeRole', region: null });
        return { source, snapshot: failedAccount(accountId, error, now()) };
      }
      accountAccess = { ...accountAccess, credentials };
    }
    let regions: string[];
    try {
      regions = await resolveRegions(accountAccess, regionsArg);
    } catch (err) {
      // A region the caller's account has but this one has not opted into: this account fails, not the scan.
      if (!(err instanceof UserError)) throw err;
      return { source, snapshot: failedAccount(accountId, { service: 'ec2', action: 'DescribeRegions', region: null, code: 'RegionNotEnabled', message: err.message }, now()) };
    }
    const progress = onProgress ? (e: Parameters<typeof onProgress>[0]) => onProgress({ ...e, phase: `${accountId} ${e.phase}` }) : undefined;
    const snapshot = await collect({ ...rest, access: accountAccess, regions, now, ...(progress ? { onProgress: progress } : {}) });
    return { source, snapshot: { ...snapshot, accountIds: snapshot.accountIds.length ? snapshot.accountIds : [accountId] } };
  };

  const read = (id: string) =>
    limit(() => one(id)).then((shard) => {
      onAccount?.(shard.snapshot);
      return shard;
    });
  return mergeSnapshots(await Promise.all(targets.map(read)));
}
