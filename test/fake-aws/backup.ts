/**
 * AWS Backup (restJson1): ListBackupPlans, GetBackupPlan, ListBackupSelections, GetBackupSelection,
 * and the helpers backup-jobs.ts shares. Paths as the SDK's serializers send them; the API reference
 * (API_ListBackupPlans.html etc.) writes them with a trailing slash, which restRequest ignores.
 */
import type { BackupPlan, BackupSelection } from './backup-world.js';
import { fakeId, type Ctx, type JsonHandler } from './context.js';
import { ApiError } from './errors.js';
import { restPage, type RestRoute } from './rest-json.js';
import { epoch } from './ssm.js';
import { regionOf } from './world.js';

/**
 * Neither this nor the other errors below carry an httpError trait in the Backup model, and
 * the API reference lists "HTTP Status Code: 400" for ResourceNotFoundException (e.g.
 * API_DeleteBackupSelection.html), so 400 rather than 404.
 */
export const notFound = (what: string): ApiError => new ApiError('ResourceNotFoundException', `${what} not found`, 400);
export const badNextToken = (): ApiError => new ApiError('InvalidParameterValueException', 'The specified next token is not valid.');

export const planArn = (ctx: Ctx, id: string) => `arn:aws:backup:${ctx.region}:${ctx.world.accountId}:backup-plan:${id}`;
export const versionIdOf = (p: BackupPlan) => p.versionId ?? fakeId('', `version:${p.id}`, 40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789');
export const ruleIdOf = (p: BackupPlan, ruleName: string) => fakeId('', `rule:${p.id}:${ruleName}`, 32, '0123456789abcdef').replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');

/** API_AdvancedBackupSetting: only present when the plan sets the option. */
const advancedSettings = (p: BackupPlan) =>
  p.windowsVss ? { AdvancedBackupSettings: [{ ResourceType: 'EC2', BackupOptions: { WindowsVSS: p.windowsVss } }] } : {};

function planOf(ctx: Ctx, id: unknown): BackupPlan {
  const plan = regionOf(ctx.world, ctx.region).backupPlans.find((p) => p.id === id);
  if (!plan) throw notFound(`Backup plan ${String(id)}`);
  return plan;
}

const listBackupPlans: JsonHandler = (ctx) => {
  const includeDeleted = ctx.params.includeDeleted;
  if (includeDeleted !== undefined && includeDeleted !== 'true' && includeDeleted !== 'false') {
    throw new ApiError('SerializationException', `Invalid boolean '${String(includeDeleted)}' for includeDeleted`);
  }
  // The world holds no deleted plans, so includeDeleted changes nothing.
  const page = restPage(ctx, 'backup', regionOf(ctx.world, ctx.region).backupPlans, 1000, badNextToken);
  return {
    BackupPlansList: page.items.map((p) => ({
      BackupPlanArn: planArn(ctx, p.id),
      BackupPlanId: p.id,
      BackupPlanName: p.name,
      VersionId: versionIdOf(p),
      CreationDate: epoch(p.creationDate),
      ...advancedSettings(p),
    })),
    ...(page.nextToken ? { NextToken: page.nextToken } : {}),
  };
};

const getBackupPlan: JsonHandler = (ctx) => {
  const p = planOf(ctx, ctx.params.BackupPlanId);
  const versionId = ctx.params.versionId;
  if (versionId !== undefined && versionId !== versionIdOf(p)) throw notFound(`Backup plan ${p.id} version ${String(versionId)}`);
  return {
    BackupPlan: {
      BackupPlanName: p.name,
      Rules: p.rules.map((r) => ({
        RuleName: r.name,
        TargetBackupVaultName: r.targetBackupVaultName,
        ScheduleExpression: r.scheduleExpression,
        StartWindowMinutes: 480,
        CompletionWindowMinutes: 10080,
        RuleId: ruleIdOf(p, r.name),
      })),
      ...advancedSettings(p),
    },
    BackupPlanId: p.id,
    BackupPlanArn: planArn(ctx, p.id),
    VersionId: versionIdOf(p),
    CreationDate: epoch(p.creationDate),
    // GetBackupPlanOutput also has a top-level AdvancedBackupSettings member (API model).
    ...advancedSettings(p),
  };
};

const listBackupSelections: JsonHandler = (ctx) => {
  const p = planOf(ctx, ctx.params.BackupPlanId);
  const page = restPage(ctx, 'backup', p.selections, 1000, badNextToken);
  return {
    BackupSelectionsList: page.items.map((s) => ({
      SelectionId: s.id,
      SelectionName: s.name,
      BackupPlanId: p.id,
      CreationDate: epoch(s.creationDate),
      IamRoleArn: s.iamRoleArn,
    })),
    ...(page.nextToken ? { NextToken: page.nextToken } : {}),
  };
};

const params = (list: Array<{ conditionKey: string; conditionValue: string }> | undefined) => (list ?? []).map((c) => ({ ConditionKey: c.conditionKey, ConditionValue: c.conditionValue }));

/** Lists the selection did not set come back empty (unverified against a real account). */
function selectionBody(s: BackupSelection) {
  const c = s.conditions ?? {};
  return {
    SelectionName: s.name,
    IamRoleArn: s.iamRoleArn,
    Resources: s.resources ?? [],
    NotResources: s.notResources ?? [],
    ListOfTags: (s.listOfTags ?? []).map((t) => ({ ConditionType: t.conditionType, ConditionKey: t.conditionKey, ConditionValue: t.conditionValue })),
    Conditions: {
      StringEquals: params(c.stringEquals),
      StringNotEquals: params(c.stringNotEquals),
      StringLike: params(c.stringLike),
      StringNotLike: params(c.stringNotLike),
    },
  };
}

const getBackupSelection: JsonHandler = (ctx) => {
  const p = planOf(ctx, ctx.params.BackupPlanId);
  const s = p.selections.find((x) => x.id === ctx.params.SelectionId);
  if (!s) throw notFound(`Backup selection ${String(ctx.params.SelectionId)} of plan ${p.id}`);
  return { BackupSelection: selectionBody(s), SelectionId: s.id, BackupPlanId: p.id, CreationDate: epoch(s.creationDate) };
};

export const backupPlanRoutes: RestRoute[] = [
  { method: 'GET', path: '/backup/plans', action: 'ListBackupPlans', handler: listBackupPlans },
  { method: 'GET', path: '/backup/plans/{BackupPlanId}', action: 'GetBackupPlan', handler: getBackupPlan },
  { method: 'GET', path: '/backup/plans/{BackupPlanId}/selections', action: 'ListBackupSelections', handler: listBackupSelections },
  { method: 'GET', path: '/backup/plans/{BackupPlanId}/selections/{SelectionId}', action: 'GetBackupSelection', handler: getBackupSelection },
];
