/**
 * How fast this machine is, as one figure the bench prints before its runs: the same figures can
 * move by 2x between two machines of one kind (or one machine on two days), and a CPU-bound target
 * read without it says more about the machine than about the code.
 */
import { snapshotOf } from './snapshot.js';
import { generateWorld } from './worlds.js';

/**
 * Milliseconds for a fixed piece of the work the CLI does most: build 20,000 instances' facts as
 * plain objects and send them through JSON.stringify and JSON.parse. The fastest of `rounds`, as
 * the slower ones measure whatever else the machine was doing.
 */
export function referenceMs(rounds = 3): number {
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    const world = generateWorld({ instances: 20_000, regions: 2, roles: 100 });
    const parsed = JSON.parse(JSON.stringify(snapshotOf(world, '2026-11-25T08:00:00.000Z'))) as { regions: unknown[] };
    if (parsed.regions.length !== 2) throw new Error('the reference workload lost a region');
    best = Math.min(best, performance.now() - t);
  }
  return best;
}
