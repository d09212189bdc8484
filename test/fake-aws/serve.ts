/**
 * Manual runs: `npx tsx test/fake-aws/serve.ts path/to/world.json [--latency-ms N]`.
 * Prints the URL; point the CLI at it with AWS_ENDPOINT_URL=<url> and any credentials.
 */
import { readFileSync } from 'node:fs';
import { startFakeAws } from './server.js';
import { parseWorld } from './world.js';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
if (!file) {
  console.error('usage: npx tsx test/fake-aws/serve.ts world.json [--latency-ms N] [--log]');
  process.exit(2);
}
const latencyIdx = args.indexOf('--latency-ms');
const latencyMs = latencyIdx >= 0 ? Number(args[latencyIdx + 1]) : 0;
const world = parseWorld(JSON.parse(readFileSync(file, 'utf8')));
const fake = await startFakeAws(world, { latencyMs });
console.log(fake.url);
console.error(`fake AWS serving ${file} (account ${world.accountId}); try:`);
console.error(`  AWS_ENDPOINT_URL=${fake.url} AWS_ACCESS_KEY_ID=AKIDFAKE AWS_SECRET_ACCESS_KEY=fake AWS_REGION=us-east-1 <command>`);
if (args.includes('--log')) {
  let seen = 0;
  setInterval(() => {
    for (; seen < fake.calls.length; seen++) {
      const c = fake.calls[seen];
      if (c && c.status !== 0) console.error(`${c.status} ${c.service}:${c.action} ${c.region}`);
      else break;
    }
  }, 200).unref();
}
const stop = () => void fake.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
