import type { InstanceFacts, InventoryAbsence, InventoryFacts, InventoryPresence } from '../../src/facts/snapshot.js';
import type { Generation } from '../../src/iam/vss-requests.js';
import { generationOf } from './generation.js';

/**
 * The presence-only form: ssm:GetInventory listed the package, and its entries (Version,
 * CaptureTime) were not read because the version decides no verdict for this instance.
 */
export const presenceOnly = (inventory: InventoryFacts): inventory is InventoryPresence => 'versionNotRead' in inventory;

/**
 * The absence-only form: ssm:GetInventory's filters showed AWS:Application inventory and no entry
 * named like the package; the entries (and their CaptureTime) were not read.
 */
export const absenceOnly = (inventory: InventoryFacts): inventory is InventoryAbsence => 'notListed' in inventory;

/** The installed AwsVssComponents Version, when inventory entries were read and list one. */
export function installedVersion(instance: InstanceFacts): string | undefined {
  const { inventory } = instance;
  if (!inventory.known || presenceOnly(inventory.value) || absenceOnly(inventory.value)) return undefined;
  return inventory.value.vssComponents?.version ?? undefined;
}

/**
 * The installed package's generation: from the Version the entries list, or from GetInventory's
 * Version filters where the entries were not read.
 */
export function installedGeneration(instance: InstanceFacts): Generation | undefined {
  const { inventory } = instance;
  if (inventory.known && presenceOnly(inventory.value)) return inventory.value.generation;
  return generationOf(installedVersion(instance));
}
