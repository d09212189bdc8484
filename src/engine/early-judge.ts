import type { Snapshot } from '../facts/snapshot.js';
import type { InstanceReport, Report } from '../report/schema.js';
import { assembleReport, judgeInstance, type ReportOptions } from './report.js';
import { pool, subjectOf } from './run.js';
import type { Suppression } from './suppressions.js';
import type { Rule, Subject } from './types.js';

/** Instances judged between two turns of the event loop: the scan's other requests keep flowing. */
const SLICE = 500;

const unknownReason = (v: unknown) => (v !== null && typeof v === 'object' && (v as { known?: unknown }).known === false ? (v as { reason?: unknown }).reason : undefined);

/** The same facts: the same objects, or two unknowns for the same reason (a fact not collected is made anew at each look-up). */
function sameFact(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const reason = unknownReason(a);
  return reason !== undefined && reason === unknownReason(b);
}

function sameSubject(a: Subject, b: Subject): boolean {
  const keys = Object.keys(a) as (keyof Subject)[];
  return keys.length === Object.keys(b).length && keys.every((k) => sameFact(a[k], b[k]));
}

/**
 * Judges each account of a multi-account scan as soon as its facts are in, while the other
 * accounts are still being read: at issue 7's 50,000 instances the rules took a second after
 * the last AWS call. The report is the one buildReport gives for the merged snapshot. Rules are
 * pure functions of an instance's subject, so an instance judged early is kept only if its
 * subject in the merged snapshot is made of the same facts, and judged again otherwise (a role
 * another account also read, a merged snapshot older than the one it was judged against).
 */
export class EarlyJudge {
  private shared = pool();
  /** Each account's snapshot as judged (dated as of the oldest so far), with its instances' reports in order. */
  private shards: { dated: Snapshot; reports: InstanceReport[] }[] = [];
  private readonly active: readonly Suppression[];
  private asOf: string | undefined;
  private work: Promise<void> = Promise.resolve();

  constructor(
    private readonly rules: readonly Rule[],
    private readonly options: ReportOptions = {},
  ) {
    this.active = options.suppressions?.active ?? [];
  }

  /** One account's snapshot, judged in slices from now on. */
  add(snapshot: Snapshot): void {
    // A merged snapshot is as of its oldest shard (facts/merge.ts): as a rule, the first one in.
    if (this.asOf === undefined || Date.parse(snapshot.generatedAt) < Date.parse(this.asOf)) this.asOf = snapshot.generatedAt;
    const shard = { dated: { ...snapshot, generatedAt: this.asOf }, reports: [] as InstanceReport[] };
    this.shards.push(shard);
    this.work = this.work.then(() => this.judge(shard.dated, shard.reports));
    this.work.catch(() => {}); // a bug surfaces in report(), which awaits the work, not as an unhandled rejection
  }

  private async judge(snapshot: Snapshot, reports: InstanceReport[]): Promise<void> {
    const { instances } = snapshot;
    for (let at = 0; at < instances.length; at += SLICE) {
      for (const instance of instances.slice(at, at + SLICE)) reports.push(this.judgeOne(subjectOf(instance, snapshot)));
      await new Promise<void>((next) => setImmediate(next));
    }
  }

  private judgeOne(subject: Subject): InstanceReport {
    return judgeInstance(subject, this.rules, this.active, this.shared);
  }

  /** The report of the merged snapshot: each instance's early judgement where it still holds. */
  async report(merged: Snapshot): Promise<Report> {
    await this.work;
    const early = new Map<Subject['instance'], InstanceReport>();
    for (const { dated, reports } of this.shards) {
      dated.instances.forEach((instance, k) => {
        if (sameSubject(subjectOf(instance, dated), subjectOf(instance, merged))) early.set(instance, reports[k]!);
      });
    }
    const instances = merged.instances.map((instance) => early.get(instance) ?? this.judgeOne(subjectOf(instance, merged)));
    // What only judging needed goes before the report is written.
    this.shards = [];
    this.shared = pool();
    return assembleReport(merged, instances, this.rules, this.options);
  }
}
