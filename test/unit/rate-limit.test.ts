import { expect } from 'chai';
import { capLimits, DEFAULT_LIMITS, RateLimiter, TokenBucket, type Clock, type Limits } from '../../src/collect/rate-limit.js';

/** A clock the test moves by hand; sleeps are recorded and return at once. */
class ManualClock implements Clock {
  t = 0;
  readonly sleeps: number[] = [];
  now = () => this.t;
  sleep = (ms: number) => {
    this.sleeps.push(ms);
    return Promise.resolve();
  };
}

const round = (xs: number[]) => xs.map((x) => Math.round(x * 1000) / 1000);

describe('client-side rate limiter', () => {
  describe('token bucket', () => {
    it('serves the burst at once, then one request per 1/rate seconds, in order', () => {
      const clock = new ManualClock();
      const bucket = new TokenBucket({ rate: 10, burst: 3 }, clock);
      expect(round(Array.from({ length: 6 }, () => bucket.reserve()))).to.deep.equal([0, 0, 0, 100, 200, 300]);
    });

    it('refills at the rate while idle', () => {
      const clock = new ManualClock();
      const bucket = new TokenBucket({ rate: 10, burst: 3 }, clock);
      for (let n = 0; n < 3; n++) bucket.reserve();
      clock.t = 250; // 2.5 tokens back
      expect(round([bucket.reserve(), bucket.reserve(), bucket.reserve()])).to.deep.equal([0, 0, 50]);
    });

    it('never holds more than the burst, however long it was idle', () => {
      const clock = new ManualClock();
      const bucket = new TokenBucket({ rate: 10, burst: 3 }, clock);
      clock.t = 60_000;
      expect(round(Array.from({ length: 4 }, () => bucket.reserve()))).to.deep.equal([0, 0, 0, 100]);
    });

    it('waiters reserve later tokens instead of queueing: the n-th waiter waits n/rate', () => {
      const clock = new ManualClock();
      const bucket = new TokenBucket({ rate: 20, burst: 1 }, clock);
      bucket.reserve();
      const waits = Array.from({ length: 1000 }, () => bucket.reserve());
      expect(round([waits[0]!, waits[999]!])).to.deep.equal([50, 50_000]);
      // Time passing pays the reservations back: 10 s later, 200 of them are served.
      clock.t = 10_000;
      expect(Math.round(bucket.reserve())).to.equal(40_050);
    });

    it('refuses a bucket that could never serve a request', () => {
      expect(() => new TokenBucket({ rate: 0, burst: 5 }, new ManualClock())).to.throw('rate > 0');
      expect(() => new TokenBucket({ rate: 5, burst: 0.5 }, new ManualClock())).to.throw('burst >= 1');
    });
  });

  describe('buckets per account, service and region', () => {
    const limits: Limits = { ec2: { rate: 10, burst: 1 }, iam: { rate: 10, burst: 1 }, default: { rate: 10, burst: 1 } };

    /** Acquire once per call and report how long each waited. */
    async function waits(clock: ManualClock, calls: [RateLimiter, string, string][]): Promise<number[]> {
      const out: number[] = [];
      for (const [limiter, service, region] of calls) {
        const before = clock.sleeps.length;
        await limiter.acquire(service, region);
        out.push(clock.sleeps.length > before ? clock.sleeps.at(-1)! : 0);
      }
      return round(out);
    }

    it('keeps regions apart for a regional service', async () => {
      const clock = new ManualClock();
      const l = new RateLimiter(limits, clock);
      expect(await waits(clock, [[l, 'ec2', 'eu-west-1'], [l, 'ec2', 'us-east-1'], [l, 'ec2', 'eu-west-1']])).to.deep.equal([0, 0, 100]);
    });

    it('meters IAM once for the account, whatever region a call is signed for', async () => {
      const clock = new ManualClock();
      const l = new RateLimiter(limits, clock);
      expect(await waits(clock, [[l, 'iam', 'us-east-1'], [l, 'iam', 'eu-west-1']])).to.deep.equal([0, 100]);
    });

    it('gives each account its own buckets, and the same ones when asked again', async () => {
      const clock = new ManualClock();
      const root = new RateLimiter(limits, clock);
      const a = root.forAccount('111122223333');
      const b = root.forAccount('444455556666');
      expect(root.forAccount('111122223333')).to.equal(a);
      expect(await waits(clock, [[a, 'iam', 'us-east-1'], [b, 'iam', 'us-east-1'], [root.forAccount('111122223333'), 'iam', 'us-east-1']])).to.deep.equal([0, 0, 100]);
    });

    it('uses the default spec for a service it does not list, and never waits without one', async () => {
      const clock = new ManualClock();
      const l = new RateLimiter(limits, clock);
      const none = new RateLimiter({}, clock);
      expect(await waits(clock, [[l, 'organizations', 'us-east-1'], [l, 'organizations', 'us-east-1']])).to.deep.equal([0, 100]);
      expect(await waits(clock, Array.from({ length: 50 }, () => [none, 'ssm', 'eu-west-1'] as [RateLimiter, string, string]))).to.deep.equal(Array(50).fill(0));
    });
  });

  describe('--max-rps', () => {
    const cases: { maxRps: number; expected: { rate: number; burst: number } }[] = [
      { maxRps: 5, expected: { rate: 5, burst: 5 } },
      { maxRps: 2.5, expected: { rate: 2.5, burst: 2 } },
      { maxRps: 0.5, expected: { rate: 0.5, burst: 1 } }, // still one request at a time
      { maxRps: 1000, expected: { rate: 18, burst: 80 } }, // never raises a limit
    ];
    for (const c of cases) {
      it(`--max-rps ${c.maxRps} makes EC2's bucket ${JSON.stringify(c.expected)}`, () => {
        expect(capLimits({ ec2: { rate: 18, burst: 80 } }, c.maxRps)).to.deep.equal({ ec2: c.expected });
      });
    }

    it('caps every service, the default included', () => {
      const capped = capLimits(DEFAULT_LIMITS, 3);
      expect(Object.keys(capped)).to.have.members(Object.keys(DEFAULT_LIMITS));
      for (const spec of Object.values(capped)) {
        expect(spec.rate).to.be.at.most(3);
        expect(spec.burst).to.be.at.most(3);
      }
    });
  });

  describe('defaults', () => {
    // EC2: documented (non-mutating actions, 100 burst, 20/s). The others: issue 7's figures, not documented by AWS.
    const ceilings: Record<string, { rate: number; burst: number }> = {
      ec2: { rate: 20, burst: 100 },
      ssm: { rate: 20, burst: 40 },
      sts: { rate: 20, burst: 40 },
      backup: { rate: 10, burst: 20 },
      iam: { rate: 15, burst: 30 },
    };
    for (const [service, ceiling] of Object.entries(ceilings)) {
      it(`${service} stays under ${ceiling.rate}/s burst ${ceiling.burst}`, () => {
        const spec = DEFAULT_LIMITS[service]!;
        expect(spec.rate).to.be.below(ceiling.rate);
        expect(spec.burst).to.be.below(ceiling.burst);
      });
    }
  });
});
