import type { Finding, InstanceReport, Report } from './schema.js';

/**
 * Characters XML 1.0 forbids anywhere, even as references (C0 controls but tab/LF/CR, lone
 * surrogates, U+FFFE/U+FFFF): dropped, since no parser would accept the document otherwise.
 */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const reference = (c: string) => ENTITY[c] ?? `&#${c.charCodeAt(0)};`;

/** Element text: markup escaped; CR as a reference so a parser's line-end normalisation keeps it. */
const text = (s: string | null | undefined) => (s ?? '').replace(NOT_XML, '').replace(/[&<>\r]/g, reference);
/** Attribute value: quotes too, and tab/LF/CR as references, which attribute normalisation would turn into spaces. */
const attr = (s: string | number | null | undefined) => String(s ?? '').replace(NOT_XML, '').replace(/[&<>"'\t\n\r]/g, reference);

const findingText = (f: Finding) =>
  [`[${f.status}] ${f.ruleId}: ${f.message}`, ...(f.fix ? [`  Fix: ${f.fix}`] : []), ...(f.suppressed ? [`  Suppressed: ${f.suppressed.reason}`] : [])].join('\n');

/**
 * The outcome follows gateVerdict, the verdict --fail-on checks, so a suppression that accepts a
 * finding accepts it here too (the suppressed findings still show in system-out). vss-fallback
 * and no-vss fail with every failing finding; unknown is an error listing what could not be read;
 * application-consistent passes.
 */
function testcase(i: InstanceReport): string {
  const name = i.name ? `${i.instanceId} ${i.name}` : i.instanceId;
  const open = `    <testcase classname="${attr(`${i.accountId}.${i.region}`)}" name="${attr(name)}" time="0">`;
  const counted = i.findings.filter((f) => !f.suppressed);
  const listed = (statuses: Finding['status'][]) => counted.filter((f) => statuses.includes(f.status)).map(findingText).join('\n\n');
  const out: string[] = [];
  if (i.gateVerdict === 'vss-fallback' || i.gateVerdict === 'no-vss') {
    out.push(`      <failure message="${attr(i.reason)}" type="${attr(i.gateVerdict)}">${text(listed(['fail']))}</failure>`);
  } else if (i.gateVerdict === 'unknown') {
    out.push(`      <error message="${attr(i.reason)}" type="unknown">${text(listed(['fail', 'unknown']))}</error>`);
  }
  // Warnings, and what a suppression accepts (with the verdict it still predicts), so a reader still sees them.
  const suppressed = i.findings.filter((f) => f.suppressed).map(findingText);
  if (suppressed.length) suppressed.unshift(`Predicted verdict ${i.verdict}; ${i.gateVerdict} once the suppressed findings are accepted.`);
  const notes = [listed(['warn']), ...suppressed].filter(Boolean).join('\n\n');
  if (notes) out.push(`      <system-out>${text(notes)}</system-out>`);
  return out.length ? [open, ...out, '    </testcase>'].join('\n') : `${open.slice(0, -1)}/>`;
}

/**
 * JUnit XML: a testsuite per scanned region (empty when it has no instance), a testcase per
 * instance; an application-consistent instance passes.
 */
export function renderJunit(report: Report): string {
  const suites = report.regions
    .concat(report.instances.map((i) => i.region).filter((r) => !report.regions.includes(r)))
    .map((region) => {
      const cases = report.instances.filter((i) => i.region === region);
      const failures = cases.filter((i) => i.gateVerdict === 'vss-fallback' || i.gateVerdict === 'no-vss').length;
      const errors = cases.filter((i) => i.gateVerdict === 'unknown').length;
      return { region, cases, failures, errors };
    });
  const total = (key: 'failures' | 'errors') => suites.reduce((n, s) => n + s[key], 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="vss-preflight" tests="${report.instances.length}" failures="${total('failures')}" errors="${total('errors')}" skipped="0" time="0">`,
    ...suites.map((s) =>
      [
        `  <testsuite name="${attr(s.region)}" tests="${s.cases.length}" failures="${s.failures}" errors="${s.errors}" skipped="0" time="0" timestamp="${attr(report.generatedAt)}">`,
        ...s.cases.map(testcase),
        '  </testsuite>',
      ].join('\n'),
    ),
    '</testsuites>',
    '',
  ].join('\n');
}
