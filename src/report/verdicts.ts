import type { AccountSummary, InstanceReport, Report } from './schema.js';

export type Verdict = InstanceReport['verdict'];

/** Best first: the order every human-readable format lists verdicts in. */
export const VERDICTS: readonly Verdict[] = ['application-consistent', 'vss-fallback', 'no-vss', 'unknown'];

/** What each verdict means on the AWS Backup job (vss-facts §1). */
export const VERDICT_MEANING: Record<Verdict, string> = {
  'application-consistent': 'Completed: VSS snapshot, application-consistent',
  'vss-fallback': 'Completed with issues: VSS attempted and failed, crash-consistent',
  'no-vss': 'Completed: VSS never attempted, silently crash-consistent',
  unknown: 'cannot tell: a deciding fact could not be read',
};

export const instanceArn = (i: Pick<InstanceReport, 'region' | 'accountId' | 'instanceId'>) =>
  `arn:aws:ec2:${i.region}:${i.accountId}:instance/${i.instanceId}`;

/** The scan errors as one line each, the way the table prints them (with the account in a multi-account report). */
export const errorLine = (e: Report['errors'][number]) =>
  `${e.accountId ? `account ${e.accountId}: ` : ''}${e.service}:${e.action}${e.region ? ` in ${e.region}` : ''}: ${e.code}${e.count && e.count > 1 ? ` (x${e.count})` : ''}: ${e.message}`;

/** One account of a multi-account report, as the table and markdown say it. */
export const accountLine = (a: AccountSummary) =>
  `${a.instances} instance${a.instances === 1 ? '' : 's'}: ${VERDICTS.map((v) => `${a[v]} ${v}`).join(', ')}`;
