import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { UserError } from '../errors.js';
import { vssEnabledIn } from './vss-setting.js';
import { backupSelectionFacts } from './selection.js';
import type { PlanFacts, PlanSelection } from './plan.js';

const advanced = z.array(z.object({ ResourceType: z.string().optional(), BackupOptions: z.record(z.string(), z.string()).optional() })).optional();
const planDocument = z.object({ BackupPlanName: z.string(), AdvancedBackupSettings: advanced }).passthrough();
/** `aws backup get-backup-plan` output or `create-backup-plan` input ({BackupPlan: …}), or the BackupPlan document itself. */
const planFile = z.union([z.object({ BackupPlan: planDocument, BackupPlanId: z.string().optional() }).passthrough(), planDocument]);

const selectionDocument = backupSelectionFacts.extend({ SelectionName: z.string(), IamRoleArn: z.string().optional() }).passthrough();
/** `get-backup-selection` output / `create-backup-selection` input ({BackupSelection: …}), the document, or a list of either. */
const oneSelection = z.union([z.object({ BackupSelection: selectionDocument }).passthrough(), selectionDocument]);
const selectionsFile = z.union([z.array(oneSelection), oneSelection]);

async function readJson(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new UserError(`cannot read ${what} file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UserError(`${what} file ${path} is not valid JSON (${(err as Error).message})`);
  }
}

function parse<T>(schema: z.ZodType<T>, data: unknown, path: string, shape: string): T {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  throw new UserError(`${path} is not ${shape}; save one with \`aws backup get-backup-${shape.includes('selection') ? 'selection' : 'plan'} … > FILE\``);
}

/** A plan file: the plan may not exist yet, so it has no id and its selections come from --selections. */
export async function loadPlanFile(path: string, region: string): Promise<Omit<PlanFacts, 'selections'>> {
  const data = parse(planFile, await readJson(path, 'backup plan'), path, 'a backup plan (the shape `aws backup get-backup-plan` prints)');
  const doc = 'BackupPlan' in data ? (data.BackupPlan as z.infer<typeof planDocument>) : data;
  const id = 'BackupPlanId' in data && typeof data.BackupPlanId === 'string' ? data.BackupPlanId : null;
  return { id, name: doc.BackupPlanName, region, vssEnabled: vssEnabledIn(doc.AdvancedBackupSettings) };
}

export async function loadSelectionsFile(path: string): Promise<PlanSelection[]> {
  const data = parse(selectionsFile, await readJson(path, 'selections'), path, 'a backup selection or a list of them (the shape `aws backup get-backup-selection` prints)');
  return (Array.isArray(data) ? data : [data]).map((entry) => {
    const s = ('BackupSelection' in entry ? entry.BackupSelection : entry) as z.infer<typeof selectionDocument>;
    const { SelectionName, IamRoleArn, ...rest } = s;
    return { name: SelectionName, iamRoleArn: IamRoleArn ?? null, selection: backupSelectionFacts.parse(rest) };
  });
}
