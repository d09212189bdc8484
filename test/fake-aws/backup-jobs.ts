/** AWS Backup (restJson1): ListBackupJobs (GET /backup-jobs/) and DescribeBackupJob (GET /backup-jobs/{id}). */
import { backupJobStates, type BackupJob } from './backup-world.js';
import { badNextToken, notFound, planArn, ruleIdOf, versionIdOf } from './backup.js';
import { fakeId, type Ctx, type JsonHandler } from './context.js';
import { validationError } from './errors.js';
import { queryTime, restPage, type RestRoute } from './rest-json.js';
import { epoch } from './ssm.js';
import { regionOf } from './world.js';

const messageCategoryOf = (j: BackupJob) => j.messageCategory ?? (j.state === 'COMPLETED' ? 'SUCCESS' : undefined);

function recoveryPointArnOf(ctx: Ctx, j: BackupJob): string | undefined {
  if (j.recoveryPointArn !== undefined) return j.recoveryPointArn;
  // An EC2 recovery point is an AMI; only a job that got (at least partly) done has one.
  return j.state === 'COMPLETED' || j.state === 'PARTIAL' ? `arn:aws:ec2:${ctx.region}::image/${fakeId('ami-', j.id, 17, '0123456789abcdef')}` : undefined;
}

/** Who started the job: a plan's rule (CreatedBy), or nobody for an on-demand job. */
function createdBy(ctx: Ctx, j: BackupJob) {
  const plan = regionOf(ctx.world, ctx.region).backupPlans.find((p) => p.id === j.planId);
  if (!plan) return {};
  const rule = plan.rules[0]?.name ?? '';
  return { CreatedBy: { BackupPlanId: plan.id, BackupPlanArn: planArn(ctx, plan.id), BackupPlanVersion: versionIdOf(plan), BackupRuleId: ruleIdOf(plan, rule) } };
}

/** A BackupJob as ListBackupJobs and DescribeBackupJob return it (fields left unset are left out). */
function jobBody(ctx: Ctx, j: BackupJob) {
  const recoveryPointArn = recoveryPointArnOf(ctx, j);
  const messageCategory = messageCategoryOf(j);
  return {
    AccountId: ctx.world.accountId,
    BackupJobId: j.id,
    BackupVaultName: j.backupVaultName,
    BackupVaultArn: `arn:aws:backup:${ctx.region}:${ctx.world.accountId}:backup-vault:${j.backupVaultName}`,
    ...(recoveryPointArn ? { RecoveryPointArn: recoveryPointArn } : {}),
    ResourceArn: j.resourceArn,
    ResourceType: j.resourceType,
    CreationDate: epoch(j.creationDate),
    ...(j.completionDate ? { CompletionDate: epoch(j.completionDate) } : {}),
    State: j.state,
    ...(j.statusMessage !== undefined ? { StatusMessage: j.statusMessage } : {}),
    ...(messageCategory !== undefined ? { MessageCategory: messageCategory } : {}),
    IamRoleArn: j.iamRoleArn ?? `arn:aws:iam::${ctx.world.accountId}:role/service-role/AWSBackupDefaultServiceRole`,
    ...createdBy(ctx, j),
    ...(j.backupOptions ? { BackupOptions: j.backupOptions } : {}),
    ...(j.backupType !== undefined ? { BackupType: j.backupType } : {}),
    IsParent: false,
  };
}

const within = (t: number | undefined, after: number | undefined, before: number | undefined) =>
  (after === undefined || (t !== undefined && t > after)) && (before === undefined || (t !== undefined && t < before));

const listBackupJobs: JsonHandler = (ctx) => {
  const q = ctx.params;
  const str = (name: string) => (typeof q[name] === 'string' ? (q[name] as string) : undefined);
  const state = str('state');
  if (state !== undefined && !(backupJobStates as readonly string[]).includes(state)) {
    throw validationError('backup', `1 validation error detected: Value '${state}' at 'byState' failed to satisfy constraint: Member must satisfy enum value set: [${backupJobStates.join(', ')}]`);
  }
  const [createdAfter, createdBefore] = [queryTime('backup', q, 'createdAfter'), queryTime('backup', q, 'createdBefore')];
  const [completeAfter, completeBefore] = [queryTime('backup', q, 'completeAfter'), queryTime('backup', q, 'completeBefore')];
  const category = str('messageCategory');
  const account = str('accountId');
  const rows = regionOf(ctx.world, ctx.region)
    .backupJobs.filter((j) => str('resourceArn') === undefined || j.resourceArn === str('resourceArn'))
    .filter((j) => state === undefined || j.state === state)
    .filter((j) => str('resourceType') === undefined || j.resourceType === str('resourceType'))
    .filter((j) => str('backupVaultName') === undefined || j.backupVaultName === str('backupVaultName'))
    // ByMessageCategory: "The value ANY returns count of all message categories" (API_ListBackupJobs).
    .filter((j) => category === undefined || category === 'ANY' || messageCategoryOf(j) === category)
    // The world has no composite (parent) jobs, so no job has a parent.
    .filter(() => (account === undefined || account === '*' || account === ctx.world.accountId) && str('parentJobId') === undefined)
    .filter((j) => within(Date.parse(j.creationDate), createdAfter, createdBefore))
    .filter((j) => within(j.completionDate ? Date.parse(j.completionDate) : undefined, completeAfter, completeBefore))
    // Newest first (unverified: the API reference does not state an order).
    .sort((a, b) => Date.parse(b.creationDate) - Date.parse(a.creationDate));
  const page = restPage(ctx, 'backup', rows, 1000, badNextToken);
  return { BackupJobs: page.items.map((j) => jobBody(ctx, j)), ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
};

const describeBackupJob: JsonHandler = (ctx) => {
  const job = regionOf(ctx.world, ctx.region).backupJobs.find((j) => j.id === ctx.params.BackupJobId);
  if (!job) throw notFound(`Backup job ${String(ctx.params.BackupJobId)}`);
  return jobBody(ctx, job);
};

export const backupJobRoutes: RestRoute[] = [
  { method: 'GET', path: '/backup-jobs', action: 'ListBackupJobs', handler: listBackupJobs },
  { method: 'GET', path: '/backup-jobs/{BackupJobId}', action: 'DescribeBackupJob', handler: describeBackupJob },
];
