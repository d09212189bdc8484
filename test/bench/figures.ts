/**
 * What a benchmark run did, computed from the calls the fake endpoint recorded: calls per
 * service and action, throttling, the lower bound on wall time, and the naive per-instance count.
 * Pure functions, so they measure whatever the collector does now and after it changes.
 */
import { errorCodes } from '../fake-aws/errors.js';
import type { RateLimits } from '../fake-aws/rate-limit.js';
import type { RecordedCall } from '../fake-aws/server.js';
import type { WorldInput } from '../fake-aws/world.js';
import { dhmcRoleOf } from './worlds.js';

type Call = Pick<RecordedCall, 'service' | 'action' | 'region' | 'params'> & { errorCode?: string | undefined; accountId?: string | undefined };

const THROTTLE_CODES = new Set(Object.values(errorCodes).map((c) => c.throttled[0]));
export const isThrottled = (c: { errorCode?: string | undefined }) => c.errorCode !== undefined && THROTTLE_CODES.has(c.errorCode);

/** The bucket a call is metered in (fake-aws/rate-limit.ts): per account, service and region, IAM once per account. */
export const bucketOf = (c: Pick<Call, 'service' | 'region' | 'accountId'>) =>
  `${c.service === 'iam' ? 'iam' : `${c.service}/${c.region}`}${c.accountId ? `@${c.accountId}` : ''}`;
const serviceOfBucket = (bucket: string) => bucket.split(/[/@]/)[0] as keyof RateLimits;

export interface ActionCount {
  service: string;
  action: string;
  calls: number;
  throttled: number;
}

export function countCalls(calls: readonly Call[]): ActionCount[] {
  const by = new Map<string, ActionCount>();
  for (const c of calls) {
    const key = `${c.service} ${c.action}`;
    let row = by.get(key);
    if (!row) by.set(key, (row = { service: c.service, action: c.action, calls: 0, throttled: 0 }));
    row.calls++;
    if (isThrottled(c)) row.throttled++;
  }
  return [...by.values()].sort((a, b) => a.service.localeCompare(b.service) || b.calls - a.calls || a.action.localeCompare(b.action));
}

// Page tokens and sizes of EC2/SSM (NextToken, MaxResults), IAM (Marker, MaxItems), Backup (nextToken, maxResults).
const TOKEN_KEYS = ['NextToken', 'Marker', 'nextToken'];
const PAGING_KEYS = new Set([...TOKEN_KEYS, 'MaxResults', 'MaxItems', 'maxResults']);

const stable = (params: Record<string, unknown>, drop: Set<string>) =>
  JSON.stringify(Object.keys(params).filter((k) => !drop.has(k)).sort().map((k) => [k, params[k]]));
const hasToken = (params: Record<string, unknown>) => TOKEN_KEYS.some((k) => typeof params[k] === 'string' && params[k] !== '');

export interface Listing {
  service: string;
  action: string;
  region: string;
  pages: number;
}

/**
 * The longest chain of pages one listing needed: served calls grouped by request (paging
 * parameters left out); a group with s first pages and t follow-up pages (each carrying the
 * previous page's token, so strictly sequential) has a chain of at least ceil(t / s) + 1.
 */
export function longestListing(calls: readonly Call[]): Listing | undefined {
  const groups = new Map<string, { call: Call; starts: number; follows: number }>();
  for (const c of calls) {
    if (isThrottled(c)) continue;
    const key = `${c.accountId ?? ''}|${c.service}|${c.region}|${c.action}|${stable(c.params, PAGING_KEYS)}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { call: c, starts: 0, follows: 0 }));
    if (hasToken(c.params)) g.follows++;
    else g.starts++;
  }
  let best: Listing | undefined;
  for (const { call, starts, follows } of groups.values()) {
    const pages = starts ? Math.ceil(follows / starts) + 1 : follows;
    if (!best || pages > best.pages) best = { service: call.service, action: call.action, region: call.region, pages };
  }
  return best;
}

/**
 * Requests that never got an answer: every attempt was throttled. Attempts of one request carry
 * the same parameters (page token included), so a group of identical calls without a success is
 * one request the scan gave up on, and whose data it lacks.
 */
export function gaveUp(calls: readonly Call[]): Map<string, number> {
  const groups = new Map<string, { bucket: string; ok: boolean }>();
  for (const c of calls) {
    const key = `${c.accountId ?? ''}|${c.service}|${c.region}|${c.action}|${stable(c.params, new Set())}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { bucket: bucketOf(c), ok: false }));
    if (!isThrottled(c)) g.ok = true;
  }
  const out = new Map<string, number>();
  for (const g of groups.values()) if (!g.ok) out.set(g.bucket, (out.get(g.bucket) ?? 0) + 1);
  return out;
}

export interface BucketTime {
  bucket: string;
  /** Calls answered, plus the requests given up on (each needed at least one answered call). */
  needed: number;
  rate: number;
  burst: number;
  seconds: number;
}

export interface LowerBound {
  /** Sequential round trips: the region check (when the run made one) and the longest listing. */
  chain: number;
  longest: Listing | undefined;
  chainSeconds: number;
  buckets: BucketTime[];
  /** Requests given up on (counted in their bucket's `needed`). */
  gaveUp: number;
  seconds: number;
  dominant: string;
}

/**
 * No scan making these calls can finish sooner: its sequential pages each take a round trip,
 * and each bucket serves `burst` calls at once, then `rate` per second, the last one still taking
 * a round trip. Buckets drain concurrently, so the bound is the largest of these, not their sum.
 */
export function lowerBound(calls: readonly Call[], latencyMs: number, limits: RateLimits): LowerBound {
  const longest = longestListing(calls);
  const regionCheck = calls.some((c) => c.service === 'ec2' && c.action === 'DescribeRegions' && !isThrottled(c)) ? 1 : 0;
  const chain = regionCheck + (longest?.pages ?? 0);
  const chainSeconds = (chain * latencyMs) / 1000;

  const needed = gaveUp(calls);
  const lost = [...needed.values()].reduce((a, b) => a + b, 0);
  for (const c of calls) if (!isThrottled(c)) needed.set(bucketOf(c), (needed.get(bucketOf(c)) ?? 0) + 1);
  const buckets: BucketTime[] = [];
  for (const [bucket, n] of needed) {
    const spec = limits[serviceOfBucket(bucket)];
    if (!spec) continue;
    const seconds = Math.max(0, (n - spec.burst) / spec.rate) + latencyMs / 1000;
    buckets.push({ bucket, needed: n, rate: spec.rate, burst: spec.burst, seconds });
  }
  buckets.sort((a, b) => b.seconds - a.seconds || a.bucket.localeCompare(b.bucket));
  const slowest = buckets[0];
  const bucketWins = slowest !== undefined && slowest.seconds > chainSeconds;
  return {
    chain,
    longest,
    chainSeconds,
    buckets,
    gaveUp: lost,
    seconds: bucketWins ? slowest.seconds : chainSeconds,
    dominant: bucketWins ? `bucket ${slowest.bucket}` : 'sequential pages',
  };
}

/** When a run's AWS calls came, in seconds after `startMs` (the CLI's start, on the fake's clock). */
export interface CallSpan {
  firstS: number;
  lastS: number;
  /** The calls of one bucket (the lower bound's): from its first to its last. */
  bucket?: { name: string; firstS: number; lastS: number; calls: number };
}

export function callSpan(calls: readonly (Call & { at: number })[], startMs: number, bucket?: string): CallSpan | undefined {
  if (!calls.length) return undefined;
  const s = (ms: number) => (ms - startMs) / 1000;
  const range = (cs: readonly { at: number }[]) => cs.reduce(([a, b], c) => [Math.min(a, c.at), Math.max(b, c.at)], [Infinity, -Infinity]);
  const [first, last] = range(calls);
  const span: CallSpan = { firstS: s(first), lastS: s(last) };
  const own = bucket ? calls.filter((c) => bucketOf(c) === bucket) : [];
  if (bucket && own.length) {
    const [from, to] = range(own);
    span.bucket = { name: bucket, firstS: s(from), lastS: s(to), calls: own.length };
  }
  return span;
}

export interface NaiveCount {
  total: number;
  byAction: Record<string, number>;
}

/**
 * Checking instance by instance: for every instance the facts this scan collects, read for that
 * instance alone and nothing cached between instances. For every instance DescribeInstances and
 * DescribeInstanceInformation by id. For every Windows instance: ListInventoryEntries
 * (AWS:Application, and AWS:AWSComponent where the first lists no AwsVssComponents but has
 * inventory); GetServiceSetting (the Default Host Management role); DescribeVpcEndpoints for its
 * VPC; DescribeVolumes for its multi-attach volumes; and its role (through GetInstanceProfile, or
 * the Default Host Management role where it has no profile and DHMC is on): GetRole,
 * ListAttachedRolePolicies, GetPolicy and GetPolicyVersion per attached policy and for the
 * permissions boundary, ListRolePolicies and GetRolePolicy per inline policy. In every account.
 */
export function naiveCalls(world: WorldInput): NaiveCount {
  const byAction: Record<string, number> = {};
  const add = (action: string, n = 1) => (byAction[action] = (byAction[action] ?? 0) + n);
  for (const account of [world, ...(world.accounts ?? [])]) {
    const roles = new Map((account.iam?.roles ?? []).map((r) => [r.name, r]));
    const profiles = new Map((account.iam?.instanceProfiles ?? []).map((p) => [p.name, p]));
    const readRole = (name: string | undefined) => {
      const role = name === undefined ? undefined : roles.get(name);
      if (!role) return;
      add('GetRole');
      add('ListAttachedRolePolicies');
      const policies = (role.attachedPolicyArns?.length ?? 0) + (role.permissionsBoundaryArn ? 1 : 0);
      add('GetPolicy', policies);
      add('GetPolicyVersion', policies);
      add('ListRolePolicies');
      add('GetRolePolicy', Object.keys(role.inlinePolicies ?? {}).length);
    };
    for (const region of Object.values(account.regions)) {
      const dhmc = dhmcRoleOf(region);
      const dhmcRole = dhmc ? dhmc.slice(dhmc.lastIndexOf('/') + 1) : undefined;
      for (const i of region.instances ?? []) {
        add('DescribeInstances');
        add('DescribeInstanceInformation');
        if (i.platform !== 'windows') continue;
        add('ListInventoryEntries');
        const apps = region.inventory?.[i.instanceId]?.['AWS:Application'];
        if (apps && !(apps.entries ?? []).some((e) => String(e['Name'] ?? '').toLowerCase() === 'awsvsscomponents')) add('ListInventoryEntries');
        add('GetServiceSetting');
        if (i.vpcId) add('DescribeVpcEndpoints');
        add('DescribeVolumes');
        if (!i.iamInstanceProfileArn) {
          readRole(dhmcRole);
          continue;
        }
        add('GetInstanceProfile');
        readRole(profiles.get(i.iamInstanceProfileArn.slice(i.iamInstanceProfileArn.lastIndexOf('/') + 1))?.roles?.[0]);
      }
    }
  }
  return { total: Object.values(byAction).reduce((a, b) => a + b, 0), byAction };
}
