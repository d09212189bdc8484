import { z } from 'zod';
import { backupSelectionFacts } from './selection.js';

/** A selection of a plan: its name, the role AWS Backup uses for it, and what it covers. */
export const planSelection = z.object({
  name: z.string(),
  iamRoleArn: z.string().nullable(),
  selection: backupSelectionFacts,
});
export type PlanSelection = z.infer<typeof planSelection>;

/** The plan being checked (from the account or a file). */
export const planFacts = z.object({
  id: z.string().nullable(), // null for a plan file that does not exist yet
  name: z.string(),
  region: z.string(),
  vssEnabled: z.boolean(),
  selections: z.array(planSelection),
});
export type PlanFacts = z.infer<typeof planFacts>;
