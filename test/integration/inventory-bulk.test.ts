import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planInventory } from '../../src/collect/inventory-plan.js';
import { isVssComponents } from '../../src/collect/vss-package.js';
import { regionFactsKey, type Snapshot } from '../../src/facts/snapshot.js';
import type { Report } from '../../src/report/schema.js';
import type { WorldInput } from '../fake-aws/world.js';
import { EXAMPLE_BACKUP_ROLE, EXAMPLE_REGIONS, EXAMPLE_WORLD } from '../tools/example-fleet.js';
import { readJson, runCli, withFakeAws, type CliRun } from './harness.js';

const world = () => readJson<WorldInput>(EXAMPLE_WORLD.pathname);
const ARGS = ['--regions', EXAMPLE_REGIONS.join(','), '--backup-role', EXAMPLE_BACKUP_ROLE];

/**
 * The presence GetInventory reports, worked out from the world itself: an instance whose
 * AWS:Application or AWS:AWSComponent inventory has an entry named AwsVssComponents (any case).
 */
function presenceInWorld(w: WorldInput, region: string): Map<string, string> {
  const listed = new Map<string, string>();
  for (const [id, types] of Object.entries(w.regions[region]?.inventory ?? {})) {
    for (const typeName of ['AWS:Application', 'AWS:AWSComponent']) {
      const rows = (types[typeName]?.entries ?? []).map((e) => Object.fromEntries(Object.entries(e).map(([k, v]) => [k, String(v)])));
      if (!listed.has(id) && rows.some((r) => isVssComponents({ Name: r['Name'] ?? '' }))) listed.set(id, typeName);
    }
  }
  return listed;
}

const verdicts = (run: CliRun) => Object.fromEntries((JSON.parse(run.stdout) as Report).instances.map((i) => [i.instanceId, i.verdict]));

describe('inventory presence in bulk (ssm:GetInventory), entries only where the version decides', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vss-preflight-inv-'));
  let bulkVerdicts: Record<string, string>;

  describe('with GetInventory allowed', () => {
    const { fake } = withFakeAws(world);
    let snap: Snapshot;
    before(async () => {
      const out = join(dir, 'bulk.json');
      const run = await runCli(['collect', ...ARGS, '--out', out, '--quiet'], { fake: fake() });
      expect(run.code, run.stderr).to.equal(3); // the example world denies ListInventoryEntries in us-east-1
      snap = readJson<Snapshot>(out);
      bulkVerdicts = verdicts(await runCli(['scan', '--facts', out, '--format', 'json']));
    });

    it('asks GetInventory once per region and inventory type, 50 per page, filtered on the exact package names', () => {
      const calls = fake().calls.filter((c) => c.action === 'GetInventory');
      expect(calls.map((c) => `${c.region} ${(c.params['Filters'] as { Key: string }[])[0]!.Key}`).sort()).to.deep.equal([
        'eu-west-1 AWS:AWSComponent.Name',
        'eu-west-1 AWS:Application.Name',
        'us-east-1 AWS:AWSComponent.Name',
        'us-east-1 AWS:Application.Name',
      ]);
      for (const c of calls) {
        expect(c.params['MaxResults']).to.equal(50);
        expect((c.params['Filters'] as { Type: string; Values: string[] }[])[0]).to.deep.include({ Type: 'Equal' }).and.have.property('Values').that.includes('AwsVssComponents');
      }
    });

    it('calls ListInventoryEntries for exactly the instances the plan says, and for no other', () => {
      const w = world();
      const expected = snap.instances
        .filter((i) => planInventory({ instance: i, presence: { known: true, value: presenceInWorld(w, i.region) }, dhmc: snap.regionFacts[regionFactsKey(i.accountId, i.region)]!.defaultHostManagementRole, iam: snap }).read)
        .map((i) => i.instanceId)
        .sort();
      const called = [...new Set(fake().calls.filter((c) => c.action === 'ListInventoryEntries').map((c) => String(c.params['InstanceId'])))].sort();
      expect(called).to.deep.equal(expected);
      const skipped = snap.instances.filter((i) => i.inventory.known && 'versionNotRead' in i.inventory.value);
      expect(skipped, 'some instances need no entries').to.not.be.empty;
      expect(skipped.every((i) => !called.includes(i.instanceId))).to.equal(true);
      // Fewer than one entries read per managed Windows instance: the bulk read saved calls.
      const managedWindows = snap.instances.filter((i) => i.ssm.known && i.ssm.value?.platformType === 'Windows');
      expect(called.length).to.be.lessThan(managedWindows.length);
    });

    it('records why each skipped version was not read', () => {
      for (const i of snap.instances) {
        if (i.inventory.known && 'versionNotRead' in i.inventory.value) expect(i.inventory.value.versionNotRead).to.match(/so (the version decides no verdict|no role is judged against the version)/);
      }
    });
  });

  describe('with GetInventory denied', () => {
    const { fake } = withFakeAws(() => {
      const w = world();
      return { ...w, faults: { ...w.faults, deny: [...(w.faults?.deny ?? []), { service: 'ssm', action: 'GetInventory' }] } };
    });

    it('falls back to per-instance reads: no instance dropped, the same verdicts, and no gap reported for the bulk read', async () => {
      const out = join(dir, 'denied.json');
      const run = await runCli(['collect', ...ARGS, '--out', out, '--quiet'], { fake: fake() });
      // 3: the example world's scanner is denied ListInventoryEntries in us-east-1, a real gap.
      expect(run.code, run.stderr).to.equal(3);
      const snap = readJson<Snapshot>(out);
      // The refused bulk read cost only calls: the per-instance reads got the same facts.
      expect(snap.errors.filter((e) => e.action === 'GetInventory')).to.deep.equal([]);
      expect(fake().calls.filter((c) => c.action === 'GetInventory' && c.errorCode === 'AccessDeniedException')).to.have.length.greaterThan(0);
      expect(snap.instances.some((i) => i.inventory.known && 'versionNotRead' in i.inventory.value)).to.equal(false);
      const managedWindows = snap.instances.filter((i) => i.ssm.known && i.ssm.value?.platformType === 'Windows').map((i) => i.instanceId).sort();
      const called = [...new Set(fake().calls.filter((c) => c.action === 'ListInventoryEntries').map((c) => String(c.params['InstanceId'])))].sort();
      expect(called).to.deep.equal(managedWindows);
      expect(verdicts(await runCli(['scan', '--facts', out, '--format', 'json']))).to.deep.equal(bulkVerdicts);
    });
  });
});
