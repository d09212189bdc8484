import type { InstanceReport, Report } from './schema.js';
import { errorLine, VERDICT_MEANING, VERDICTS } from './verdicts.js';

/**
 * Inline text from AWS (tag values, messages): every character CommonMark or GitHub gives a
 * meaning (emphasis, links, HTML, entities, table cells, strikethrough, math, mentions, issue
 * refs) is backslash-escaped, which CommonMark allows for any ASCII punctuation; line breaks
 * become spaces so a value cannot end a table row or start a block.
 */
function text(value: string | null | undefined): string {
  return (value ?? '')
    .replace(/[\\`*_[\]<>|&~$#@!]/g, '\\$&')
    .replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, ''); // eslint-disable-line no-control-regex
}

/** A fenced block longer than any backtick run in the command, so the command cannot close it. */
function codeBlock(code: string, indent: string): string[] {
  const longest = Math.max(0, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  const lines = code.replace(/\r\n?/g, '\n').split('\n');
  return [fence, ...lines, fence].map((line) => `${indent}${line}`.trimEnd());
}

/** The prediction, and what --fail-on sees when a suppression accepts some of its findings. */
const verdictCell = (i: InstanceReport) => (i.gateVerdict === i.verdict ? i.verdict : `${i.verdict} (${i.gateVerdict} with suppressions)`);

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A summary, a table to paste into a pull or change request, then the fix plan as steps. */
export function renderMarkdown(report: Report): string {
  const out: string[] = ['# VSS preflight report', ''];
  out.push(
    `Facts collected ${text(report.generatedAt)} in ${report.regions.map(text).join(', ') || 'no region'}, ` +
      `account${report.accountIds.length === 1 ? '' : 's'} ${report.accountIds.map(text).join(', ') || 'none'}.`,
    '',
    '## Summary',
    '',
    '| Verdict | Instances | AWS Backup job |',
    '| --- | ---: | --- |',
    ...VERDICTS.map((v) => `| ${v} | ${report.summary[v]} | ${VERDICT_MEANING[v]} |`),
    `| **total** | **${report.summary.instances}** | |`,
    '',
    ...(report.accounts
      ? [
          '## Accounts',
          '',
          `| Account | Status | Instances | ${VERDICTS.join(' | ')} | Reason |`,
          `| --- | --- | ---: | ${VERDICTS.map(() => '---:').join(' | ')} | --- |`,
          ...report.accounts.map((a) => `| ${text(a.accountId)} | ${a.status} | ${a.instances} | ${VERDICTS.map((v) => a[v]).join(' | ')} | ${text(a.reason) || '-'} |`),
          '',
        ]
      : []),
    ...(report.plan
      ? [
          `## Backup plan ${text(report.plan.name)}`,
          '',
          text(report.plan.changeSummary),
          '',
          text(report.plan.today),
          ...(report.plan.unmatchedSelections.length ? ['', `Selections that cover no instance: ${report.plan.unmatchedSelections.map(text).join(', ')}.`] : []),
          '',
        ]
      : []),
    '## Instances',
    '',
    ...(report.accounts
      ? ['| Instance | Account | Name | Region | Verdict | Reason |', '| --- | --- | --- | --- | --- | --- |']
      : ['| Instance | Name | Region | Verdict | Reason |', '| --- | --- | --- | --- | --- |']),
  );
  // A row at a time: spreading 150,000 rows into one push() overflows the call stack.
  const account = (i: Report['instances'][number]) => (report.accounts ? ` ${text(i.accountId)} |` : '');
  for (const i of report.instances) out.push(`| ${text(i.instanceId)} |${account(i)} ${text(i.name) || '-'} | ${text(i.region)} | ${verdictCell(i)} | ${text(i.reason) || '-'} |`);
  out.push('', '## Fix plan', '');
  if (!report.fixPlan.length) out.push('Nothing to fix.', '');
  report.fixPlan.forEach((step, n) => {
    const marker = `${n + 1}. `;
    const indent = ' '.repeat(marker.length);
    out.push(
      `${marker}**${text(step.action)}** (rule ${text(step.ruleId)}, ${step.status}; fixes ${plural(step.instances.length, 'instance')}: ${step.instances.map(text).join(', ')})`,
      '',
      ...codeBlock(step.command, indent),
      '',
    );
  });
  if (report.skippedRules.length) out.push('## Skipped rules', '', ...report.skippedRules.map((r) => `- ${text(r)}`), '');
  if (report.expiredSuppressions.length) {
    out.push(
      '## Expired suppressions',
      '',
      'No longer applied; renew or remove them:',
      '',
      ...report.expiredSuppressions.map((e) => `- ${text(e.source)} (${e.rules.map(text).join(', ')}), expired ${text(e.expires)}: ${text(e.reason)}`),
      '',
    );
  }
  if (report.errors.length) out.push('## Scan errors', '', ...report.errors.map((e) => `- ${text(errorLine(e))}`), '');
  return out.join('\n');
}
