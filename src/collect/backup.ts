import { GetBackupSelectionCommand, paginateListBackupJobs, paginateListBackupPlans, paginateListBackupSelections, type BackupClient } from '@aws-sdk/client-backup';
import type { BackupJobFacts } from '../history/classify.js';
import { UserError } from '../errors.js';
import type { PlanFacts, PlanSelection } from '../plan/plan.js';
import { vssEnabledIn } from '../plan/vss-setting.js';

/**
 * A plan by id or by name in one region. backup:ListBackupPlans returns AdvancedBackupSettings
 * on each entry (vss-facts §2), so no GetBackupPlan is needed.
 */
export async function findPlan(backup: BackupClient, region: string, ref: string): Promise<Omit<PlanFacts, 'selections'>> {
  const matches = [];
  for await (const page of paginateListBackupPlans({ client: backup, pageSize: 1000 }, {})) {
    for (const p of page.BackupPlansList ?? []) if (p.BackupPlanId === ref || p.BackupPlanName === ref) matches.push(p);
  }
  const how = `list them with \`aws backup list-backup-plans --region ${region}\``;
  if (!matches.length) throw new UserError(`no backup plan with id or name "${ref}" in ${region}; ${how}`);
  if (matches.length > 1) throw new UserError(`${matches.length} backup plans are named "${ref}" in ${region}: ${matches.map((m) => m.BackupPlanId).join(', ')}; give the plan id`);
  const plan = matches[0]!;
  return { id: plan.BackupPlanId ?? null, name: plan.BackupPlanName ?? ref, region, vssEnabled: vssEnabledIn(plan.AdvancedBackupSettings) };
}

/** Every selection of a plan: ListBackupSelections, then GetBackupSelection for its resources and conditions. */
export async function readSelections(backup: BackupClient, planId: string): Promise<PlanSelection[]> {
  const ids: string[] = [];
  for await (const page of paginateListBackupSelections({ client: backup, pageSize: 1000 }, { BackupPlanId: planId })) {
    ids.push(...(page.BackupSelectionsList ?? []).map((s) => s.SelectionId ?? '').filter(Boolean));
  }
  return Promise.all(
    ids.map(async (SelectionId) => {
      const { BackupSelection: s } = await backup.send(new GetBackupSelectionCommand({ BackupPlanId: planId, SelectionId }));
      return {
        name: s?.SelectionName ?? SelectionId,
        iamRoleArn: s?.IamRoleArn ?? null,
        selection: {
          Resources: s?.Resources,
          NotResources: s?.NotResources,
          ListOfTags: s?.ListOfTags?.map((t) => ({ ConditionType: t.ConditionType ?? 'STRINGEQUALS', ConditionKey: t.ConditionKey ?? '', ConditionValue: t.ConditionValue ?? '' })),
          Conditions: s?.Conditions as PlanSelection['selection']['Conditions'],
        },
      };
    }),
  );
}

/** backup:ListBackupJobs for EC2 since a date (AWS keeps 30 days), newest first, in pages of 1000. */
export async function listEc2Jobs(backup: BackupClient, since: Date, resourceArn?: string): Promise<BackupJobFacts[]> {
  const jobs: BackupJobFacts[] = [];
  const input = { ByResourceType: 'EC2', ByCreatedAfter: since, ...(resourceArn ? { ByResourceArn: resourceArn } : {}) };
  for await (const page of paginateListBackupJobs({ client: backup, pageSize: 1000 }, input)) {
    for (const j of page.BackupJobs ?? []) {
      const arn = j.ResourceArn ?? '';
      jobs.push({
        jobId: j.BackupJobId ?? '',
        instanceId: /:instance\/(i-[0-9a-f]+)$/.exec(arn)?.[1] ?? null,
        resourceArn: arn,
        state: j.State ?? 'unknown',
        statusMessage: j.StatusMessage ?? null,
        messageCategory: j.MessageCategory ?? null,
        windowsVss: j.BackupOptions?.['WindowsVSS'] === 'enabled',
        backupType: j.BackupType || null,
        creationDate: j.CreationDate ? j.CreationDate.toISOString() : null,
      });
    }
  }
  return jobs.sort((a, b) => (b.creationDate ?? '').localeCompare(a.creationDate ?? ''));
}
