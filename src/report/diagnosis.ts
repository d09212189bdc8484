import type { Rule } from '../engine/types.js';
import type { VssRun } from '../facts/snapshot.js';
import type { BackupJobFacts, JobOutcome } from '../history/classify.js';
import type { InstanceReport, Report } from './schema.js';
import { safeText } from './table.js';

export interface Diagnosis {
  schemaVersion: 1;
  generatedAt: string;
  instance: InstanceReport;
  /** The last AWSEC2-CreateVssSnapshot runs, newest first; a reason when they could not be read. */
  vssRuns: VssRun[] | { unavailable: string };
  /** The instance's last EC2 backup jobs (30 days), newest first, with their real outcome. */
  backupJobs: (BackupJobFacts & { outcome: JobOutcome })[] | { unavailable: string };
  errors: Report['errors'];
}

const LABEL: Record<InstanceReport['findings'][number]['status'], string> = { pass: 'ok', fail: 'FAIL', warn: 'warn', unknown: '??', skip: '--' };

const JOB_STATUS: Record<InstanceReport['verdict'], string> = {
  'application-consistent': 'AWS Backup will say Completed, and the backup will be application-consistent.',
  'vss-fallback': 'AWS Backup will say "Completed with issues": VSS is attempted, fails, and the backup is crash-consistent.',
  'no-vss': 'AWS Backup will say Completed, but VSS is never attempted: the backup is silently crash-consistent.',
  unknown: 'The outcome depends on facts that could not be read (below).',
};

/** The narrative `diagnose` prints: checks in order with evidence, verdict, fixes as a checklist, manual checks, history. */
export function renderDiagnosis(d: Diagnosis, rules: readonly Rule[]): string {
  const i = d.instance;
  const title = new Map(rules.map((r) => [r.id, r.title]));
  const out: string[] = [];
  out.push(`${i.instanceId}${i.name ? ` (${safeText(i.name)})` : ''}: ${i.region}, account ${i.accountId}, ${i.state}, ${i.instanceType}`, '');
  out.push(`Verdict: ${i.verdict}${i.verdict === 'unknown' ? ` (one of ${i.possibleVerdicts.join(', ')})` : ''}`, `  ${JOB_STATUS[i.verdict]}`);
  if (i.verdictOnceRunning !== i.verdict) out.push(`  Once the instance is running: ${i.verdictOnceRunning}.`);
  out.push('', 'Checks');
  for (const f of i.findings) {
    if (f.ruleId === 'manual-checks') continue;
    out.push(`  [${LABEL[f.status].padEnd(4)}] ${f.ruleId}: ${title.get(f.ruleId) ?? ''}`, `         ${safeText(f.message)}${f.suppressed ? ` (suppressed until ${f.suppressed.expires}: ${safeText(f.suppressed.reason)})` : ''}`);
    if (f.status !== 'skip') for (const [k, v] of Object.entries(f.evidence)) out.push(`           ${k}: ${safeText(v === null ? '(none)' : String(v))}`);
  }
  const fixes = i.findings.filter((f) => (f.status === 'fail' || f.status === 'unknown' || f.status === 'warn') && f.fix && !f.suppressed && f.ruleId !== 'manual-checks');
  const order = { fail: 0, unknown: 1, warn: 2 } as Record<string, number>;
  fixes.sort((a, b) => order[a.status]! - order[b.status]!);
  // Two rules can call for the same command (an old package fails one and warns another): list it once.
  const steps = fixes.filter((f, n) => !fixes.slice(0, n).some((earlier) => earlier.fix!.includes(f.fix!)));
  out.push('', steps.length ? 'Fix, in this order' : 'Nothing to fix.');
  steps.forEach((f, n) => out.push(`  ${n + 1}. [${f.ruleId}] ${safeText(f.fix!)}`));
  const manual = i.findings.find((f) => f.ruleId === 'manual-checks' && f.fix);
  if (manual) {
    out.push('', 'Check on the instance (no AWS API shows these), in Windows PowerShell');
    for (const line of manual.fix!.split('\n')) out.push(`  ${safeText(line)}`);
  }
  out.push('', 'Recent AWSEC2-CreateVssSnapshot runs');
  if ('unavailable' in d.vssRuns) out.push(`  not available: ${safeText(d.vssRuns.unavailable)}`);
  else if (!d.vssRuns.length) out.push('  none in the command history (SSM keeps about 30 days)');
  else
    for (const r of d.vssRuns) {
      out.push(`  ${r.requestedDateTime ?? '?'}  ${r.status}${r.statusDetails && r.statusDetails !== r.status ? ` (${safeText(r.statusDetails)})` : ''}  command ${r.commandId}`);
      if (r.output && r.status !== 'Success') out.push(`    ${safeText(r.output.split('\n')[0]!)}`);
    }
  out.push('', 'Recent AWS Backup jobs');
  if ('unavailable' in d.backupJobs) out.push(`  not available: ${safeText(d.backupJobs.unavailable)}`);
  else if (!d.backupJobs.length) out.push('  none in the last 30 days');
  else
    for (const j of d.backupJobs) {
      out.push(`  ${j.creationDate ?? '?'}  ${j.outcome} (${j.state}${j.backupType ? `, BackupType ${j.backupType}` : ''})  job ${safeText(j.jobId)}`);
      if (j.statusMessage) out.push(`    ${safeText(j.statusMessage)}`);
    }
  for (const e of d.errors) out.push('', `Could not read ${e.service}:${e.action}${e.region ? ` in ${e.region}` : ''}: ${e.code}`);
  return `${out.join('\n')}\n`;
}
