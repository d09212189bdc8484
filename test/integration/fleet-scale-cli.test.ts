/** `--regions all` and `--max-rps` through the real CLI against the fake endpoint (issue 7). */
import { expect } from 'chai';
import type { Report } from '../../src/report/schema.js';
import { isThrottled } from '../bench/figures.js';
import { startFakeAws } from '../fake-aws/server.js';
import type { WorldInput } from '../fake-aws/world.js';
import { expectUsageError, READ_ONLY, runCli, withFakeAws } from './harness.js';
import { ids, world } from './worlds.js';


// A commercial-partition account: the regions that need no opt-in, some opt-in ones enabled, some not.
const DEFAULT_ON = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-north-1', 'ap-south-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-southeast-1', 'ap-southeast-2', 'sa-east-1'];
const OPTED_IN = ['af-south-1', 'ap-east-1', 'me-south-1'];
const NOT_OPTED_IN = ['eu-south-1', 'ap-southeast-3', 'il-central-1'];

/** One Windows instance in every region, the opted-out ones included (the fake refuses reads there). */
function manyRegions(faults: WorldInput['faults'] = {}): WorldInput {
  const all = [...DEFAULT_ON, ...OPTED_IN, ...NOT_OPTED_IN];
  const w = world(Object.fromEntries(all.map((r, n) => [r, [{ id: ids(String(n % 10), n + 1).at(-1)!, os: 'windows' as const }]])), faults);
  for (const r of OPTED_IN) w.regions![r]!.optInStatus = 'opted-in';
  for (const r of NOT_OPTED_IN) w.regions![r]!.optInStatus = 'not-opted-in';
  return w;
}

describe('--regions all', () => {
  describe('an account with 20 enabled regions of 23', () => {
    const { fake } = withFakeAws(() => manyRegions());
    afterEach(() => fake().calls.splice(0));

    it('scans every enabled region (opt-in-not-required and opted-in), and no other', async () => {
      const run = await runCli(['scan', '--regions', 'all', '--format', 'json'], { fake: fake() });
      expect(run.code, run.stderr).to.equal(0);
      const report = JSON.parse(run.stdout) as Report;
      const enabled = [...DEFAULT_ON, ...OPTED_IN].sort();
      expect(report.regions).to.deep.equal(enabled);
      expect([...new Set(report.instances.map((i) => i.region))].sort()).to.deep.equal(enabled);
      expect(report.errors).to.deep.equal([]);

      const calls = fake().calls;
      const lookups = calls.filter((c) => c.action === 'DescribeRegions');
      expect(lookups).to.have.length(1);
      expect(lookups[0]!.params).to.include({ AllRegions: 'true' });
      expect(calls.filter((c) => NOT_OPTED_IN.includes(c.region))).to.deep.equal([]);
      expect(calls.every((c) => READ_ONLY.test(c.action))).to.equal(true);
    });

    it('with no region configured, asks us-east-1 (no opt-in needed there)', async () => {
      const run = await runCli(['scan', '--regions', 'all', '--format', 'json'], { fake: fake(), env: { AWS_REGION: undefined } });
      expect(run.code, run.stderr).to.equal(0);
      expect((JSON.parse(run.stdout) as Report).regions).to.have.length(DEFAULT_ON.length + OPTED_IN.length);
      expect(fake().calls.filter((c) => c.action === 'DescribeRegions').map((c) => c.region)).to.deep.equal(['us-east-1']);
    });

    it('"all" stands alone', async () => {
      expectUsageError(await runCli(['scan', '--regions', 'all,eu-west-1'], { fake: fake() }), /--regions all stands alone/);
    });
  });

  describe('DescribeRegions denied', () => {
    const { fake } = withFakeAws(() => manyRegions({ deny: [{ service: 'ec2', action: 'DescribeRegions' }] }));

    it('cannot resolve "all": a usage error naming the action and both fixes', async () => {
      expectUsageError(
        await runCli(['scan', '--regions', 'all'], { fake: fake() }),
        /--regions all needs ec2:DescribeRegions, which was denied: allow it for the scanning identity, or list the regions, e.g. --regions eu-west-1,us-east-1$/,
      );
    });

    it('a list of regions still scans, checked for form only', async () => {
      const run = await runCli(['scan', '--regions', 'eu-west-1,af-south-1', '--format', 'json'], { fake: fake() });
      expect(run.code, run.stderr).to.equal(0);
      expect((JSON.parse(run.stdout) as Report).regions).to.deep.equal(['eu-west-1', 'af-south-1']);
    });
  });
});

describe('--max-rps', () => {
  for (const bad of ['0', '-3', 'fast', '']) {
    it(`refuses --max-rps "${bad}" before any AWS call`, async () => {
      const fake = await startFakeAws(world({ 'eu-west-1': [] }));
      try {
        expectUsageError(await runCli(['scan', '--regions', 'eu-west-1', `--max-rps=${bad}`], { fake }), new RegExp(`--max-rps must be a positive number of requests per second, e.g. --max-rps 5; got "${bad}"$`));
        expect(fake.calls).to.deep.equal([]);
      } finally {
        await fake.close();
      }
    });
  }

  it('is refused with --facts, which reads no AWS', async () => {
    expectUsageError(await runCli(['scan', '--facts', 'examples/fleet.json', '--max-rps', '5']), /drop --regions\/--profile\/--backup-role\/--max-rps/);
  });

  it('keeps a scan under an account whose limits are lower than the defaults', async function () {
    this.timeout(60_000);
    // SSM at 3/s, burst 3: the defaults (burst 32) overrun it, --max-rps 2 does not. One attempt
    // per call, so nothing hides behind retries; counted by the fake's recorded calls.
    const w = world({ 'eu-west-1': ids('5', 6).map((id) => ({ id, os: 'windows' as const })) });
    const scan = async (args: string[]) => {
      const fake = await startFakeAws(w, { rateLimits: { ssm: { rate: 3, burst: 3 } } });
      try {
        const run = await runCli(['scan', '--regions', 'eu-west-1', '--format', 'json', ...args], { fake, env: { AWS_MAX_ATTEMPTS: '1' } });
        return { run, throttled: fake.calls.filter(isThrottled).length };
      } finally {
        await fake.close();
      }
    };
    const defaults = await scan([]);
    expect(defaults.throttled).to.be.greaterThan(0);
    expect(defaults.run.code, defaults.run.stderr).to.equal(3); // the throttled reads are scan errors

    const gentle = await scan(['--max-rps', '2']);
    expect(gentle.throttled).to.equal(0);
    expect(gentle.run.code, gentle.run.stderr).to.equal(0);
    const report = JSON.parse(gentle.run.stdout) as Report;
    expect(report.instances).to.have.length(6);
    expect(report.errors).to.deep.equal([]);
  });
});
