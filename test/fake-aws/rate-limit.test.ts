import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { DescribeInstanceInformationCommand, SSMClient } from '@aws-sdk/client-ssm';
import { expect } from 'chai';
import { RateLimiter, TokenBucket } from './rate-limit.js';
import { sdkConfig, startFakeAws, type FakeAws } from './server.js';
import { exampleWorld, expectAwsError } from './test-helpers.js';

/** A clock the test moves by hand, in ms. */
const manualClock = () => {
  let t = 1_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
};

const takeAll = (b: { take(): boolean }, n: number) => Array.from({ length: n }, () => b.take());

describe('fake AWS: rate limits', () => {
  describe('TokenBucket', () => {
    it('starts full: burst calls pass at once, the next is refused', () => {
      const clock = manualClock();
      const bucket = new TokenBucket({ rate: 20, burst: 5 }, clock.now);
      expect(takeAll(bucket, 6)).to.deep.equal([true, true, true, true, true, false]);
    });

    it('refills at rate per second, one token at a time', () => {
      const clock = manualClock();
      const bucket = new TokenBucket({ rate: 10, burst: 3 }, clock.now);
      takeAll(bucket, 3);
      clock.advance(99); // 0.99 token
      expect(bucket.take()).to.equal(false);
      clock.advance(1);
      expect(bucket.take()).to.equal(true);
      expect(bucket.take()).to.equal(false);
      clock.advance(250); // 2.5 tokens
      expect(takeAll(bucket, 3)).to.deep.equal([true, true, false]);
    });

    it('never holds more than burst, however long it was idle', () => {
      const clock = manualClock();
      const bucket = new TokenBucket({ rate: 100, burst: 4 }, clock.now);
      clock.advance(60_000);
      expect(takeAll(bucket, 5)).to.deep.equal([true, true, true, true, false]);
    });

    it('sustains exactly rate calls per second once the burst is spent', () => {
      const clock = manualClock();
      const bucket = new TokenBucket({ rate: 20, burst: 40 }, clock.now);
      let passed = 0;
      for (let ms = 0; ms < 10_000; ms += 5, clock.advance(5)) if (bucket.take()) passed++;
      expect(passed).to.be.within(40 + 199, 40 + 200); // burst + 10 s × 20/s
    });

    it('refuses a spec it cannot meter', () => {
      expect(() => new TokenBucket({ rate: 1, burst: 0 }, () => 0)).to.throw(/burst >= 1/);
    });
  });

  describe('RateLimiter', () => {
    it('keeps one bucket per service and region, one for IAM, and leaves unlisted services alone', () => {
      const clock = manualClock();
      const limiter = new RateLimiter({ ec2: { rate: 1, burst: 2 }, iam: { rate: 1, burst: 2 } }, clock.now);
      expect(takeAll({ take: () => limiter.take('ec2', 'eu-west-1') }, 3)).to.deep.equal([true, true, false]);
      expect(limiter.take('ec2', 'us-east-1')).to.equal(true);
      expect([limiter.take('iam', 'us-east-1'), limiter.take('iam', 'eu-west-1'), limiter.take('iam', 'ap-south-1')]).to.deep.equal([true, true, false]);
      expect(takeAll({ take: () => limiter.take('ssm', 'eu-west-1') }, 100).every(Boolean)).to.equal(true);
    });
  });

  describe('startFakeAws with rateLimits', () => {
    let fake: FakeAws;
    before(async () => {
      // rate 0: the burst is all there is, so the test does not depend on timing.
      fake = await startFakeAws(exampleWorld(), { rateLimits: { ec2: { rate: 0, burst: 2 }, ssm: { rate: 0, burst: 1 }, iam: { rate: 0, burst: 1 } } });
    });
    after(() => fake.close());

    const once = { maxAttempts: 1 };

    it('answers a call without a token with the service\'s throttling error, and records it', async () => {
      const ec2 = new EC2Client({ ...sdkConfig(fake, 'eu-west-1'), ...once });
      const ssm = new SSMClient({ ...sdkConfig(fake, 'eu-west-1'), ...once });
      try {
        await ec2.send(new DescribeInstancesCommand({}));
        await ec2.send(new DescribeInstancesCommand({}));
        await expectAwsError(ec2.send(new DescribeInstancesCommand({})), 'RequestLimitExceeded', 503);
        await ssm.send(new DescribeInstanceInformationCommand({}));
        await expectAwsError(ssm.send(new DescribeInstanceInformationCommand({})), 'ThrottlingException', 400);
      } finally {
        ec2.destroy();
        ssm.destroy();
      }
      const seen = fake.calls.map((c) => `${c.service}:${c.action}:${c.status}:${c.errorCode ?? ''}`);
      expect(seen).to.deep.equal([
        'ec2:DescribeInstances:200:',
        'ec2:DescribeInstances:200:',
        'ec2:DescribeInstances:503:RequestLimitExceeded',
        'ssm:DescribeInstanceInformation:200:',
        'ssm:DescribeInstanceInformation:400:ThrottlingException',
      ]);
    });

    it('meters EC2 per region and IAM once for all regions', async () => {
      const ec2 = new EC2Client({ ...sdkConfig(fake, 'us-east-1'), ...once });
      const iamEu = new IAMClient({ ...sdkConfig(fake, 'eu-west-1'), ...once });
      const iamUs = new IAMClient({ ...sdkConfig(fake, 'us-east-1'), ...once });
      try {
        await ec2.send(new DescribeInstancesCommand({}));
        await iamUs.send(new GetRoleCommand({ RoleName: 'VssBackupRole' }));
        await expectAwsError(iamEu.send(new GetRoleCommand({ RoleName: 'VssBackupRole' })), 'Throttling', 400);
      } finally {
        ec2.destroy();
        iamEu.destroy();
        iamUs.destroy();
      }
    });
  });

  it('limits nothing by default', async () => {
    const fake = await startFakeAws(exampleWorld());
    const ssm = new SSMClient({ ...sdkConfig(fake, 'eu-west-1'), maxAttempts: 1 });
    try {
      for (let n = 0; n < 30; n++) await ssm.send(new DescribeInstanceInformationCommand({}));
      expect(fake.calls.every((c) => c.status === 200 && c.errorCode === undefined)).to.equal(true);
    } finally {
      ssm.destroy();
      await fake.close();
    }
  });
});
