import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { RULES } from '../../rules/index.js';
import { buildReport } from '../../src/engine/report.js';
import { SNAPSHOT_SCHEMA_VERSION, type Snapshot } from '../../src/facts/snapshot.js';
import { reportJsonSchema } from '../../src/report/json-schema.js';
import { REPORTERS } from '../../src/report/index.js';
import { linuxInstance, region, windowsInstance } from '../fixtures/facts.js';

const HOSTILE = 'evil\u001b[31m\nname\r=cmd|calc';

function snapshotOf(instances: Snapshot['instances']): Snapshot {
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    generatedAt: '2026-11-25T08:00:00.000Z',
    accountIds: ['111122223333'],
    regions: ['eu-west-1'],
    regionFacts: { '111122223333/eu-west-1': region() },
    instances,
    instanceProfiles: {},
    roles: {},
    scps: {},
    backupRoleArn: null,
    errors: [],
  };
}

describe('table report', () => {
  const report = buildReport(snapshotOf([linuxInstance({ name: HOSTILE })]), RULES);

  it('neutralises control characters from AWS data (no terminal escapes, no broken rows)', () => {
    const out = REPORTERS.table(report, { color: false });
    expect(out).to.not.contain('\u001b');
    expect(out).to.contain('evil\\x1b[31m\\x0aname\\x0d=cmd|calc');
    expect(out.split('\n').filter((l) => l.startsWith('i-'))).to.have.length(1);
  });

  it('colours the verdict only when asked', () => {
    expect(REPORTERS.table(report, { color: true })).to.contain('\u001b[31mno-vss');
    expect(REPORTERS.table(report, { color: false })).to.not.contain('\u001b[');
  });

  it('cuts reasons to the terminal width when one is given', () => {
    const plain = buildReport(snapshotOf([linuxInstance()]), RULES);
    const wide = REPORTERS.table(plain, { color: false });
    const narrow = REPORTERS.table(plain, { color: false, width: 80 });
    const row = (s: string) => s.split('\n').find((l) => l.startsWith('i-'))!;
    expect(row(wide).length).to.be.greaterThan(80);
    expect(row(narrow).length).to.be.at.most(80);
    expect(row(narrow)).to.match(/…$/);
  });
});

describe('report model', () => {
  it('lists every instance exactly once with its verdict and the expected job status', () => {
    const report = buildReport(snapshotOf([windowsInstance({ instanceProfileArn: null }), linuxInstance()]), RULES);
    expect(report.instances.map((i) => [i.verdict, i.expectedJobStatus])).to.deep.equal([
      ['vss-fallback', 'Completed with issues'],
      ['no-vss', 'Completed'],
    ]);
    expect(report.summary).to.deep.equal({ instances: 2, 'application-consistent': 0, 'vss-fallback': 1, 'no-vss': 1, unknown: 0 });
  });

  it('reports a rule that throws as an unknown finding naming the rule, not a crash', () => {
    const broken = { ...RULES[0]!, id: 'broken-rule', evaluate: () => { throw new Error('boom'); } };
    const report = buildReport(snapshotOf([windowsInstance()]), [broken]);
    expect(report.instances[0]!.findings[0]).to.include({ ruleId: 'broken-rule', status: 'unknown' });
    expect(report.instances[0]!.findings[0]!.message).to.contain('Rule broken-rule failed on this instance (boom)');
  });

  it('JSON keeps hostile values intact and valid', () => {
    const report = buildReport(snapshotOf([linuxInstance({ name: HOSTILE })]), RULES);
    expect(JSON.parse(REPORTERS.json(report)).instances[0].name).to.equal(HOSTILE);
  });

  it('docs/report.schema.json is generated from the zod schema (run `npm run schema` after changing it)', () => {
    const committed = JSON.parse(readFileSync(new URL('../../docs/report.schema.json', import.meta.url), 'utf8'));
    expect(committed).to.deep.equal(reportJsonSchema());
  });
});
