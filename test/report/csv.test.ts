import { expect } from 'chai';
import { REPORTERS } from '../../src/report/index.js';
import type { Report } from '../../src/report/schema.js';
import { fleetReport, HOSTILE, hostileReport, suppressedReport } from './reports.js';

const HEADER = [
  'instanceId',
  'accountId',
  'region',
  'name',
  'state',
  'instanceType',
  'verdict',
  'verdictOnceRunning',
  'expectedJobStatus',
  'failingRules',
  'warnings',
  'unknowns',
  'reason',
  'suppressed',
  'gateVerdict',
];

/** A strict RFC 4180 reader: records end in CRLF; a quoted field may hold anything, with `""` for `"`. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let at = 0;
  while (at < text.length) {
    let field = '';
    if (text[at] === '"') {
      at++;
      for (;;) {
        const quote = text.indexOf('"', at);
        if (quote < 0) throw new Error('unterminated quoted field');
        field += text.slice(at, quote);
        at = quote + 1;
        if (text[at] !== '"') break;
        field += '"';
        at++;
      }
    } else {
      const end = text.slice(at).search(/[,\r\n"]/);
      field = end < 0 ? text.slice(at) : text.slice(at, at + end);
      at += field.length;
      if (text[at] === '"') throw new Error(`bare quote at ${at}`);
    }
    record.push(field);
    if (text[at] === ',') at++;
    else if (text.startsWith('\r\n', at)) {
      records.push(record);
      record = [];
      at += 2;
    } else throw new Error(`expected , or CRLF at ${at}, got ${JSON.stringify(text.slice(at, at + 10))}`);
  }
  if (record.length) throw new Error('last record lacks CRLF');
  return records;
}

const rowsOf = (report: Report) => {
  const [header, ...rows] = parseCsv(REPORTERS.csv(report));
  return { header: header!, rows: rows.map((r) => Object.fromEntries(header!.map((h, n) => [h, r[n]!]))) };
};

describe('csv report', () => {
  it('has the header, then one RFC 4180 record of every column per instance', async () => {
    const report = await fleetReport();
    const { header, rows } = rowsOf(report);
    expect(header).to.deep.equal(HEADER);
    expect(rows.map((r) => r.instanceId)).to.deep.equal(report.instances.map((i) => i.instanceId));
    expect(rows).to.have.length(33);
    for (const row of rows) expect(Object.keys(row)).to.have.length(HEADER.length);
  });

  it('copies verdicts and lists the fail, warn and unknown rule ids as the report has them', async () => {
    const report = await fleetReport();
    const { rows } = rowsOf(report);
    report.instances.forEach((i, n) => {
      const ids = (status: string) => i.findings.filter((f) => f.status === status).map((f) => f.ruleId).join(';');
      expect(rows[n]).to.deep.include({
        verdict: i.verdict,
        verdictOnceRunning: i.verdictOnceRunning,
        expectedJobStatus: i.expectedJobStatus ?? '',
        failingRules: ids('fail'),
        warnings: ids('warn'),
        unknowns: ids('unknown'),
        reason: i.reason ?? '',
        suppressed: '',
        gateVerdict: i.verdict,
      });
    });
    const exchange = rows.find((r) => r.name === 'exchange-01')!;
    expect(exchange.failingRules).to.equal('instance-role-grants-vss');
    expect(rows.find((r) => r.name === 'batch-01')!.unknowns.split(';')).to.include('ssm-managed');
  });

  it('names the suppressed rules and the gate verdict after the documented columns', async () => {
    const { report, instanceId, ruleId } = await suppressedReport();
    const { rows } = rowsOf(report);
    const row = rows.find((r) => r.instanceId === instanceId)!;
    expect(row).to.deep.include({ verdict: 'vss-fallback', failingRules: ruleId, suppressed: ruleId, gateVerdict: 'application-consistent' });
    for (const other of rows.filter((r) => r.instanceId !== instanceId)) expect(other).to.deep.include({ suppressed: '', gateVerdict: other.verdict });
  });

  it('prefixes values a spreadsheet would run as a formula with an apostrophe (OWASP CSV injection)', async () => {
    const { rows } = rowsOf(await hostileReport());
    const names = rows.map((r) => r.name);
    expect(names).to.include.members([`'${HOSTILE.dde}`, `'${HOSTILE.plus}`, `'${HOSTILE.minus}`, `'${HOSTILE.at}`, `'${HOSTILE.tab}`]);
    for (const row of rows) {
      for (const value of Object.values(row)) expect(value, value).to.not.match(/^[=+\-@\t\r]/);
    }
  });

  it('quotes commas, quotes, CR and LF so a hostile value stays one field', async () => {
    const report = await hostileReport();
    const out = REPORTERS.csv(report);
    expect(out).to.contain(`"<script>alert(1)</script>""'&"`);
    const { rows } = rowsOf(report);
    expect(rows).to.have.length(33);
    expect(rows.map((r) => r.name)).to.include.members([HOSTILE.script, HOSTILE.newline, HOSTILE.markdown]);
    expect(rows.find((r) => r.name === HOSTILE.newline)!.instanceId).to.equal(report.instances[5]!.instanceId);
  });
});
