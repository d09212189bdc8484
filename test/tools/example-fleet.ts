import { readFileSync } from 'node:fs';
import { collect } from '../../src/collect/collect.js';
import type { Snapshot } from '../../src/facts/snapshot.js';
import { startFakeAws } from '../fake-aws/server.js';
import type { WorldInput } from '../fake-aws/world.js';

export const EXAMPLE_WORLD = new URL('../../examples/world.json', import.meta.url);
export const EXAMPLE_FLEET = new URL('../../examples/fleet.json', import.meta.url);
export const EXAMPLE_REGIONS = ['eu-west-1', 'us-east-1'];
export const EXAMPLE_BACKUP_ROLE = 'arn:aws:iam::111122223333:role/service-role/AWSBackupDefaultServiceRole';
/** Fixed so the committed snapshot only changes when its content does. */
const COLLECTED_AT = new Date('2026-11-25T08:00:00.000Z');

/**
 * The example fleet is what the real collector reads from the fake endpoint serving
 * examples/world.json: the bundled snapshot is real collector output, never hand-written.
 */
export async function collectExampleFleet(): Promise<Snapshot> {
  const world = JSON.parse(readFileSync(EXAMPLE_WORLD, 'utf8')) as WorldInput;
  const fake = await startFakeAws(world);
  const saved = { ...process.env };
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: fake.url,
    AWS_ACCESS_KEY_ID: 'AKIDFAKE',
    AWS_SECRET_ACCESS_KEY: 'fake',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  try {
    return await collect({ access: {}, regions: EXAMPLE_REGIONS, backupRoleArn: EXAMPLE_BACKUP_ROLE, now: () => COLLECTED_AT });
  } finally {
    process.env = saved;
    await fake.close();
  }
}
