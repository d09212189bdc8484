import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { RULES } from '../../rules/index.js';
import { REPORTERS } from '../../src/report/index.js';
import { fleetReport, HOSTILE, hostileReport, suppressedReport } from './reports.js';

const between = (s: string, start: string, end: string) => s.slice(s.indexOf(start) + start.length, s.indexOf(end, s.indexOf(start)));
const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('base64');

describe('html report', () => {
  it('is one file that fetches nothing: a CSP allowing only its own inline style and script, by hash', async () => {
    const out = REPORTERS.html(await fleetReport(), { color: false, rules: RULES });
    const csp = between(out, '<meta http-equiv="Content-Security-Policy" content="', '">');
    const style = between(out, '<style>', '</style>');
    const script = out.slice(out.lastIndexOf('<script>') + '<script>'.length, out.lastIndexOf('</script>'));
    expect(csp.split('; ')).to.deep.equal([
      "default-src 'none'",
      `style-src 'sha256-${sha256(style)}'`,
      `script-src 'sha256-${sha256(script)}'`,
      "img-src 'none'",
      "base-uri 'none'",
      "form-action 'none'",
    ]);
    expect(out).to.not.match(/\ssrc=|<link|<iframe|<object|<embed|@import|url\(/i);
    expect(out.match(/href="[^"]*"/g)!.every((href) => href.startsWith('href="#instance-i-'))).to.equal(true);
  });

  it('shows the header facts, the verdict counts, a row and a details block per instance, the fix plan, errors and skipped rules', async () => {
    const report = await fleetReport();
    report.skippedRules = ['no-multi-attach-volumes'];
    const out = REPORTERS.html(report, { color: false, rules: RULES });
    expect(out).to.contain('<time datetime="2026-11-25T08:00:00.000Z">').and.contain('<dd>eu-west-1, us-east-1</dd>').and.contain('<dd>111122223333</dd>');
    expect(out).to.contain('<div class="card v-vss-fallback" data-verdict="vss-fallback"><div class="count">11</div>');
    expect(out).to.contain('<svg class="chart" role="img" aria-label="Instances per verdict: application-consistent: 6, vss-fallback: 11, no-vss: 7, unknown: 9"');
    expect(out.match(/<tr id="instance-/g)).to.have.length(33);
    expect(out.match(/<details>/g)).to.have.length(33);
    expect(out.match(/<li class="finding /g)).to.have.length(report.instances.reduce((n, i) => n + i.findings.length, 0));
    expect(out).to.contain('Instance is an SSM managed node that Run Command can reach'); // rule titles, given the rules
    expect(out.match(/<li><h3>[^<]*: fixes \d+ instances?<\/h3>/g)).to.have.length(report.fixPlan.length);
    expect(out).to.contain('<h3>Role SsmOnlyRole does not allow ec2:DescribeInstanceAttribute, ec2:CreateImage, ec2:CreateTags, ec2:DescribeImages: fixes 2 instances</h3>');
    expect(between(out, '<section id="errors"', '</section>')).to.contain('ssm:ListInventoryEntries in us-east-1: AccessDeniedException (x3)');
    expect(between(out, '<section id="skipped-rules"', '</section>')).to.contain('<code>no-multi-attach-volumes</code> Instance shares no Multi-Attach EBS volume');
  });

  it('shows a suppressed finding with its reason, the gate verdict beside the verdict, and expired suppressions', async () => {
    const { report, instanceId } = await suppressedReport();
    const out = REPORTERS.html(report, { color: false });
    const row = between(out, `<tr id="instance-${instanceId}"`, '</tr>');
    expect(row).to.contain(
      '<p class="suppressed">Suppressed until 2027-01-31 by suppressions.yaml#1: Accepted &#60;risk&#62; until the &#34;migration&#34;</p>',
    );
    expect(row).to.contain('<span class="badge v-vss-fallback">vss-fallback</span><p class="meta"><span class="badge v-application-consistent">application-consistent</span> with suppressions</p>');
    expect(out.match(/ with suppressions<\/p>/g)).to.have.length(1);
    expect(between(out, '<section id="expired-suppressions"', '</section>')).to.contain(
      '<li>suppressions.yaml#2 (<code>ssm-managed</code>), expired 2026-01-01: Old &#60;exception&#62;</li>',
    );
  });

  it('escapes every AWS value: no markup or script from a tag, message, evidence, fix, command or error', async () => {
    const out = REPORTERS.html(await hostileReport(), { color: false });
    expect(out.match(/<script/g)).to.have.length(2); // the JSON island and the page's own script
    expect(out.match(/<\/script>/g)).to.have.length(2);
    expect(out).to.not.match(/<img|<b>/);
    expect(out).to.contain('<td class="name">&#60;script&#62;alert(1)&#60;/script&#62;&#34;&#39;&#38;</td>');
    expect(out).to.contain('<dt>&#60;b&#62;key&#60;/b&#62;</dt><dd>&#60;img src=x onerror=alert(3)&#62;</dd>');
    expect(out).to.contain('<pre><code>echo ```\n````\necho &#39;&#60;/code&#62;&#60;/pre&#62;&#60;script&#62;alert(4)&#60;/script&#62;&#39;</code></pre>');
    expect(out).to.not.match(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/); // eslint-disable-line no-control-regex
  });

  it('embeds the rows for the script as JSON with < escaped, so a tag value cannot close the script element', async () => {
    const report = await hostileReport();
    const out = REPORTERS.html(report, { color: false });
    const island = between(out, '<script type="application/json" id="report-data">', '</script>');
    expect(island).to.not.match(/[<>&]/);
    const data = JSON.parse(island) as { instances: { instanceId: string; name: string | null; verdict: string }[] };
    expect(data.instances.map((i) => i.instanceId)).to.deep.equal(report.instances.map((i) => i.instanceId));
    expect(data.instances[0]!.name).to.equal(HOSTILE.script);
    expect(data.instances[5]!.name).to.equal(HOSTILE.newline);
  });
});
