/**
 * AWS Backup state of one region in the fake world: backup plans (with their selections) and
 * backup jobs. Field names are the AWS names with a lower-case first letter, so a world can be
 * written from real `GetBackupSelection` / `ListBackupJobs` output.
 */
import { z } from 'zod';

/** ISO-8601 timestamp string (as in world.ts; kept here to avoid an import cycle). */
const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), { message: 'expected an ISO-8601 timestamp' });

/** BackupJobState (vss-facts §1, from the API model). */
export const backupJobStates = ['CREATED', 'PENDING', 'RUNNING', 'ABORTING', 'ABORTED', 'COMPLETED', 'FAILED', 'EXPIRED', 'PARTIAL'] as const;

const conditionParameter = z.object({ conditionKey: z.string(), conditionValue: z.string() });

export const backupSelectionSchema = z.object({
  id: z.string().min(1),
  /** SelectionName: ^[a-zA-Z0-9\-\_\.]{1,50}$ (API_BackupSelection). */
  name: z.string().regex(/^[a-zA-Z0-9\-_.]{1,50}$/, 'selection names are 1-50 of [a-zA-Z0-9-_.]'),
  iamRoleArn: z.string().startsWith('arn:'),
  resources: z.array(z.string()).optional(),
  notResources: z.array(z.string()).optional(),
  /** ListOfTags: the wire only knows ConditionType STRINGEQUALS. */
  listOfTags: z.array(conditionParameter.extend({ conditionType: z.literal('STRINGEQUALS').default('STRINGEQUALS') })).optional(),
  conditions: z
    .object({
      stringEquals: z.array(conditionParameter).optional(),
      stringNotEquals: z.array(conditionParameter).optional(),
      stringLike: z.array(conditionParameter).optional(),
      stringNotLike: z.array(conditionParameter).optional(),
    })
    .optional(),
  creationDate: isoTime.default('2026-01-01T00:00:00Z'),
});

export const backupRuleSchema = z.object({
  name: z.string(),
  targetBackupVaultName: z.string().default('Default'),
  scheduleExpression: z.string().default('cron(0 5 ? * * *)'),
});

export const backupPlanSchema = z.object({
  id: z.string().min(1),
  name: z.string().regex(/^[a-zA-Z0-9\-_.]{1,50}$/, 'plan names are 1-50 of [a-zA-Z0-9-_.]'),
  /** → AdvancedBackupSettings [{ResourceType:'EC2', BackupOptions:{WindowsVSS}}]; absent → no AdvancedBackupSettings. */
  windowsVss: z.enum(['enabled', 'disabled']).optional(),
  /** Default: derived from the plan id. */
  versionId: z.string().optional(),
  creationDate: isoTime.default('2026-01-01T00:00:00Z'),
  /** A plan has at least one rule (BackupPlan.Rules is required). */
  rules: z.array(backupRuleSchema).min(1).default([{ name: 'DailyBackups', targetBackupVaultName: 'Default', scheduleExpression: 'cron(0 5 ? * * *)' }]),
  selections: z.array(backupSelectionSchema).default([]),
});

export const backupJobSchema = z.object({
  id: z.string().min(1),
  resourceArn: z.string().startsWith('arn:'),
  /** Default 'EC2' (the only type vss-preflight looks at). */
  resourceType: z.string().default('EC2'),
  state: z.enum(backupJobStates),
  statusMessage: z.string().optional(),
  /** Default: 'SUCCESS' for COMPLETED jobs, absent otherwise. */
  messageCategory: z.string().optional(),
  /** e.g. { WindowsVSS: 'enabled' }. */
  backupOptions: z.record(z.string(), z.string()).optional(),
  /** 'WindowsVSS' after a VSS backup; set '' to send an empty BackupType, leave out to send none. */
  backupType: z.string().optional(),
  backupVaultName: z.string().default('Default'),
  creationDate: isoTime,
  completionDate: isoTime.optional(),
  /** Default: the AWSBackupDefaultServiceRole of the account. */
  iamRoleArn: z.string().startsWith('arn:').optional(),
  /** Default for COMPLETED/PARTIAL: an AMI ARN derived from the job id. */
  recoveryPointArn: z.string().optional(),
  /** The plan that started the job (CreatedBy); omit for on-demand jobs. Must name a plan of the region. */
  planId: z.string().optional(),
});

export type BackupPlan = z.infer<typeof backupPlanSchema>;
export type BackupSelection = z.infer<typeof backupSelectionSchema>;
export type BackupJob = z.infer<typeof backupJobSchema>;

/** Consistency checks for world.ts's superRefine: unique ids, jobs naming existing plans. */
export function backupIssues(plans: readonly BackupPlan[], jobs: readonly BackupJob[]): string[] {
  const issues: string[] = [];
  const dupes = (ids: string[]) => ids.filter((id, i) => ids.indexOf(id) !== i);
  for (const id of dupes(plans.map((p) => p.id))) issues.push(`duplicate backup plan ${id}`);
  for (const p of plans) for (const id of dupes(p.selections.map((s) => s.id))) issues.push(`backup plan ${p.id}: duplicate selection ${id}`);
  for (const id of dupes(jobs.map((j) => j.id))) issues.push(`duplicate backup job ${id}`);
  const planIds = new Set(plans.map((p) => p.id));
  for (const j of jobs) if (j.planId !== undefined && !planIds.has(j.planId)) issues.push(`backup job ${j.id} references unknown plan ${j.planId}`);
  return issues;
}
