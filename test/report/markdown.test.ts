import { expect } from 'chai';
import { REPORTERS } from '../../src/report/index.js';
import type { Report } from '../../src/report/schema.js';
import { fleetReport, HOSTILE, hostileReport, suppressedReport } from './reports.js';

const render = (report: Report) => REPORTERS.markdown(report);
const section = (out: string, title: string) => out.split(`## ${title}\n`)[1]!.split('\n## ')[0]!;
/** Table rows of a section, split on the pipes that are cell borders (GFM: `\|` is not one). */
const cells = (row: string) => row.replace(/\\\\/g, '\u0000').split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim().replace(/\u0000/g, '\\\\'));
/** What is left once backslash escapes are gone: any markup character here would render. */
const unescaped = (s: string) => s.replace(/\\[!-/:-@[-`{-~]/g, '');

describe('markdown report', () => {
  it('summarises the verdicts with the job status each means', async () => {
    const report = await fleetReport();
    const rows = section(render(report), 'Summary').split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Verdict') && !l.startsWith('| ---'));
    expect(rows.map(cells)).to.deep.equal([
      ['application-consistent', '6', 'Completed: VSS snapshot, application-consistent'],
      ['vss-fallback', '11', 'Completed with issues: VSS attempted and failed, crash-consistent'],
      ['no-vss', '7', 'Completed: VSS never attempted, silently crash-consistent'],
      ['unknown', '9', 'cannot tell: a deciding fact could not be read'],
      ['**total**', '**33**', ''],
    ]);
  });

  it('has a table row per instance: instance, name, region, verdict, reason', async () => {
    const report = await fleetReport();
    const lines = section(render(report), 'Instances').split('\n').filter((l) => l.startsWith('|'));
    expect(cells(lines[0]!)).to.deep.equal(['Instance', 'Name', 'Region', 'Verdict', 'Reason']);
    const rows = lines.slice(2).map(cells);
    expect(rows).to.have.length(33);
    expect(rows[3]).to.deep.equal([
      'i-0a000000000000004',
      'exchange-01',
      'eu-west-1',
      'vss-fallback',
      'Role SsmOnlyRole does not allow ec2:DescribeInstanceAttribute, ec2:CreateImage, ec2:CreateTags, ec2:DescribeImages.',
    ]);
    expect(rows[0]![4]).to.equal('-');
  });

  it('lists the fix plan as numbered steps with each command in a code block', async () => {
    const report = await fleetReport();
    const plan = section(render(report), 'Fix plan');
    const steps = plan.split('\n').filter((l) => /^\d+\. /.test(l));
    expect(steps).to.have.length(report.fixPlan.length);
    report.fixPlan.forEach((step, n) => {
      expect(steps[n]).to.match(new RegExp(`^${n + 1}\\. \\*\\*`));
      expect(steps[n]).to.contain(`fixes ${step.instances.length} instance`);
      const indent = ' '.repeat(`${n + 1}. `.length);
      const block = step.command.split('\n').map((l) => `${indent}${l}`.trimEnd()).join('\n');
      expect(plan).to.contain(`${indent}\`\`\`\n${block}\n${indent}\`\`\``);
    });
  });

  it('escapes hostile tag values so nothing renders as markup and every row keeps five cells', async () => {
    const report = await hostileReport();
    const out = render(report);
    const rows = section(out, 'Instances').split('\n').filter((l) => l.startsWith('|')).slice(2);
    expect(rows).to.have.length(33);
    for (const row of rows) expect(cells(row), row).to.have.length(5);
    const names = rows.map((r) => cells(r)[1]!);
    expect(names[0]).to.equal('\\<script\\>alert(1)\\</script\\>"\'\\&');
    expect(names[5]).to.equal('line one line two \\| cell \\| break');
    expect(names[6]).to.equal('\\*\\*bold\\*\\* \\_it\\_ \\[x\\](https://evil.example/) \\`tick\\` \\<b\\>b\\</b\\> \\~\\~s\\~\\~ \\$x\\$ \\@team \\#1 \\&amp;');
    for (const row of rows) expect(unescaped(row).replace(/^\||\|$| \| /g, ' '), row).to.not.match(/[<>*_[\]`|&~$]/);
    expect(out).to.not.contain(HOSTILE.script);
    expect(out).to.not.match(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/); // eslint-disable-line no-control-regex
  });

  it('escapes AWS text in the fix plan and errors, and fences a command longer than any backtick run in it', async () => {
    const report = await hostileReport();
    const plan = section(render(report), 'Fix plan');
    const first = plan.trim().split('\n\n')[0]!;
    expect(unescaped(first).replace(/^1\. \*\*|\*\* \(/g, '')).to.not.match(/[<>*_[\]`|&~$]/);
    // The command holds ``` and ```` lines: the fence is five backticks, so neither closes it.
    expect(plan).to.contain("   `````\n   echo ```\n   ````\n   echo '</code></pre><script>alert(4)</script>'\n   `````");
    expect(section(render(report), 'Scan errors')).to.contain('\\<img src=x onerror=alert(5)\\> =cmd\\|\' /C calc\'\\!A0');
  });

  it('shows the gate verdict where a suppression changes it, and lists expired suppressions', async () => {
    const { report, instanceId } = await suppressedReport();
    const out = render(report);
    const row = section(out, 'Instances').split('\n').find((l) => l.startsWith(`| ${instanceId} `))!;
    expect(cells(row)[3]).to.equal('vss-fallback (application-consistent with suppressions)');
    expect(section(out, 'Expired suppressions')).to.contain('- suppressions.yaml\\#2 (ssm-managed), expired 2026-01-01: Old \\<exception\\>');
  });
});
