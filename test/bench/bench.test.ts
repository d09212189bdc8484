import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { instanceFacts } from '../../src/facts/snapshot.js';
import { parseWorld, type WorldInput } from '../fake-aws/world.js';
import { callSpan, countCalls, gaveUp, longestListing, lowerBound, naiveCalls } from './figures.js';
import { readReportHead } from './report-file.js';
import { snapshotOf } from './snapshot.js';
import { BENCH_READ_ROLE, dhmcRoleOf, fleetMix, generateWorld } from './worlds.js';

type Call = Parameters<typeof countCalls>[0][number];
const call = (service: string, action: string, region: string, params: Record<string, unknown> = {}, errorCode?: string): Call => ({
  service,
  action,
  region,
  params,
  ...(errorCode ? { errorCode } : {}),
});

describe('bench: generated worlds', () => {
  const spec = { instances: 2_000, regions: 3, roles: 40 };

  it('is the same world for the same seed, another for another seed', () => {
    expect(JSON.stringify(generateWorld(spec))).to.equal(JSON.stringify(generateWorld(spec)));
    expect(JSON.stringify(generateWorld({ ...spec, seed: 8 }))).not.to.equal(JSON.stringify(generateWorld(spec)));
  });

  it('is a valid fake-AWS world with the mix the bench describes', () => {
    const world = generateWorld(spec);
    const parsed = parseWorld(world);
    expect(Object.keys(parsed.regions)).to.deep.equal(['eu-west-1', 'us-east-1', 'eu-central-1']);
    const mix = fleetMix(world);
    expect(mix.instances).to.equal(2_000);
    expect(mix.windows / mix.instances).to.be.within(0.55, 0.65);
    expect(mix.managedWindows / mix.windows).to.be.within(0.8, 0.9);
    expect(mix.withoutPackage).to.be.greaterThan(0);
    expect(mix.roles).to.equal(40);
    const ids = Object.values(parsed.regions).flatMap((r) => r.instances.map((i) => i.instanceId));
    expect(new Set(ids).size).to.equal(2_000);
    expect(ids.every((id) => /^i-[0-9a-f]{17}$/.test(id))).to.equal(true);
    const roles = new Set(parsed.iam.roles.map((r) => r.name));
    const attached = parsed.iam.roles.flatMap((r) => r.attachedPolicyArns);
    expect(attached.every((arn) => parsed.iam.policies.some((p) => p.arn === arn))).to.equal(true);
    expect(parsed.iam.instanceProfiles.every((p) => p.roles.every((r) => roles.has(r)))).to.equal(true);
  });

  it('splits a fleet over several accounts, each reachable through the read role, ids unique across them', () => {
    const parsed = parseWorld(generateWorld({ ...spec, accounts: 3 }));
    const accounts = [parsed, ...parsed.accounts];
    expect(accounts.map((a) => a.accountId)).to.deep.equal(['111122223333', '200011111111', '200022222222']);
    const ids = accounts.flatMap((a) => Object.values(a.regions).flatMap((r) => r.instances.map((i) => i.instanceId)));
    expect(new Set(ids).size).to.equal(2_000);
    expect(accounts.map((a) => a.iam.instanceProfiles.length)).to.deep.equal([14, 13, 13]);
    for (const a of parsed.accounts) {
      const profiles = Object.values(a.regions).flatMap((r) => r.instances.flatMap((i) => (i.iamInstanceProfileArn ? [i.iamInstanceProfileArn] : [])));
      expect(profiles.every((arn) => arn.startsWith(`arn:aws:iam::${a.accountId}:instance-profile/`))).to.equal(true);
      const read = a.iam.roles.find((r) => r.name === BENCH_READ_ROLE)!;
      expect(JSON.stringify(read.assumeRolePolicyDocument)).to.contain('arn:aws:iam::111122223333:root');
    }
    expect(fleetMix(generateWorld({ ...spec, accounts: 3 }))).to.include({ instances: 2_000, roles: 40, accounts: 3 });
    expect(naiveCalls(generateWorld({ ...spec, accounts: 3 })).byAction['DescribeInstances']).to.equal(2_000);
  });

  it('builds 50,000 instances quickly', function () {
    this.timeout(10_000);
    const t = performance.now();
    const mix = fleetMix(generateWorld({ instances: 50_000, regions: 5, roles: 1_000 }));
    expect(mix.instances).to.equal(50_000);
    expect(performance.now() - t).to.be.below(5_000);
  });

  it('gives a facts snapshot the schema accepts, with inventory read only where collect reads it', () => {
    const world = generateWorld({ instances: 300, regions: 2, roles: 10 });
    const snap = snapshotOf(world, '2026-11-25T08:00:00.000Z');
    expect(snap.instances).to.have.length(300);
    expect(snap.instances.every((i) => instanceFacts.safeParse(i).success)).to.equal(true);
    const linux = snap.instances.filter((i) => i.platform !== 'windows');
    expect(linux.every((i) => !i.inventory.known)).to.equal(true);
    const managedWindows = snap.instances.filter((i) => i.platform === 'windows' && i.ssm.known && i.ssm.value);
    expect(managedWindows.every((i) => i.inventory.known)).to.equal(true);
    expect(managedWindows.some((i) => i.inventory.known && ('listedUnder' in i.inventory.value ? i.inventory.value.listedUnder : 'vssComponents' in i.inventory.value ? i.inventory.value.vssComponents?.typeName : undefined) === 'AWS:AWSComponent')).to.equal(true);
    for (const i of snap.instances.filter((x) => x.platform === 'windows' && x.instanceProfileArn)) {
      const profile = snap.instanceProfiles[i.instanceProfileArn!];
      expect(profile?.known && profile.value.roleArns.every((r) => snap.roles[r]?.known)).to.equal(true);
    }
    expect(Object.keys(snap.scps).sort()).to.deep.equal(['111122223333/eu-west-1', '111122223333/us-east-1']);
  });
});

describe('bench: figures from recorded calls', () => {
  const tok = (n: number) => ({ Filter: 'x', NextToken: `t${n}`, MaxResults: '50' });
  const calls: Call[] = [
    call('ec2', 'DescribeRegions', 'eu-west-1'),
    call('ssm', 'DescribeInstanceInformation', 'eu-west-1', { Filter: 'x', MaxResults: '50' }),
    call('ssm', 'DescribeInstanceInformation', 'eu-west-1', tok(1), 'ThrottlingException'),
    call('ssm', 'DescribeInstanceInformation', 'eu-west-1', tok(1)),
    call('ssm', 'DescribeInstanceInformation', 'eu-west-1', tok(2)),
    call('ssm', 'DescribeInstanceInformation', 'eu-west-1', tok(3)),
    call('ec2', 'DescribeInstances', 'eu-west-1', { Filter: 'x' }),
    call('ec2', 'DescribeInstances', 'eu-west-1', { Filter: 'x', NextToken: 'a' }),
    ...Array.from({ length: 50 }, (_, n) => call('iam', 'GetRole', n % 2 ? 'us-east-1' : 'eu-west-1', { RoleName: `r${n}` })),
    call('iam', 'GetRole', 'us-east-1', { RoleName: 'lost' }, 'Throttling'),
    call('iam', 'GetRole', 'us-east-1', { RoleName: 'lost' }, 'Throttling'),
    call('iam', 'GetRole', 'us-east-1', { RoleName: 'denied' }, 'AccessDenied'),
  ];

  it('counts calls and throttles per service and action', () => {
    const rows = countCalls(calls);
    expect(rows.find((r) => r.action === 'DescribeInstanceInformation')).to.deep.equal({ service: 'ssm', action: 'DescribeInstanceInformation', calls: 5, throttled: 1 });
    expect(rows.find((r) => r.action === 'GetRole')).to.deep.include({ calls: 53, throttled: 2 });
    expect(rows.map((r) => r.service)).to.deep.equal(['ec2', 'ec2', 'iam', 'ssm']);
  });

  it('finds the longest page chain from the tokens, ignoring throttled attempts', () => {
    expect(longestListing(calls)).to.deep.equal({ service: 'ssm', action: 'DescribeInstanceInformation', region: 'eu-west-1', pages: 4 });
  });

  it('counts a request as given up only when every attempt was throttled, per bucket', () => {
    expect([...gaveUp(calls)]).to.deep.equal([['iam', 1]]);
  });

  it('bounds wall time by the chain and by each bucket, whichever is larger', () => {
    const limits = { iam: { rate: 10, burst: 20 }, ssm: { rate: 20, burst: 40 } };
    const lb = lowerBound(calls, 20, limits);
    expect(lb.chain).to.equal(5); // region check + 4 pages
    expect(lb.gaveUp).to.equal(1);
    expect(lb.chainSeconds).to.be.closeTo(0.1, 1e-9);
    // IAM: 50 answered + 1 denied (an answer) + 1 given up = 52 needed; (52 - 20) / 10 + 0.02.
    expect(lb.buckets[0]).to.deep.include({ bucket: 'iam', needed: 52, rate: 10, burst: 20 });
    expect(lb.buckets[0]!.seconds).to.be.closeTo(3.22, 1e-9);
    expect(lb.buckets.map((b) => b.bucket)).to.deep.equal(['iam', 'ssm/eu-west-1']);
    expect(lb.seconds).to.be.closeTo(3.22, 1e-9);
    expect(lb.dominant).to.equal('bucket iam');
    expect(lowerBound(calls, 1_000, limits)).to.deep.include({ seconds: 5, dominant: 'sequential pages' });
  });

  it('reads a region\'s Default Host Management role as the collector reads the setting: off when default, empty or $None', () => {
    const setting = (value: string, status: 'Default' | 'Customized' = 'Customized') => ({ serviceSettings: { '/ssm/managed-instance/default-ec2-instance-management-role': { value, status } } });
    expect(dhmcRoleOf(setting('service-role/D'))).to.equal('service-role/D');
    expect(dhmcRoleOf(setting('service-role/D', 'Default'))).to.equal(null);
    expect(dhmcRoleOf(setting('$None'))).to.equal(null);
    expect(dhmcRoleOf(setting(''))).to.equal(null);
    expect(dhmcRoleOf({})).to.equal(null);
  });

  it('places the calls in the run: first and last, and those of one bucket, in seconds after the start', () => {
    const at = (c: Call, ms: number) => ({ ...c, accountId: '111122223333', at: ms });
    const timed = [at(calls[0]!, 1_250), at(calls[1]!, 1_400), at(calls[8]!, 3_000), at(calls[2]!, 9_000), at(calls[9]!, 12_000)];
    const span = callSpan(timed, 1_000, 'ssm/eu-west-1@111122223333');
    expect(span).to.deep.equal({ firstS: 0.25, lastS: 11, bucket: { name: 'ssm/eu-west-1@111122223333', firstS: 0.4, lastS: 8, calls: 2 } });
    expect(callSpan(timed, 1_000)).to.deep.equal({ firstS: 0.25, lastS: 11 });
    expect(callSpan([], 0)).to.equal(undefined);
  });

  it('counts the naive per-instance approach from the world', () => {
    const world: WorldInput = {
      accountId: '111122223333',
      regions: {
        'eu-west-1': {
          instances: [
            { instanceId: 'i-01', platform: 'windows', iamInstanceProfileArn: 'arn:aws:iam::111122223333:instance-profile/P', vpcId: 'vpc-1' },
            { instanceId: 'i-02', platform: 'windows' },
            { instanceId: 'i-03' },
          ],
          // i-01 lists the package under AWS:AWSComponent only: two entries reads; i-02 has no inventory: one.
          inventory: {
            'i-01': {
              'AWS:Application': { captureTime: '2026-11-24T22:10:00Z', entries: [{ Name: 'Amazon SSM Agent', Version: '3.3.1345.0' }] },
              'AWS:AWSComponent': { captureTime: '2026-11-24T22:10:00Z', entries: [{ Name: 'AwsVssComponents', Version: '2.5.1' }] },
            },
          },
          // DHMC on: i-02, without a profile, is judged with the DHMC role D.
          serviceSettings: { '/ssm/managed-instance/default-ec2-instance-management-role': { value: 'service-role/D', status: 'Customized' } },
        },
      },
      iam: {
        instanceProfiles: [{ name: 'P', roles: ['R'] }],
        roles: [
          {
            name: 'R',
            attachedPolicyArns: ['arn:aws:iam::aws:policy/A', 'arn:aws:iam::aws:policy/B'],
            permissionsBoundaryArn: 'arn:aws:iam::111122223333:policy/Boundary',
            inlinePolicies: { vss: { Version: '2012-10-17', Statement: [] } },
          },
          { name: 'D', path: '/service-role/', attachedPolicyArns: ['arn:aws:iam::aws:policy/A'] },
        ],
      },
    };
    const naive = naiveCalls(world);
    expect(naive.byAction).to.deep.equal({
      DescribeInstances: 3,
      DescribeInstanceInformation: 3,
      ListInventoryEntries: 3,
      GetServiceSetting: 2,
      DescribeVpcEndpoints: 1,
      DescribeVolumes: 2,
      GetInstanceProfile: 1,
      GetRole: 2,
      ListAttachedRolePolicies: 2,
      GetPolicy: 4,
      GetPolicyVersion: 4,
      ListRolePolicies: 2,
      GetRolePolicy: 1,
    });
    expect(naive.total).to.equal(30);
  });

  it('reads a JSON report\'s top-level fields without the instances', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-test-'));
    try {
      const report = {
        schemaVersion: 1,
        regions: ['eu-west-1'],
        accountIds: ['111122223333'],
        summary: { instances: 2, unknown: 1 },
        instances: [{ regions: 'nested', errors: [] }, { summary: {} }],
        fixPlan: [],
        errors: [{ service: 'ssm', action: 'ListInventoryEntries', region: 'eu-west-1', code: 'ThrottlingException', message: 'Rate exceeded', count: 3 }],
      };
      writeFileSync(join(dir, 'r.json'), `${JSON.stringify(report, null, 2)}\n`);
      expect(readReportHead(join(dir, 'r.json'))).to.deep.equal({ regions: report.regions, accountIds: report.accountIds, summary: report.summary, errors: report.errors });
      writeFileSync(join(dir, 'compact.json'), JSON.stringify(report));
      expect(readReportHead(join(dir, 'compact.json')).summary).to.deep.equal(report.summary);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
