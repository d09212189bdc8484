import { z } from 'zod';
import type { InstanceFacts } from '../facts/snapshot.js';

/**
 * A suppressions file: accepted findings, each for rules × (instances or tags), with a reason and
 * an expiry date so an exception cannot quietly become permanent.
 *
 * suppressions:
 *   - rules: [instance-type-supported]
 *     instances: [i-0123456789abcdef0]    # and/or
 *     tags: { Environment: dev }          # every tag must match
 *     reason: Dev boxes; crash-consistent backups are enough
 *     expires: 2027-03-31
 */
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expires must be a date like 2027-03-31').refine((d) => !Number.isNaN(Date.parse(d)), 'expires is not a real date');

export const suppressionEntry = z
  .object({
    rules: z.array(z.string().min(1)).min(1, 'name at least one rule id'),
    instances: z.array(z.string().regex(/^i-[0-9a-f]+$/, 'instance ids look like i-0123456789abcdef0')).optional(),
    tags: z.record(z.string(), z.string()).optional(),
    reason: z.string().trim().min(1, 'say why the finding is accepted'),
    expires: z.union([isoDate, z.date().transform((d) => d.toISOString().slice(0, 10))]),
  })
  .strict()
  .refine((e) => e.instances?.length || (e.tags && Object.keys(e.tags).length), 'give instances or tags: a suppression for every instance is a --skip-rules');

export const suppressionsFile = z.object({ suppressions: z.array(suppressionEntry) }).strict();
export type SuppressionEntry = z.infer<typeof suppressionEntry>;

export interface Suppression extends SuppressionEntry {
  /** "file#N" (1-based), shown with each suppressed finding. */
  source: string;
}

export interface ExpiredSuppression {
  source: string;
  reason: string;
  expires: string;
  rules: string[];
}

/** Split into those in force on `today` (YYYY-MM-DD; an entry holds through its expiry day) and the expired. */
export function partitionByExpiry(all: Suppression[], today: string): { active: Suppression[]; expired: ExpiredSuppression[] } {
  const active = all.filter((s) => s.expires >= today);
  const expired = all.filter((s) => s.expires < today).map(({ source, reason, expires, rules }) => ({ source, reason, expires, rules }));
  return { active, expired };
}

/** The suppression that covers this rule on this instance, if any. */
export function suppressionFor(active: readonly Suppression[], ruleId: string, instance: Pick<InstanceFacts, 'instanceId' | 'tags'>): Suppression | undefined {
  return active.find(
    (s) =>
      s.rules.includes(ruleId) &&
      (s.instances?.includes(instance.instanceId) || (s.tags !== undefined && Object.entries(s.tags).every(([k, v]) => instance.tags[k] === v))),
  );
}
