import type { Generation } from '../../src/iam/vss-requests.js';
import { atLeast } from './version.js';

/** The generation of an installed version; undefined when the version is unknown or not numeric. */
export function generationOf(version: string | null | undefined): Generation | undefined {
  if (!version) return undefined;
  if (atLeast(version, '2.3.1')) return 'tagged';
  if (atLeast(version, '2.2.1')) return 'describe-attribute';
  return atLeast(version, '0') === undefined ? undefined : 'legacy';
}
