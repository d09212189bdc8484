import type { Snapshot } from '../facts/snapshot.js';
import { REPORT_SCHEMA_VERSION, type InstanceReport, type Report, type Summary } from '../report/schema.js';
import { accountSummaries } from './accounts.js';
import { buildFixPlan } from './fix-plan.js';
import { runRules, subjectOf, pool, type Judgement, type Pool } from './run.js';
import { suppressionFor, type ExpiredSuppression, type Suppression } from './suppressions.js';
import type { Rule, Subject } from './types.js';
import { EXPECTED_JOB_STATUS, verdictOf } from './verdict.js';

const REASON_ORDER = ['fail', 'unknown', 'warn'] as const;

function reasonOf(judged: Judgement[]): string | null {
  for (const status of REASON_ORDER) {
    const hit = judged.find((j) => j.status === status);
    if (hit) return hit.finding.message;
  }
  return null;
}

export interface ReportOptions {
  skippedRules?: string[];
  suppressions?: { active: Suppression[]; expired: ExpiredSuppression[] };
}

/** The report of one instance: its rules' judgements, suppressions applied, and the verdicts they give. */
export function judgeInstance(subject: Subject, rules: readonly Rule[], suppressions: readonly Suppression[], shared: Pool): InstanceReport {
  const { instance } = subject;
  const judged = runRules(rules, subject, shared);
  let suppressed = false;
  if (suppressions.length) {
    judged.forEach((j, i) => {
      const f = j.finding;
      const s = f.status !== 'pass' && f.status !== 'skip' ? suppressionFor(suppressions, f.ruleId, instance) : undefined;
      if (s) {
        // Its own judgement and finding: both may be shared by other instances.
        judged[i] = { ...j, finding: { ...f, suppressed: { reason: s.reason, expires: s.expires, source: s.source } } };
        suppressed = true;
      }
    });
  }
  const { verdict, possible } = verdictOf(judged);
  // What the instance gets once it runs: leave out the findings that only its state causes.
  const onceRunning = judged.some((j) => j.transient && (j.status === 'fail' || j.status === 'unknown')) ? verdictOf(judged.filter((j) => !j.transient)).verdict : verdict;
  // What --fail-on judges: the prediction without the findings someone accepted.
  const gateVerdict = suppressed ? verdictOf(judged.filter((j) => !j.finding.suppressed)).verdict : verdict;
  return {
    instanceId: instance.instanceId,
    accountId: instance.accountId,
    region: instance.region,
    name: instance.name,
    state: instance.state,
    instanceType: instance.instanceType,
    verdict,
    possibleVerdicts: possible,
    verdictOnceRunning: onceRunning,
    gateVerdict,
    expectedJobStatus: EXPECTED_JOB_STATUS[verdict] as InstanceReport['expectedJobStatus'],
    reason: reasonOf(judged),
    findings: judged.map((j) => j.finding),
  };
}

/** The report of a snapshot whose instances are already judged (`instances`, in snapshot order). */
export function assembleReport(snapshot: Snapshot, instances: InstanceReport[], rules: readonly Rule[], options: ReportOptions = {}): Report {
  const { skippedRules = [], suppressions = { active: [], expired: [] } } = options;
  const summary: Summary = { instances: 0, 'application-consistent': 0, 'vss-fallback': 0, 'no-vss': 0, unknown: 0 };
  for (const i of instances) {
    summary.instances++;
    summary[i.verdict]++;
  }
  const accounts = accountSummaries(snapshot, instances);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    generatedAt: snapshot.generatedAt,
    regions: snapshot.regions,
    accountIds: snapshot.accountIds,
    summary,
    ...(accounts ? { accounts } : {}),
    skippedRules,
    expiredSuppressions: suppressions.expired,
    instances,
    fixPlan: buildFixPlan(instances, rules),
    errors: snapshot.errors,
  };
}

/** Evaluate every instance in the snapshot; each appears exactly once, in snapshot order. */
export function buildReport(snapshot: Snapshot, rules: readonly Rule[], options: ReportOptions = {}): Report {
  const active = options.suppressions?.active ?? [];
  const shared = pool();
  const instances = snapshot.instances.map((instance) => judgeInstance(subjectOf(instance, snapshot), rules, active, shared));
  return assembleReport(snapshot, instances, rules, options);
}
