import { expect } from 'chai';
import { REPORTERS } from '../../src/report/index.js';
import type { Report } from '../../src/report/schema.js';
import { fleetReport, HOSTILE, hostileReport, suppressedReport } from './reports.js';
import { parseXml, type XmlElement } from './xml.js';

const render = (report: Report) => parseXml(REPORTERS.junit(report));
const child = (el: XmlElement, name: string) => el.children.find((c) => c.name === name);
const cases = (root: XmlElement) => root.children.flatMap((suite) => suite.children.filter((c) => c.name === 'testcase'));

describe('xml reader used by the junit tests', () => {
  const refused = [
    ['an unclosed element', '<a><b></a>'],
    ['a raw <', '<a>1 < 2</a>'],
    ['a raw & in an attribute', '<a x="&"/>'],
    ['an unknown entity', '<a>&nbsp;</a>'],
    ['a control character', '<a>\u0001</a>'],
    ['a reference to a control character', '<a>&#1;</a>'],
    ['a duplicate attribute', '<a x="1" x="2"/>'],
    ['two roots', '<a/><b/>'],
  ] as const;
  for (const [what, xml] of refused) it(`refuses ${what}`, () => expect(() => parseXml(xml)).to.throw());
  it('reads references and normalises literal whitespace in attributes', () => {
    expect(parseXml('<a x="1&#10;2\t3 &lt;&amp;&quot;">&#x41;&gt;</a>')).to.deep.equal({ name: 'a', attributes: { x: '1\n2 3 <&"' }, children: [], text: 'A>' });
  });
});

describe('junit report', () => {
  it('has a testsuite per region with its counts, and a testcase per instance', async () => {
    const report = await fleetReport();
    const root = render(report);
    expect(root.name).to.equal('testsuites');
    expect(root.attributes).to.deep.include({ tests: '33', failures: '18', errors: '9', skipped: '0' });
    expect(root.children.map((s) => s.attributes.name)).to.deep.equal(['eu-west-1', 'us-east-1']);
    for (const suite of root.children) {
      const mine = report.instances.filter((i) => i.region === suite.attributes.name);
      const count = (verdicts: string[]) => String(mine.filter((i) => verdicts.includes(i.verdict)).length);
      expect(suite.attributes).to.deep.include({
        tests: String(mine.length),
        failures: count(['vss-fallback', 'no-vss']),
        errors: count(['unknown']),
        skipped: '0',
        timestamp: report.generatedAt,
      });
      expect(suite.children.map((c) => c.attributes.name)).to.deep.equal(mine.map((i) => `${i.instanceId} ${i.name}`));
      expect(new Set(suite.children.map((c) => c.attributes.classname))).to.deep.equal(new Set([`111122223333.${suite.attributes.name}`]));
    }
  });

  it('fails vss-fallback and no-vss with every failing finding and its fix, errors on unknown, passes application-consistent', async () => {
    const report = await fleetReport();
    const testcases = cases(render(report));
    report.instances.forEach((i, n) => {
      const tc = testcases[n]!;
      const failure = child(tc, 'failure');
      const error = child(tc, 'error');
      if (i.verdict === 'application-consistent') {
        expect(failure ?? error, i.name!).to.equal(undefined);
        return;
      }
      const outcome = (i.verdict === 'unknown' ? error : failure)!;
      expect(outcome, i.name!).to.not.equal(undefined);
      expect(outcome.attributes).to.deep.equal({ message: i.reason, type: i.verdict });
      const shown = i.findings.filter((f) => f.status === 'fail' || (i.verdict === 'unknown' && f.status === 'unknown'));
      for (const f of shown) {
        expect(outcome.text).to.contain(`[${f.status}] ${f.ruleId}: ${f.message}`);
        if (f.fix) expect(outcome.text).to.contain(`  Fix: ${f.fix}`);
      }
    });
    const exchange = testcases.find((c) => c.attributes.name!.endsWith(' exchange-01'))!;
    expect(child(exchange, 'failure')!.text).to.equal(
      '[fail] instance-role-grants-vss: Role SsmOnlyRole does not allow ec2:DescribeInstanceAttribute, ec2:CreateImage, ec2:CreateTags, ec2:DescribeImages.\n' +
        '  Fix: aws iam attach-role-policy --role-name SsmOnlyRole --policy-arn arn:aws:iam::aws:policy/AWSEC2VssSnapshotPolicy (works with AwsVssComponents 2.3.1 or later)',
    );
    const isolated = testcases.find((c) => c.attributes.name!.endsWith(' isolated-01'))!;
    expect(child(isolated, 'system-out')!.text).to.match(/^\[warn\] ec2-endpoint-reachable: /);
  });

  it('follows the gate verdict: a suppression that accepts the only failure makes the testcase pass, and says so', async () => {
    const { report, instanceId, ruleId } = await suppressedReport();
    const root = render(report);
    expect(root.attributes).to.deep.include({ failures: '17', errors: '9' });
    const tc = cases(root).find((c) => c.attributes.name!.startsWith(`${instanceId} `))!;
    expect(child(tc, 'failure')).to.equal(undefined);
    expect(child(tc, 'system-out')!.text).to.contain('Predicted verdict vss-fallback; application-consistent once the suppressed findings are accepted.');
    expect(child(tc, 'system-out')!.text).to.contain(`[fail] ${ruleId}: `).and.contain('  Suppressed: Accepted <risk> until the "migration"');
  });

  it('is well-formed XML whatever the tags hold: markup escaped, characters XML 1.0 forbids dropped', async () => {
    const report = await hostileReport();
    const out = REPORTERS.junit(report);
    const root = parseXml(out); // throws unless well-formed
    const names = cases(root).map((c) => c.attributes.name);
    const xmlSafe = (name: string) => name.replace(/[\u0000-\u0008\u001b]/g, ''); // eslint-disable-line no-control-regex
    expect(names.slice(0, 9)).to.deep.equal(Object.values(HOSTILE).map((name, n) => `${report.instances[n]!.instanceId} ${xmlSafe(name)}`));
    expect(out).to.contain('name="i-0a000000000000001 &lt;script&gt;alert(1)&lt;/script&gt;&quot;&apos;&amp;"');
    expect(out).to.contain('name="i-0a000000000000006 line one&#10;line two&#13;&#10;| cell | break"');
    const failing = cases(root).find((c) => child(c, 'failure')?.text.includes('alert(2)'))!;
    expect(child(failing, 'failure')!.text).to.contain(`Role </script><script>alert(2)</script> says ${HOSTILE.newline}`);
    expect(out).to.not.match(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/); // eslint-disable-line no-control-regex
  });
});
