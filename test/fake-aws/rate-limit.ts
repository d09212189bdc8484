/**
 * Token buckets, as AWS meters API requests: a bucket holds up to `burst` tokens, refills at
 * `rate` tokens per second, and each request takes one; a request finding it empty is throttled.
 * EC2 documents this model ("Request throttling for the Amazon EC2 API"); the other services
 * throttle per account and region too, IAM once for the account (it is global).
 */
import type { Service } from './errors.js';

export interface BucketSpec {
  /** Tokens added per second. */
  rate: number;
  /** Bucket size: the requests that may arrive at once after a quiet spell. */
  burst: number;
}

/** Per service; a service left out is not limited. */
export type RateLimits = Partial<Record<Service, BucketSpec>>;

/** Milliseconds from any fixed origin (performance.now by default; tests pass their own). */
export type Clock = () => number;

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly spec: BucketSpec,
    private readonly now: Clock,
  ) {
    if (!(spec.rate >= 0) || !(spec.burst >= 1)) throw new Error(`a token bucket needs rate >= 0 and burst >= 1, got ${JSON.stringify(spec)}`);
    this.tokens = spec.burst;
    this.last = now();
  }

  /** Take one token if there is one. */
  take(): boolean {
    const t = this.now();
    this.tokens = Math.min(this.spec.burst, this.tokens + ((t - this.last) / 1000) * this.spec.rate);
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/**
 * One bucket per account, service and region, as AWS meters per account; IAM has one bucket per
 * account whatever region a call is signed for.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly limits: RateLimits,
    private readonly now: Clock = () => performance.now(),
  ) {}

  /** False when the call must be throttled. */
  take(service: Service, region: string, account = ''): boolean {
    const spec = this.limits[service];
    if (!spec) return true;
    const key = service === 'iam' ? `${account}/iam` : `${account}/${service}/${region}`;
    let bucket = this.buckets.get(key);
    if (!bucket) this.buckets.set(key, (bucket = new TokenBucket(spec, this.now)));
    return bucket.take();
  }
}

/** Issue 7's AWS-like buckets: EC2 20/s burst 100, SSM 20/s burst 40, IAM 15/s burst 30 (global), STS 20/s burst 40, Backup 10/s burst 20. */
export const AWS_LIKE_LIMITS: RateLimits = {
  ec2: { rate: 20, burst: 100 },
  ssm: { rate: 20, burst: 40 },
  iam: { rate: 15, burst: 30 },
  sts: { rate: 20, burst: 40 },
  backup: { rate: 10, burst: 20 },
};
