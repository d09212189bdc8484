import { writeFileSync } from 'node:fs';
import { collectExampleFleet, EXAMPLE_FLEET } from './example-fleet.js';

// `npm run examples`: regenerate examples/fleet.json after changing examples/world.json or a collector.
const snapshot = await collectExampleFleet();
writeFileSync(EXAMPLE_FLEET, `${JSON.stringify(snapshot, null, 2)}\n`);
process.stdout.write(`wrote examples/fleet.json: ${snapshot.instances.length} instances, ${snapshot.errors.length} recorded AWS errors\n`);
