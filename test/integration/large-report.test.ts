import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileChunks } from '../../src/cli/write.js';
import type { Snapshot } from '../../src/facts/snapshot.js';
import { jsonDocument } from '../../src/report/json-chunks.js';
import { snapshotOf } from '../bench/snapshot.js';
import { generateWorld } from '../bench/worlds.js';
import { runCli } from './harness.js';

/**
 * A fleet big enough that its reports are written in many chunks (a JSON report of 20,000
 * instances is ~140 MB): the files must still be whole, valid documents with every instance.
 * Content only; speed is the benchmark's business (npm run bench -- --scenario offline-100k).
 */
describe('a large fleet, scanned offline', function () {
  this.timeout(240_000);
  const tmp = mkdtempSync(join(tmpdir(), 'vss-preflight-large-'));
  const facts = join(tmp, 'facts.json');
  let snap: Snapshot;
  let ids: string[];

  before(async () => {
    snap = snapshotOf(generateWorld({ instances: 20_000, regions: 3, roles: 200 }), '2026-11-25T08:00:00.000Z');
    ids = snap.instances.map((i) => i.instanceId);
    // As `collect --out` writes it: the same chunked writer.
    await writeFileChunks(facts, jsonDocument(snap));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('the snapshot file is the indented JSON of the snapshot', () => {
    expect(readFileSync(facts, 'utf8')).to.equal(`${JSON.stringify(snap, null, 2)}\n`);
  });

  it('--format json --output writes valid JSON holding every instance once, in snapshot order, an export too, and the same on stdout', async () => {
    const out = join(tmp, 'report.json');
    const sarif = join(tmp, 'report.sarif');
    const run = await runCli(['scan', '--facts', facts, '--format', 'json', '--quiet', '--output', out, '--export', sarif]);
    expect(run.code, run.stderr).to.equal(0);
    expect(statSync(out).size).to.be.greaterThan(50e6);
    const report = JSON.parse(readFileSync(out, 'utf8')) as { summary: Record<string, number>; instances: { instanceId: string; verdict: string; findings: unknown[] }[]; fixPlan: unknown[] };
    expect(report.summary['instances']).to.equal(20_000);
    expect(report.instances.map((i) => i.instanceId)).to.deep.equal(ids);
    const counted = ['application-consistent', 'vss-fallback', 'no-vss', 'unknown'].map((v) => report.instances.filter((i) => i.verdict === v).length);
    expect(counted).to.deep.equal(['application-consistent', 'vss-fallback', 'no-vss', 'unknown'].map((v) => report.summary[v]));
    expect(report.instances.every((i) => i.findings.length > 0)).to.equal(true);
    expect(report.fixPlan.length).to.be.greaterThan(0);
    const log = JSON.parse(readFileSync(sarif, 'utf8')) as { runs: { results: { locations: { logicalLocations: { name: string }[] }[] }[] }[] };
    const located = new Set(log.runs[0]!.results.map((r) => r.locations[0]!.logicalLocations[0]!.name));
    expect(located.size).to.be.greaterThan(10_000);
    const known = new Set(ids);
    expect([...located].every((id) => known.has(id))).to.equal(true);

    // The same document on stdout, through the pipe's backpressure.
    const piped = await runCli(['scan', '--facts', facts, '--format', 'json']);
    expect(piped.code, piped.stderr).to.equal(0);
    expect(piped.stdout === readFileSync(out, 'utf8'), 'stdout equals the --output file').to.equal(true);
  });
});
