import type { VssRun } from '../facts/snapshot.js';
import type { Report } from '../report/schema.js';
import { classifyJob, compare, type BackupJobFacts, type Comparison, type JobOutcome } from './classify.js';

/** A run of AWSEC2-CreateVssSnapshot somewhere in a region. */
export type RegionRun = VssRun & { instanceId: string };

export interface HistoryDocument {
  schemaVersion: 1;
  generatedAt: string;
  regions: string[];
  since: string;
  jobs: (BackupJobFacts & { outcome: JobOutcome })[];
  comparisons: (Comparison & { lastVssRun?: { status: string; requestedDateTime: string | null } })[];
  /** The AWSEC2-CreateVssSnapshot runs of the same days, where SSM's command history shows them. */
  vssRuns: RegionRun[];
  errors: Report['errors'];
}

/** The newest job per instance, as history and --with-history compare them. */
export function lastJobs(jobs: BackupJobFacts[]): Map<string, BackupJobFacts> {
  const last = new Map<string, BackupJobFacts>();
  for (const j of jobs) if (j.instanceId && !last.has(j.instanceId)) last.set(j.instanceId, j); // jobs come newest first
  return last;
}

/** --with-history: put each instance's newest job, and whether it agrees with the verdict, in the report. */
export function attachLastJobs(report: Report, jobs: BackupJobFacts[]): void {
  const last = lastJobs(jobs);
  for (const i of report.instances) {
    const job = last.get(i.instanceId);
    if (!job) continue;
    const c = compare(i, job);
    i.lastBackupJob = {
      jobId: job.jobId,
      creationDate: job.creationDate,
      state: job.state,
      outcome: classifyJob(job),
      statusMessage: job.statusMessage,
      agreesWithVerdict: c ? c.agrees : null,
    };
  }
}

export function historyDocument(report: Report, jobs: BackupJobFacts[], runs: RegionRun[], since: Date, errors: Report['errors']): HistoryDocument {
  const byId = new Map(report.instances.map((i) => [i.instanceId, i]));
  const lastRun = new Map<string, RegionRun>();
  for (const r of runs) {
    const seen = lastRun.get(r.instanceId);
    if (!seen || (r.requestedDateTime ?? '') > (seen.requestedDateTime ?? '')) lastRun.set(r.instanceId, r);
  }
  const comparisons = [...lastJobs(jobs)].flatMap(([id, job]) => {
    const instance = byId.get(id);
    const c = instance ? compare(instance, job) : undefined;
    const run = lastRun.get(id);
    return c ? [{ ...c, ...(run ? { lastVssRun: { status: run.status, requestedDateTime: run.requestedDateTime } } : {}) }] : [];
  });
  return {
    schemaVersion: 1,
    generatedAt: report.generatedAt,
    regions: report.regions,
    since: since.toISOString(),
    jobs: jobs.map((j) => ({ ...j, outcome: classifyJob(j) })),
    comparisons,
    vssRuns: runs,
    errors: [...report.errors, ...errors],
  };
}

/** The text `history` prints: job outcomes, then every disagreement with today's prediction. */
export function renderHistory(doc: HistoryDocument, names: Map<string, string | null>): string {
  const counts = new Map<string, number>();
  for (const j of doc.jobs) counts.set(j.outcome, (counts.get(j.outcome) ?? 0) + 1);
  const out = [
    `EC2 backup jobs since ${doc.since.slice(0, 10)} in ${doc.regions.join(', ')}: ${doc.jobs.length}` +
      (counts.size ? ` (${[...counts].map(([o, n]) => `${n} ${o}`).join(', ')})` : ''),
  ];
  const disagreements = doc.comparisons.filter((c) => !c.agrees);
  out.push(`Instances whose last job tells about VSS: ${doc.comparisons.length}; agreeing with today's prediction: ${doc.comparisons.length - disagreements.length}`);
  if (disagreements.length) out.push('', 'Disagreements');
  for (const c of disagreements) {
    const name = names.get(c.instanceId);
    const run = c.lastVssRun ? `; last VSS run ${c.lastVssRun.status} on ${c.lastVssRun.requestedDateTime?.slice(0, 10) ?? '?'}` : '';
    out.push(`  ${c.instanceId}${name ? ` (${name.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?')})` : ''}: job ${c.jobDate?.slice(0, 10) ?? '?'} ${c.outcome}, predicted ${c.predicted} [${c.kind}]${run}`, `    ${c.explanation}`);
  }
  for (const e of doc.errors) out.push('', `Could not read ${e.service}:${e.action}${e.region ? ` in ${e.region}` : ''}: ${e.code}`);
  return `${out.join('\n')}\n`;
}
