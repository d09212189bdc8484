import { z } from 'zod';
import { scanError } from '../facts/snapshot.js';

/**
 * The `--format json` document: the stable contract for scripts. Additive changes keep
 * schemaVersion 1; anything else bumps it. `npm run schema` writes report.schema.json from this.
 */
export const REPORT_SCHEMA_VERSION = 1;

const verdict = z.enum(['application-consistent', 'vss-fallback', 'no-vss', 'unknown']);
const definiteVerdict = z.enum(['application-consistent', 'vss-fallback', 'no-vss']);

export const suppressionSchema = z.object({
  reason: z.string(),
  expires: z.string().describe('ISO date after which the suppression no longer applies.'),
  source: z.string().describe('Where it was declared: the suppressions file and entry.'),
});

export const findingSchema = z.object({
  ruleId: z.string(),
  status: z.enum(['pass', 'fail', 'warn', 'unknown', 'skip']),
  message: z.string(),
  evidence: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  fix: z.string().optional(),
  suppressed: suppressionSchema.optional().describe('Present when a suppression hides this finding from the verdict and --fail-on.'),
});

export const fixPlanStepSchema = z.object({
  ruleId: z.string(),
  status: z.enum(['fail', 'warn']),
  action: z.string().describe('What the step fixes: the finding message, or the rule and count for a group.'),
  command: z.string().describe('The fix, with the instance ids of the group filled in where the command takes several.'),
  instances: z.array(z.string()),
});

export const instanceReportSchema = z.object({
  instanceId: z.string(),
  accountId: z.string(),
  region: z.string(),
  name: z.string().nullable(),
  state: z.string(),
  instanceType: z.string(),
  verdict,
  possibleVerdicts: z.array(definiteVerdict).describe('Verdicts the unknown findings leave open; one entry unless verdict is unknown.'),
  verdictOnceRunning: verdict.describe('The verdict without the findings that only a stopped or pending instance causes.'),
  gateVerdict: verdict.describe('The verdict --fail-on checks: suppressed findings left out. Equals verdict when nothing is suppressed.'),
  expectedJobStatus: z.enum(['Completed', 'Completed with issues']).nullable(),
  reason: z.string().nullable().describe('The first failing (else unknown, else warning) finding message.'),
  findings: z.array(findingSchema),
  selections: z.array(z.string()).optional().describe('check-plan: the plan selections that cover the instance.'),
  lastBackupJob: z
    .object({
      jobId: z.string(),
      creationDate: z.string().nullable(),
      state: z.string(),
      outcome: z.enum(['vss-succeeded', 'completed-with-issues', 'crash-consistent', 'vss-off', 'failed', 'in-progress']),
      statusMessage: z.string().nullable(),
      agreesWithVerdict: z.boolean().nullable().describe('null when the job says nothing about VSS'),
    })
    .optional()
    .describe('--with-history: the newest EC2 backup job of the last 30 days.'),
});

export const summarySchema = z.object({
  instances: z.number().int(),
  'application-consistent': z.number().int(),
  'vss-fallback': z.number().int(),
  'no-vss': z.number().int(),
  unknown: z.number().int(),
});

export const accountSummarySchema = summarySchema.extend({
  accountId: z.string(),
  status: z.enum(['ok', 'partial', 'failed']).describe('ok: every read succeeded; partial: some AWS reads failed; failed: nothing could be read (e.g. the role could not be assumed).'),
  reason: z.string().nullable().describe('Why the account is partial or failed (the AWS errors in it); null when ok.'),
});

export const planReportSchema = z.object({
  id: z.string().nullable(),
  name: z.string(),
  region: z.string(),
  vssEnabled: z.boolean().describe('Whether the plan already has WindowsVSS enabled (AdvancedBackupSettings).'),
  unmatchedSelections: z.array(z.string()).describe('Selections that cover no instance.'),
  today: z.string().describe('What the covered instances get with the plan as it is.'),
  changeSummary: z.string().describe('One paragraph for a change request: what enabling VSS on this plan gives.'),
});

export const reportSchema = z.object({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  generatedAt: z.string().describe('When the facts were collected (ISO 8601).'),
  regions: z.array(z.string()),
  accountIds: z.array(z.string()),
  summary: summarySchema,
  accounts: z.array(accountSummarySchema).optional().describe('Per account, present when the report covers more than one account.'),
  skippedRules: z.array(z.string()),
  expiredSuppressions: z
    .array(z.object({ source: z.string(), reason: z.string(), expires: z.string(), rules: z.array(z.string()) }))
    .describe('Suppressions past their expiry date: no longer applied.'),
  instances: z.array(instanceReportSchema),
  plan: planReportSchema.optional().describe('check-plan: the plan checked.'),
  fixPlan: z.array(fixPlanStepSchema).describe('Failing and warning findings grouped by the action that fixes them, most instances first.'),
  errors: z.array(scanError),
});

export type Report = z.infer<typeof reportSchema>;
export type InstanceReport = z.infer<typeof instanceReportSchema>;
export type Summary = z.infer<typeof summarySchema>;
export type AccountSummary = z.infer<typeof accountSummarySchema>;
export type Finding = z.infer<typeof findingSchema>;
export type FixPlanStep = z.infer<typeof fixPlanStepSchema>;
export type PlanReport = z.infer<typeof planReportSchema>;
