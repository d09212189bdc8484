import { z } from 'zod';
import type { InstanceReport } from '../report/schema.js';

/** One EC2 backup job as backup:ListBackupJobs returns it (vss-facts §5, BKP-API). */
export const backupJobFacts = z.object({
  jobId: z.string(),
  instanceId: z.string().nullable(), // from ResourceArn
  resourceArn: z.string(),
  state: z.string(), // CREATED | PENDING | RUNNING | ABORTING | ABORTED | COMPLETED | FAILED | EXPIRED | PARTIAL
  statusMessage: z.string().nullable(),
  messageCategory: z.string().nullable(),
  windowsVss: z.boolean(), // BackupOptions.WindowsVSS == enabled
  backupType: z.string().nullable(), // "WindowsVSS" only when VSS succeeded
  creationDate: z.string().nullable(),
});
export type BackupJobFacts = z.infer<typeof backupJobFacts>;

export type JobOutcome = 'vss-succeeded' | 'completed-with-issues' | 'crash-consistent' | 'vss-off' | 'failed' | 'in-progress';

/**
 * What a job really gave. BackupType "WindowsVSS" is the authoritative evidence of VSS; "Completed
 * with issues" is COMPLETED with a MessageCategory other than SUCCESS, not an API state
 * (vss-facts §1, §5: BKP-API, BKP-DASH). A COMPLETED job with the VSS option on and no WindowsVSS
 * type was crash-consistent without a word.
 */
export function classifyJob(job: BackupJobFacts): JobOutcome {
  if (['CREATED', 'PENDING', 'RUNNING', 'ABORTING'].includes(job.state)) return 'in-progress';
  if (job.state !== 'COMPLETED') return 'failed';
  if (job.backupType === 'WindowsVSS') return 'vss-succeeded';
  if (!job.windowsVss) return 'vss-off';
  if (job.messageCategory && job.messageCategory !== 'SUCCESS') return 'completed-with-issues';
  return 'crash-consistent';
}

/** The verdict a job outcome corresponds to; undefined when the job says nothing about VSS. */
export const VERDICT_OF: Partial<Record<JobOutcome, InstanceReport['verdict']>> = {
  'vss-succeeded': 'application-consistent',
  'completed-with-issues': 'vss-fallback',
  'crash-consistent': 'no-vss',
};

/** AWS Backup's VSS status messages (vss-facts §5, BKP-DASH, BKP-VSS) → the rule that predicts them (inferred). */
const MESSAGE_RULES: [RegExp, string[]][] = [
  [/ec2-vss-agent\.exe is not installed/i, ['vss-components-installed']],
  [/unsupported Windows Server version/i, ['windows-server-supported']],
  [/invalid state or insufficient privileges/i, ['ssm-managed', 'instance-running', 'instance-role-grants-vss']],
  [/insufficient privileges/i, ['instance-role-grants-vss', 'vss-package-matches-policy', 'scp-allows-vss']],
  [/timeout/i, ['manual-checks']],
];

export const rulesForMessage = (message: string | null): string[] => (message ? (MESSAGE_RULES.find(([re]) => re.test(message))?.[1] ?? []) : []);

export interface Comparison {
  instanceId: string;
  jobId: string;
  jobDate: string | null;
  outcome: JobOutcome;
  predicted: InstanceReport['verdict'];
  agrees: boolean;
  /** drift: a fact changed since the job; gap: our rules missed a cause, or judge too strictly. */
  kind?: 'drift' | 'gap';
  explanation: string;
}

/** Compare an instance's last telling job with today's prediction. */
export function compare(instance: InstanceReport, job: BackupJobFacts): Comparison | undefined {
  const outcome = classifyJob(job);
  const seen = VERDICT_OF[outcome];
  if (!seen || instance.verdict === 'unknown') return undefined;
  const base = { instanceId: instance.instanceId, jobId: job.jobId, jobDate: job.creationDate, outcome, predicted: instance.verdict };
  if (seen === instance.verdict) return { ...base, agrees: true, explanation: `The last job (${outcome}) matches the prediction.` };
  const failing = instance.findings.filter((f) => f.status === 'fail').map((f) => f.ruleId);
  const named = rulesForMessage(job.statusMessage);
  const message = job.statusMessage ? ` AWS said: "${job.statusMessage}".` : '';
  if (outcome === 'completed-with-issues') {
    const nowPassing = named.filter((r) => instance.findings.find((f) => f.ruleId === r)?.status === 'pass');
    if (named.length && named[0] !== 'manual-checks' && nowPassing.length === named.filter((r) => instance.findings.some((f) => f.ruleId === r)).length) {
      return { ...base, agrees: false, kind: 'drift', explanation: `The job fell back, for a cause ${nowPassing.join('/')} checks, which passes now: probably fixed since.${message}` };
    }
    return { ...base, agrees: false, kind: 'gap', explanation: `The job fell back for a cause no rule sees (${named.join(', ') || 'no rule matches the message'}).${message}` };
  }
  if (outcome === 'vss-succeeded') {
    return { ...base, agrees: false, kind: 'drift', explanation: `VSS worked at the last job, but ${failing.join(', ') || 'a rule'} fails now: the instance changed since, or the rule judges too strictly.` };
  }
  return {
    ...base,
    agrees: false,
    kind: failing.length ? 'drift' : 'gap',
    explanation: `The job was crash-consistent with VSS on (VSS never attempted); today the prediction is ${instance.verdict}.${message}`,
  };
}
