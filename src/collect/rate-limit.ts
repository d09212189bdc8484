/**
 * Client-side rate limiting, so a scan stays under AWS's request limits instead of provoking
 * throttling and leaning on retries (issue 7): a token bucket per account, service and region
 * (one per account for IAM, which is global). Every request of every SDK client takes a token
 * before it is signed and sent, retries included (see clients.ts); the SDK's throttling retries
 * stay as the safety net for limits shared with the account's other callers.
 */

export interface BucketSpec {
  /** Tokens added per second: the steady request rate. */
  rate: number;
  /** Bucket size: the requests that may go at once after a quiet spell. */
  burst: number;
}

/** Per service (the SDK's signing name: ec2, ssm, ...); `default` for a service not listed. */
export type Limits = Readonly<Record<string, BucketSpec>>;

/**
 * Just under AWS's limits where AWS documents them, under issue 7's figures elsewhere. The
 * margins (about 95% of the rate, 80% of the burst) absorb what a client-side bucket cannot see: AWS
 * meters on arrival, so requests delayed by the network or a busy event loop and then arriving
 * together spend the server's bucket faster than they spent ours.
 */
export const DEFAULT_LIMITS: Limits = {
  // Documented: non-mutating (Describe*) actions, 100 burst, 20/s refill, per account and region
  // (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html). AWS now meters
  // each action separately; one bucket for all of EC2 in a region is stricter than that. Our
  // Describe* listings are filtered and paginated, so the lower "unfiltered and unpaginated"
  // bucket (50 burst, 10/s, vss-facts §7) does not apply to them.
  ec2: { rate: 19, burst: 80 },
  // Not documented (vss-facts §7, unverified): issue 7's figures, SSM 20/s burst 40, STS 20/s
  // burst 40, Backup 10/s burst 20, IAM 15/s burst 30 for the whole account.
  ssm: { rate: 19, burst: 32 },
  sts: { rate: 19, burst: 32 },
  backup: { rate: 9.5, burst: 16 },
  iam: { rate: 14, burst: 24 },
  // Not documented either: a cautious figure for any other service (e.g. Organizations).
  default: { rate: 5, burst: 10 },
};

/** Services whose limits apply to the account, whatever region a call is signed for. */
const GLOBAL = new Set(['iam', 'organizations']);

/**
 * `--max-rps N`: no bucket refills faster than N per second, nor holds more than one second
 * of requests at that rate (at least one, so a fractional N still lets requests through).
 */
export function capLimits(limits: Limits, maxRps: number): Limits {
  return Object.fromEntries(
    Object.entries(limits).map(([service, { rate, burst }]) => [service, { rate: Math.min(rate, maxRps), burst: Math.min(burst, Math.max(1, Math.floor(maxRps))) }]),
  );
}

/** Time, in milliseconds from any fixed origin, and a way to wait (tests inject their own). */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * A token bucket handing out reservations: a request finding the bucket empty takes a token
 * that will exist later and waits until then. The count may go below zero by the number of
 * waiters, so waiters are served in order and nothing is queued: each holds only its timer.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly spec: BucketSpec,
    private readonly clock: Clock,
  ) {
    if (!(spec.rate > 0) || !(spec.burst >= 1)) throw new Error(`a token bucket needs rate > 0 and burst >= 1, got ${JSON.stringify(spec)}`);
    this.tokens = spec.burst;
    this.last = clock.now();
  }

  /** Take a token: the milliseconds to wait before using it (0 when one is there now). */
  reserve(): number {
    const t = this.clock.now();
    this.tokens = Math.min(this.spec.burst, this.tokens + ((t - this.last) / 1000) * this.spec.rate);
    this.last = t;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.spec.rate) * 1000;
  }
}

/** The buckets of one account (or one set of credentials). */
export class RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly accounts = new Map<string, RateLimiter>();

  constructor(
    private readonly limits: Limits = DEFAULT_LIMITS,
    private readonly clock: Clock = systemClock,
  ) {}

  /**
   * The limiter for another account: the same limits, its own buckets, as AWS meters each
   * account separately. Asking twice for one account gives the same buckets.
   */
  forAccount(account: string): RateLimiter {
    let limiter = this.accounts.get(account);
    if (!limiter) this.accounts.set(account, (limiter = new RateLimiter(this.limits, this.clock)));
    return limiter;
  }

  /** Resolves when a request to `service` in `region` may be sent. A service without limits never waits. */
  async acquire(service: string, region: string): Promise<void> {
    const spec = this.limits[service] ?? this.limits['default'];
    if (!spec) return;
    const key = GLOBAL.has(service) ? service : `${service}/${region}`;
    let bucket = this.buckets.get(key);
    if (!bucket) this.buckets.set(key, (bucket = new TokenBucket(spec, this.clock)));
    const wait = bucket.reserve();
    if (wait > 0) await this.clock.sleep(wait);
  }
}
