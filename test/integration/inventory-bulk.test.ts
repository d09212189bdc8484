import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planInventory } from '../../src/collect/inventory-plan.js';
import { isVssComponents } from '../../src/collect/vss-package.js';
import { generationOf } from '../../rules/lib/generation.js';
import { IDS_PER_QUERY, VERSION_CLASSES } from '../../src/collect/inventory-filters.js';
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

/** The generation of the AwsVssComponents the world's inventory lists for an instance. */
function generationInWorld(w: WorldInput, region: string, id: string): string | undefined {
  const types = w.regions[region]?.inventory?.[id] ?? {};
  const row = ['AWS:Application', 'AWS:AWSComponent'].flatMap((t) => types[t]?.entries ?? []).find((e) => isVssComponents({ Name: String(e['Name'] ?? '') }));
  return generationOf(row ? String(row['Version']) : undefined);
}

/** The instances GetInventory's filters showed without the package (no entries read). */
const shownAbsent = (snap: Snapshot) => snap.instances.filter((i) => i.inventory.known && 'notListed' in i.inventory.value);

/** The instances whose generation GetInventory's Version filters told (no entries read). */
const settledByFilters = (snap: Snapshot) =>
  snap.instances.filter((i) => i.inventory.known && 'generation' in i.inventory.value && i.inventory.value.generation !== undefined);

const filterKeys = (c: { params: Record<string, unknown> }) => (c.params['Filters'] as { Key: string }[]).map((f) => f.Key);
const versionQuery = (c: { action: string; params: Record<string, unknown> }) => c.action === 'GetInventory' && filterKeys(c).some((k) => k.endsWith('.Version'));

const verdicts = (run: CliRun) => Object.fromEntries((JSON.parse(run.stdout) as Report).instances.map((i) => [i.instanceId, i.verdict]));

describe('inventory presence in bulk (ssm:GetInventory), entries only where the version decides', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vss-preflight-inv-'));
  let bulkVerdicts: Record<string, string>;
  let settledInUsEast1: Set<string>;

  describe('with GetInventory allowed', () => {
    const { fake } = withFakeAws(world);
    let snap: Snapshot;
    before(async () => {
      const out = join(dir, 'bulk.json');
      const run = await runCli(['collect', ...ARGS, '--out', out, '--quiet'], { fake: fake() });
      expect(run.code, run.stderr).to.equal(3); // the example world denies ListInventoryEntries in us-east-1
      snap = readJson<Snapshot>(out);
      bulkVerdicts = verdicts(await runCli(['scan', '--facts', out, '--format', 'json']));
      settledInUsEast1 = new Set(settledByFilters(snap).filter((i) => i.region === 'us-east-1').map((i) => i.instanceId));
    });

    it('asks GetInventory once per region and inventory type, 50 per page, filtered on the exact package names', () => {
      const calls = fake().calls.filter((c) => c.action === 'GetInventory' && filterKeys(c).length === 1);
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

    it('asks the Version filters only for instances whose verdict only the generation decides, 40 ids a query, one query per version class', () => {
      const w = world();
      const calls = fake().calls.filter(versionQuery);
      expect(calls).to.not.be.empty;
      const asked = new Set<string>();
      for (const c of calls) {
        const [ids, name, version] = c.params['Filters'] as { Key: string; Values: string[]; Type: string }[];
        expect(ids).to.deep.include({ Key: 'AWS:InstanceInformation.InstanceId', Type: 'Equal' });
        expect(ids!.Values.length).to.be.within(1, IDS_PER_QUERY);
        expect(name!.Key).to.match(/^AWS:(Application|AWSComponent)\.Name$/);
        expect(version).to.deep.include({ Key: name!.Key.replace('.Name', '.Version'), Type: 'BeginWith' });
        ids!.Values.forEach((id) => asked.add(id));
      }
      // Per region and type: one query per version class for each 40 instances.
      const groups = new Map<string, { calls: number; ids: Set<string> }>();
      for (const c of calls) {
        const [ids, name] = c.params['Filters'] as { Key: string; Values: string[] }[];
        const g = groups.get(`${c.region} ${name!.Key}`) ?? { calls: 0, ids: new Set<string>() };
        g.calls++;
        ids!.Values.forEach((id) => g.ids.add(id));
        groups.set(`${c.region} ${name!.Key}`, g);
      }
      for (const [key, g] of groups) expect(g.calls, key).to.equal(VERSION_CLASSES.length * Math.ceil(g.ids.size / IDS_PER_QUERY));
      // The example world refuses GetInventory in us-east-1: no Version filters there.
      const planned = snap.instances.filter((i) => i.region !== 'us-east-1').filter((i) => {
        const plan = planInventory({ instance: i, presence: { known: true, value: presenceInWorld(w, i.region) }, dhmc: snap.regionFacts[regionFactsKey(i.accountId, i.region)]!.defaultHostManagementRole, iam: snap });
        return plan.read && plan.generationDecides;
      });
      expect([...asked].sort()).to.deep.equal(planned.map((i) => i.instanceId).sort());
    });

    it('records the generation the world\'s package really has, wherever the filters told it', () => {
      const w = world();
      const settled = settledByFilters(snap);
      expect(settled, 'the example world has instances the filters settle').to.not.be.empty;
      for (const i of settled) expect(i.inventory.known && 'generation' in i.inventory.value && i.inventory.value.generation, i.instanceId).to.equal(generationInWorld(w, i.region, i.instanceId));
    });

    it('shows a missing package with the filters only where the world has inventory without it', () => {
      const w = world();
      const absent = shownAbsent(snap);
      expect(absent, 'the example world has inventory without the package').to.not.be.empty;
      for (const i of absent) {
        const types = w.regions[i.region]?.inventory?.[i.instanceId] ?? {};
        expect(types['AWS:Application'], i.instanceId).to.not.equal(undefined);
        const rows = Object.values(types).flatMap((t) => t.entries ?? []);
        expect(rows.some((e) => isVssComponents({ Name: String(e['Name'] ?? ''), Publisher: String(e['Publisher'] ?? '') })), i.instanceId).to.equal(false);
      }
      // A node without any inventory is never shown absent: only its entries can say so.
      const noInventory = snap.instances.filter((i) => i.ssm.known && i.ssm.value?.platformType === 'Windows' && !w.regions[i.region]?.inventory?.[i.instanceId]);
      for (const i of noInventory) expect(absent.map((a) => a.instanceId)).to.not.include(i.instanceId);
    });

    it('calls ListInventoryEntries for exactly the instances the plan says and the filters left open, and for no other', () => {
      const w = world();
      const settled = new Set([...settledByFilters(snap), ...shownAbsent(snap)].map((i) => i.instanceId));
      const expected = snap.instances
        .filter((i) => planInventory({ instance: i, presence: { known: true, value: presenceInWorld(w, i.region) }, dhmc: snap.regionFacts[regionFactsKey(i.accountId, i.region)]!.defaultHostManagementRole, iam: snap }).read)
        .map((i) => i.instanceId)
        .filter((id) => !settled.has(id))
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
        if (i.inventory.known && 'versionNotRead' in i.inventory.value) {
          expect(i.inventory.value.versionNotRead).to.match(/so (the version decides no verdict|no role is judged against the version)|Version filter places it in AwsVssComponents/);
        }
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
      // The same verdicts, except where the Version filters told what the refused entries (us-east-1) could not.
      const denied = verdicts(await runCli(['scan', '--facts', out, '--format', 'json']));
      const expected = Object.fromEntries(Object.entries(bulkVerdicts).map(([id, v]) => [id, settledInUsEast1.has(id) ? 'unknown' : v]));
      expect(denied).to.deep.equal(expected);
    });
  });
  describe('when another application\'s Version falls in another generation', () => {
    /** Every eu-west-1 node also lists an application at 1.0.0: a node-level Version filter matches it. */
    const withOtherApp = (match: 'per-node' | 'per-entry'): WorldInput => {
      const w = world();
      for (const types of Object.values(w.regions['eu-west-1']!.inventory ?? {})) {
        const apps = types['AWS:Application'];
        if (apps) apps.entries = [...(apps.entries ?? []), { Name: 'Contoso Tool', Version: '1.0.0', Publisher: 'Contoso' }];
      }
      return { ...w, inventoryFilterMatch: match };
    };

    for (const match of ['per-node', 'per-entry'] as const) {
      describe(`with filters matched ${match}`, () => {
        const { fake } = withFakeAws(() => withOtherApp(match));
        it(match === 'per-node' ? 'reads the entries of the instances that come back for two generations' : 'tells each package\'s generation', async () => {
          const out = join(dir, `other-app-${match}.json`);
          await runCli(['collect', ...ARGS, '--out', out, '--quiet'], { fake: fake() });
          const snap = readJson<Snapshot>(out);
          const settled = settledByFilters(snap).filter((i) => i.region === 'eu-west-1');
          const w = withOtherApp(match);
          // The asked instances whose entries (any of them, as per-node matching sees it) have Versions of two generations.
          const asked = fake()
            .calls.filter((c) => versionQuery(c) && c.region === 'eu-west-1')
            .flatMap((c) => (c.params['Filters'] as { Values: string[] }[])[0]!.Values);
          const twice = new Set(
            asked.filter((id) => {
              const rows = Object.values(w.regions['eu-west-1']!.inventory?.[id] ?? {}).flatMap((t) => t.entries ?? []);
              const generations = new Set(VERSION_CLASSES.filter((c) => rows.some((r) => c.prefixes.some((p) => String(r['Version']).startsWith(p)))).map((c) => c.generation));
              return match === 'per-node' && generations.size > 1;
            }),
          );
          // Per node every listed node also matches 1.0.0 (before 2.2.1): only the legacy packages come back once.
          if (match === 'per-node') expect(twice).to.not.be.empty;
          else expect(settled).to.not.be.empty;
          for (const i of settled) expect(twice.has(i.instanceId), i.instanceId).to.equal(false);
          const read = new Set(fake().calls.filter((c) => c.action === 'ListInventoryEntries').map((c) => String(c.params['InstanceId'])));
          for (const id of twice) expect(read.has(id), id).to.equal(true);
          for (const i of settled) expect(i.inventory.known && 'generation' in i.inventory.value && i.inventory.value.generation).to.equal(generationInWorld(w, i.region, i.instanceId));
          // Either way the verdicts are those of the entries themselves.
          expect(verdicts(await runCli(['scan', '--facts', out, '--format', 'json']))).to.deep.include(
            Object.fromEntries(Object.entries(bulkVerdicts).filter(([id]) => id.startsWith('i-0a'))),
          );
        });
      });
    }
  });
});
