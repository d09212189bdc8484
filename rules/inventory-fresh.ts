import { always, defineRule, pass, skip, unknown, warn } from '../src/engine/outcome.js';
import type { Outcome } from '../src/engine/types.js';
import type { InstanceFacts } from '../src/facts/snapshot.js';
import { gatherInventory } from './lib/commands.js';
import { absenceOnly, presenceOnly } from './lib/inventory.js';
import { notWindows, platformOf } from './lib/platform.js';
import { remembering } from './lib/remember.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_DAYS = 7;

/** Whole days, or one decimal when it matters (7.5 days is older than 7). */
const days = (ms: number) => {
  const n = Math.floor((ms / DAY_MS) * 10) / 10;
  return `${n} ${n === 1 ? 'day' : 'days'}`;
};

export default defineRule({
  id: 'inventory-fresh',
  title: `SSM inventory is at most ${MAX_DAYS} days old`,
  severity: 'warning',
  consequence: 'vss-fallback',
  outcomes: ['pass', 'warn', 'unknown', 'skip'],
  why:
    'Whether AwsVssComponents is installed, and which version, is read from SSM inventory as of its CaptureTime; ' +
    'an old capture does not show installs or removals since, so the package rules may be wrong.',
  detection: 'ssm:ListInventoryEntries (AWS:Application) CaptureTime, compared with the time of the scan; not read where only ssm:GetInventory was needed.',
  fix: 'Keep an AWS-GatherSoftwareInventory State Manager association (applications Enabled) targeting the instance, running at least daily.',
  sources: [
    'https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_ListInventoryEntries.html',
    'https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-inventory-schema.html',
  ],
  unverified: `The ${MAX_DAYS}-day limit is this tool's choice, not an AWS figure.`,
  evaluate({ instance, collectedAt }) {
    const skipped = notWindows(platformOf(instance));
    if (skipped) return skip(skipped);
    const { inventory } = instance;
    if (!inventory.known) return rememberUnread(instance, [inventory.reason], () => unknown(`The inventory age is unknown: ${inventory.reason}.`));
    // ssm:GetInventory gives no CaptureTime of AWS:Application (ResultAttributes accept only
    // AWS:InstanceInformation and AWS:PatchSummary); the age only ever warns, so it is not read alone.
    if (presenceOnly(inventory.value)) {
      return skip(`The inventory CaptureTime was not read: ${inventory.value.versionNotRead}.`, { TypeName: inventory.value.listedUnder, CaptureTime: null });
    }
    if (absenceOnly(inventory.value)) return skip(`The inventory CaptureTime was not read: ${inventory.value.notListed}.`, { CaptureTime: null });
    const { captureTime } = inventory.value;
    if (!captureTime) return NO_INVENTORY;
    return remember(instance, [captureTime, collectedAt], () => judgeAge(instance, captureTime, collectedAt));
  },
});

/** Inventories are captured in a few runs of their association, and fail to be read for a few reasons. */
const remember = remembering();
const rememberUnread = remembering();
const NO_INVENTORY = always(skip('There is no inventory; vss-components-installed reports it.', { CaptureTime: null }));

function judgeAge({ instanceId, region }: InstanceFacts, captureTime: string, collectedAt: string): Outcome {
  const evidence = { CaptureTime: captureTime };
  // The scan's own time, never the wall clock: a saved snapshot must judge the same way later.
  const age = Date.parse(collectedAt) - Date.parse(captureTime);
  if (Number.isNaN(age)) return unknown(`CaptureTime ${captureTime} or the scan time ${collectedAt} is not a date.`, evidence);
  const ageDays = days(Math.max(age, 0));
  if (age <= MAX_DAYS * DAY_MS) return pass(`Inventory was captured ${ageDays} before the scan (CaptureTime ${captureTime}).`, evidence);
  return warn(
    `Inventory was captured ${ageDays} before the scan (CaptureTime ${captureTime}); installs or removals since then are not seen.`,
    evidence,
    gatherInventory(instanceId, region),
  );
}
