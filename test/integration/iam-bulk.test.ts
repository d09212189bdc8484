import { expect } from 'chai';
import type { Report } from '../../src/report/schema.js';
import { generateWorld } from '../bench/worlds.js';
import { startFakeAws, type FakeAws, type RecordedCall } from '../fake-aws/server.js';
import type { WorldInput } from '../fake-aws/world.js';
import { EXAMPLE_BACKUP_ROLE, EXAMPLE_REGIONS, EXAMPLE_WORLD } from '../tools/example-fleet.js';
import { READ_ONLY, readJson, runCli, withFakeAws } from './harness.js';
import { ids, world } from './worlds.js';

const BULK_DENIED = { service: 'iam', action: 'GetAccountAuthorizationDetails' };
const withFaults = (world: WorldInput, faults: WorldInput['faults']): WorldInput => ({
  ...world,
  faults: { ...world.faults, ...faults, deny: [...(world.faults?.deny ?? []), ...(faults?.deny ?? [])] },
});
/** A report without the time it was made: what two scans of the same account must share. */
const content = (stdout: string) => ({ ...(JSON.parse(stdout) as Report), generatedAt: '' });
const iamCalls = (calls: RecordedCall[]) => calls.filter((c) => c.service === 'iam');
const count = (calls: RecordedCall[], action: string) => calls.filter((c) => c.action === action).length;

describe('IAM read in bulk (GetAccountAuthorizationDetails) or role by role', () => {
  describe('the example world', () => {
    const example = readJson<WorldInput>(EXAMPLE_WORLD.pathname);
    const bulk = withFakeAws(() => example);
    const perRole = withFakeAws(() => withFaults(example, { deny: [BULK_DENIED] }));
    const args = ['scan', '--regions', EXAMPLE_REGIONS.join(','), '--backup-role', EXAMPLE_BACKUP_ROLE, '--format', 'json'];

    it('gives the same report either way; the refused bulk read is no gap when the per-role reads work', async () => {
      const [a, b] = await Promise.all([runCli(args, { fake: bulk.fake() }), runCli(args, { fake: perRole.fake() })]);
      expect(a.code, a.stderr).to.equal(3); // ListInventoryEntries is denied in us-east-1 in both
      expect(b.code, b.stderr).to.equal(3);
      expect(content(b.stdout)).to.deep.equal(content(a.stdout));
      expect(content(b.stdout).errors.map((e) => e.action)).to.deep.equal(['ListInventoryEntries']);
      // Each went the way it was meant to: one listing, or the item-by-item reads after one refusal.
      expect(count(bulk.fake().calls, 'GetAccountAuthorizationDetails')).to.equal(1);
      expect(count(bulk.fake().calls, 'GetRole')).to.equal(0);
      expect(perRole.fake().calls.filter((c) => c.action === 'GetAccountAuthorizationDetails').map((c) => c.errorCode)).to.deep.equal(['AccessDenied']);
      expect(count(perRole.fake().calls, 'GetRole')).to.be.greaterThan(0);
      for (const f of [bulk.fake(), perRole.fake()]) expect(f.calls.filter((c) => !READ_ONLY.test(c.action)), 'mutating calls').to.deep.equal([]);
    });
  });

  describe('a listing that leaves the permissions boundaries out', () => {
    const example = readJson<WorldInput>(EXAMPLE_WORLD.pathname);
    const bulk = withFakeAws(() => example);
    const omitting = withFakeAws(() => withFaults(example, { listingWithoutBoundaries: true }));
    const args = ['scan', '--regions', EXAMPLE_REGIONS.join(','), '--format', 'json'];

    it('is noticed (a policy is used as a boundary, no role names one) and each role\'s boundary is read with GetRole', async () => {
      const [a, b] = await Promise.all([runCli(args, { fake: bulk.fake() }), runCli(args, { fake: omitting.fake() })]);
      expect(content(b.stdout)).to.deep.equal(content(a.stdout));
      const bounded = example.iam?.roles?.filter((r) => r.permissionsBoundaryArn) ?? [];
      expect(bounded, 'the example world has a role with a boundary').to.not.be.empty;
      const report = content(b.stdout);
      const boundaryFinding = report.instances.flatMap((i) => i.findings).find((f) => f.ruleId === 'instance-role-grants-vss' && /boundary/.test(f.message));
      expect(boundaryFinding, 'a finding still names the boundary').to.not.equal(undefined);
      expect(count(bulk.fake().calls, 'GetRole')).to.equal(0);
      expect(count(omitting.fake().calls, 'GetRole')).to.be.greaterThan(0);
    });
  });

  describe('an account with many roles', () => {
    const world = generateWorld({ instances: 600, regions: 1, roles: 250 });
    const PAGE = 100; // faults.maxPageSize: IAM pages below the 1000 the collector asks for
    const paged = withFaults(world, { maxPageSize: { GetAccountAuthorizationDetails: PAGE } });
    const bulk = withFakeAws(() => paged);

    // The per-role path gives the same report (the example world shows it); here it would take
    // over a minute, paced under IAM's limits by the client-side limiter, so only the bulk path runs.
    it('costs IAM calls by pages and AWS managed policies, not by roles', async () => {
      const a = await runCli(['scan', '--format', 'json'], { fake: bulk.fake() });
      expect(a.code, a.stderr).to.equal(0);

      const iam = bulk.fake().world.iam;
      const listed = iam.roles.length + iam.policies.filter((p) => !p.arn.includes(':iam::aws:')).length; // Role + LocalManagedPolicy
      const awsManaged = new Set(iam.roles.flatMap((r) => r.attachedPolicyArns).filter((arn) => arn.includes(':iam::aws:'))).size;
      const calls = iamCalls(bulk.fake().calls);
      expect(count(calls, 'GetAccountAuthorizationDetails')).to.equal(Math.ceil(listed / PAGE));
      expect(count(calls, 'GetRole') + count(calls, 'GetInstanceProfile') + count(calls, 'ListAttachedRolePolicies')).to.equal(0);
      expect(count(calls, 'GetPolicy')).to.be.at.most(awsManaged);
      expect(count(calls, 'SimulatePrincipalPolicy')).to.equal(1); // one account, one region
      expect(calls.length).to.be.at.most(Math.ceil(listed / PAGE) + 2 * awsManaged + 1);

      // Reading item by item takes a GetInstanceProfile and a GetRole per Windows profile at least: O(roles).
      const windowsProfiles = new Set(
        Object.values(world.regions).flatMap((r) => (r.instances ?? []).filter((i) => i.platform === 'windows' && i.iamInstanceProfileArn).map((i) => i.iamInstanceProfileArn)),
      );
      expect(2 * windowsProfiles.size).to.be.greaterThan(10 * calls.length);
    });
  });

  describe('when IAM is read, against the regions\' reads', () => {
    // 20 ms a call and SSM in pages of 2: the regions' SSM listing takes several round trips.
    const boxes = ids('9', 8).map((id) => ({ id, os: 'windows' as const }));
    const slow = (w: WorldInput) => startFakeAws(withFaults(w, { maxPageSize: { DescribeInstanceInformation: 2 } }), { latencyMs: 20 });
    let bulk: FakeAws;
    let perRole: FakeAws;
    before(async () => {
      bulk = await slow(world({ 'eu-west-1': boxes }));
      perRole = await slow(world({ 'eu-west-1': boxes }, { deny: [BULK_DENIED] }));
    });
    after(async () => {
      await bulk.close();
      await perRole.close();
    });
    const first = (f: FakeAws, action: string) => f.calls.findIndex((c) => c.action === action);
    const last = (f: FakeAws, action: string) => f.calls.map((c) => c.action).lastIndexOf(action);

    it('the bulk read starts with the regions, not after them', async () => {
      const run = await runCli(['scan', '--format', 'json'], { fake: bulk });
      expect(run.code, run.stderr).to.equal(0);
      expect(first(bulk, 'GetAccountAuthorizationDetails')).to.be.within(0, last(bulk, 'DescribeInstanceInformation'));
    });

    it('the per-role fallback starts once DescribeInstances is in, before SSM is done', async () => {
      const run = await runCli(['scan', '--format', 'json'], { fake: perRole });
      expect(run.code, run.stderr).to.equal(0);
      expect(first(perRole, 'GetInstanceProfile')).to.be.greaterThan(first(perRole, 'DescribeInstances'));
      expect(first(perRole, 'GetRole')).to.be.within(0, last(perRole, 'DescribeInstanceInformation'));
      // Before the inventory reads that wait for the roles: GetInventory's Version filters, then the entries they leave open.
      const versionFilters = perRole.calls.findIndex((c) => c.action === 'GetInventory' && JSON.stringify(c.params).includes('.Version'));
      const entries = first(perRole, 'ListInventoryEntries');
      const inventoryReads = [versionFilters, entries].filter((n) => n >= 0);
      expect(inventoryReads, 'the world has inventory reads that wait for IAM').to.not.be.empty;
      expect(first(perRole, 'GetRole')).to.be.lessThan(Math.min(...inventoryReads));
    });
  });
});
