/**
 * The client-side limiter on the real SDK clients (clients.ts) over HTTP against the fake, with
 * the bench's token buckets (issue 7). In-process, so a test can hand the collector a limiter
 * without limits: the scan with the limiter off must be throttled, the same scan with it on not.
 * Throttling is counted from the fake's recorded calls, never from timing.
 */
import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { expect } from 'chai';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ec2Client, stsClientSettings, type AwsAccess } from '../../src/collect/clients.js';
import { collect } from '../../src/collect/collect.js';
import { RateLimiter } from '../../src/collect/rate-limit.js';
import { AWS_LIKE_LIMITS, type RateLimits } from '../fake-aws/rate-limit.js';
import { startFakeAws, type FakeAws } from '../fake-aws/server.js';
import type { WorldInput } from '../fake-aws/world.js';
import { withCliEnv } from './harness.js';
import { ids, world } from './worlds.js';
import { isThrottled } from '../bench/figures.js';

/** The bench's buckets (issue 7's figures). */
const BENCH_LIMITS = AWS_LIKE_LIMITS;

const throttled = (fake: FakeAws) => fake.calls.filter(isThrottled).length;

/** A limiter that counts the tokens asked of it (the seam: the thing under test is where the SDK asks). */
class CountingLimiter extends RateLimiter {
  asked = 0;
  override acquire(service: string, region: string): Promise<void> {
    this.asked++;
    return super.acquire(service, region);
  }
}

/**
 * Run `fn` against a fresh fake (fresh buckets), with the SDK's standard chain pointed at it
 * as the CLI's environment does (isolated HOME, AWS_ENDPOINT_URL, static keys), plus `options.env`.
 */
async function onFake<T>(w: WorldInput, options: { limits?: RateLimits; env?: Record<string, string> }, fn: (fake: FakeAws) => Promise<T>): Promise<T> {
  const fake = await startFakeAws(w, options.limits ? { rateLimits: options.limits } : {});
  try {
    return await withCliEnv(fake.url, options.env ?? {}, () => fn(fake));
  } finally {
    await fake.close();
  }
}

const describeRegionsBurst = async (access: AwsAccess, n: number) => {
  const ec2 = ec2Client(access, 'eu-west-1');
  try {
    return await Promise.allSettled(Array.from({ length: n }, () => ec2.send(new DescribeRegionsCommand({}))));
  } finally {
    ec2.destroy();
  }
};

describe('client-side rate limiting against the fake endpoint', function () {
  this.timeout(60_000);
  // As the CLI does (main.ts): the SDK's Node 20 notice is noise in test output.
  const QUIET = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';
  const wasSet = QUIET in process.env;
  before(() => {
    process.env[QUIET] ??= 'true';
  });
  after(() => {
    if (!wasSet) delete process.env[QUIET];
  });

  it('waits after the retry middleware and before signing', () => {
    const names = ec2Client({}, 'eu-west-1').middlewareStack.identify().map((n) => n.split(' ')[0]);
    const at = (name: string) => names.indexOf(name);
    expect(at('vssPreflightRateLimit')).to.be.greaterThan(at('retryMiddleware')).and.lessThan(at('httpSigningMiddleware'));
  });

  it('each attempt takes a token, retries included', async () => {
    const w = world({ 'eu-west-1': [] }, { throttle: [{ service: 'ec2', action: 'DescribeRegions', times: 2 }] });
    await onFake(w, { env: { AWS_RETRY_MODE: 'standard', AWS_MAX_ATTEMPTS: '3' } }, async (fake) => {
      const limiter = new CountingLimiter();
      const [result] = await describeRegionsBurst({ limiter }, 1);
      expect(result!.status).to.equal('fulfilled');
      expect(fake.calls.map((c) => c.errorCode ?? 'ok')).to.deep.equal(['RequestLimitExceeded', 'RequestLimitExceeded', 'ok']);
      expect(limiter.asked).to.equal(3);
    });
  });

  it('the STS client fromTemporaryCredentials builds (AssumeRole) takes the caller\'s tokens too', async () => {
    await onFake(world({ 'eu-west-1': [] }), {}, async (fake) => {
      const limiter = new CountingLimiter();
      const { clientConfig, clientPlugins } = stsClientSettings({ limiter }, 'eu-west-1');
      const sts = new STSClient({ ...clientConfig, endpoint: fake.url });
      for (const plugin of clientPlugins) sts.middlewareStack.use(plugin as never);
      try {
        await sts.send(new GetCallerIdentityCommand({}));
      } finally {
        sts.destroy();
      }
      expect(fake.calls.map((c) => `${c.service}:${c.action}`)).to.deep.equal(['sts:GetCallerIdentity']);
      expect(limiter.asked).to.equal(1);
    });
  });

  describe("with the bench's buckets, one attempt per call (no retries to hide behind)", () => {
    const options = { limits: BENCH_LIMITS, env: { AWS_MAX_ATTEMPTS: '1' } };

    it('150 concurrent EC2 calls (burst 100): none throttled with the limiter, some without', async () => {
      await onFake(world({ 'eu-west-1': [] }), options, async (fake) => {
        const results = await describeRegionsBurst({ limiter: new RateLimiter() }, 150);
        expect(results.filter((r) => r.status === 'rejected')).to.have.length(0);
        expect(fake.calls).to.have.length(150);
        expect(throttled(fake)).to.equal(0);
      });
      await onFake(world({ 'eu-west-1': [] }), options, async (fake) => {
        const results = await describeRegionsBurst({ limiter: new RateLimiter({}) }, 150);
        expect(throttled(fake)).to.be.greaterThan(0);
        expect(results.filter((r) => r.status === 'rejected')).to.have.length(throttled(fake));
      });
    });

    // 110 Windows instances SSM manages, in one region, that never sent inventory (only their
    // entries can say so): one ListInventoryEntries each plus the DescribeInstanceInformation
    // pages, well past SSM's burst of 40; one role keeps IAM in its burst.
    const fleet = () => world({ 'eu-west-1': ids('7', 110).map((id) => ({ id, os: 'windows' as const, inventory: false })) });
    const scan = (limiter: RateLimiter) => collect({ access: { limiter }, regions: ['eu-west-1'] });

    it('a scan records 0 throttled calls with the limiter', async () => {
      await onFake(fleet(), options, async (fake) => {
        const snap = await scan(new RateLimiter());
        expect(fake.calls.filter((c) => c.service === 'ssm').length, 'the world must need more SSM calls than the burst').to.be.greaterThan(BENCH_LIMITS.ssm!.burst);
        expect(throttled(fake)).to.equal(0);
        expect(snap.errors).to.deep.equal([]);
        expect(snap.instances).to.have.length(110);
      });
    });

    it('the same scan without the limiter is throttled', async () => {
      await onFake(fleet(), options, async (fake) => {
        const snap = await scan(new RateLimiter({}));
        expect(throttled(fake)).to.be.greaterThan(0);
        expect(snap.errors.map((e) => e.code)).to.include('ThrottlingException');
      });
    });
  });
});
