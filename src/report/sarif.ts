import type { Rule } from '../engine/types.js';
import type { Finding, InstanceReport, Report } from './schema.js';
import { jsonDocument, LazyArray } from './json-chunks.js';
import { errorLine, instanceArn } from './verdicts.js';

/** The OASIS SARIF 2.1.0 schema (errata 01), which the document declares itself against. */
const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
/** Where the tool is described: its npm page (the package name in package.json). */

type Level = 'error' | 'warning' | 'note';
const LEVEL: Partial<Record<Finding['status'], Level>> = { fail: 'error', warn: 'warning', unknown: 'note' };
const DEFAULT_LEVEL: Record<Rule['severity'], Level> = { error: 'error', warning: 'warning', info: 'note' };

/** A reportingDescriptor: the rule's title, why it matters and its fix, or just its id when no metadata was given. */
function descriptor(id: string, rule: Rule | undefined) {
  if (!rule) return { id, shortDescription: { text: id } };
  return {
    id,
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.why },
    help: { text: `${rule.why}\n\nFix: ${rule.fix}` },
    ...(rule.sources[0] ? { helpUri: rule.sources[0] } : {}),
    defaultConfiguration: { level: DEFAULT_LEVEL[rule.severity] },
    properties: { consequence: rule.consequence, detection: rule.detection, sources: rule.sources },
  };
}

function result(i: InstanceReport, f: Finding, level: Level, ruleIndex: number) {
  const arn = instanceArn(i);
  return {
    ruleId: f.ruleId,
    ruleIndex,
    level,
    message: { text: f.message },
    locations: [{ logicalLocations: [{ fullyQualifiedName: arn, name: i.instanceId, kind: 'resource' }] }],
    // Stable across scans, so a results viewer can tell a new finding from a known one.
    partialFingerprints: { 'vssPreflightFinding/v1': `${f.ruleId}|${arn}` },
    ...(f.suppressed
      ? {
          suppressions: [
            {
              kind: 'external',
              status: 'accepted',
              justification: f.suppressed.reason,
              properties: { expires: f.suppressed.expires, source: f.suppressed.source },
            },
          ],
        }
      : {}),
    properties: {
      instanceName: i.name,
      accountId: i.accountId,
      region: i.region,
      verdict: i.verdict,
      verdictOnceRunning: i.verdictOnceRunning,
      gateVerdict: i.gateVerdict,
      expectedJobStatus: i.expectedJobStatus,
      status: f.status,
      evidence: f.evidence,
      ...(f.fix ? { fix: f.fix } : {}),
    },
  };
}

/**
 * SARIF 2.1.0: one run; one result per fail (error), warn (warning) and unknown (note) finding,
 * located by the instance ARN as a logical location; scan errors as tool notifications.
 */
export function sarifChunks(report: Report, options: { rules?: readonly Rule[] }): Iterable<string> {
  const metadata = new Map((options.rules ?? []).map((r) => [r.id, r]));
  const ruleIds: string[] = [];
  const index = new Map<string, number>();
  for (const i of report.instances) {
    for (const f of i.findings) if (!index.has(f.ruleId)) index.set(f.ruleId, ruleIds.push(f.ruleId) - 1);
  }
  // Made as they are written: a fleet's results are far more than its report.
  const results = new LazyArray(function* () {
    for (const i of report.instances) {
      for (const f of i.findings) {
        const level = LEVEL[f.status];
        if (level) yield result(i, f, level, index.get(f.ruleId)!);
      }
    }
  });
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'vss-preflight', rules: ruleIds.map((id) => descriptor(id, metadata.get(id))) } },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: report.errors.map((e) => ({
              level: 'warning',
              message: { text: errorLine(e) },
              descriptor: { id: e.code },
              properties: { service: e.service, action: e.action, region: e.region, count: e.count ?? 1 },
            })),
          },
        ],
        results,
        properties: {
          generatedAt: report.generatedAt,
          regions: report.regions,
          accountIds: report.accountIds,
          summary: report.summary,
          skippedRules: report.skippedRules,
          expiredSuppressions: report.expiredSuppressions,
        },
      },
    ],
  };
  // log > runs > run > results > one result: each result is stringified on its own.
  return jsonDocument(log, 4);
}
