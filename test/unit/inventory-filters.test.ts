import { expect } from 'chai';
import { generationOf } from '../../rules/lib/generation.js';
import { ABSENCE_FILTERS, absentFrom, generationsFrom, idChunks, IDS_PER_QUERY, VERSION_CLASSES, versionQueries } from '../../src/collect/inventory-filters.js';
import { isVssComponents, VSS_NAME_PREFIXES } from '../../src/collect/vss-package.js';

/** The generations whose prefixes a version begins with (a BeginWith filter's plain meaning). */
const classesOf = (v: string) => new Set(VERSION_CLASSES.filter((c) => c.prefixes.some((p) => v.startsWith(p))).map((c) => c.generation));

/** Dotted versions without leading zeros: 1 to 4 numbers, each major, minor and patch up to 40. */
function* versions(): Generator<string> {
  for (let a = 0; a <= 40; a++) {
    yield `${a}`;
    for (let b = 0; b <= 40; b++) {
      yield `${a}.${b}`;
      for (let c = 0; c <= 40; c++) {
        yield `${a}.${b}.${c}`;
        yield `${a}.${b}.${c}.0`;
        yield `${a}.${b}.${c}.1024`;
      }
    }
  }
}

describe('AwsVssComponents version classes for ssm:GetInventory BeginWith filters', () => {
  it('keeps each filter within 40 values', () => {
    for (const c of VERSION_CLASSES) expect(c.prefixes.length, c.generation).to.be.within(1, 40);
  });

  it('puts every version in at most one generation, the one generationOf gives, and leaves only versions without a patch number out', () => {
    const uncovered: string[] = [];
    let checked = 0;
    for (const v of versions()) {
      const found = [...classesOf(v)];
      expect(found.length, v).to.be.at.most(1);
      if (found.length) expect(found[0], v).to.equal(generationOf(v));
      else uncovered.push(v);
      checked++;
    }
    expect(checked).to.be.greaterThan(200_000);
    // Left to ListInventoryEntries: correct, only not settled in bulk.
    expect(uncovered).to.deep.equal(['0', '1', '2', '2.0', '2.1', '2.2', '2.3']);
  });

  it('asks one query per class for each 40 instances of one inventory type', () => {
    const listed = new Map<string, string>();
    for (let n = 0; n < 85; n++) listed.set(`i-app${n}`, 'AWS:Application');
    for (let n = 0; n < 3; n++) listed.set(`i-cmp${n}`, 'AWS:AWSComponent');
    const queries = versionQueries(listed);
    expect(queries).to.have.length((3 + 1) * VERSION_CLASSES.length);
    for (const q of queries) expect(q.ids.length).to.be.within(1, IDS_PER_QUERY);
    for (const q of queries) expect(q.ids.every((id) => listed.get(id) === q.typeName)).to.equal(true);
    const covered = new Set(queries.flatMap((q) => q.ids));
    expect(covered.size).to.equal(listed.size);
  });

  it('reads an answer as each instance\'s generation, leaving out those no class returned', () => {
    const found = generationsFrom([
      { generation: 'tagged', ids: ['i-a', 'i-b'] },
      { generation: 'tagged', ids: ['i-a'] }, // the second tagged class may return it too
      { generation: 'legacy', ids: ['i-c'] },
    ]);
    expect(Object.fromEntries(found)).to.deep.equal({ 'i-a': 'tagged', 'i-b': 'tagged', 'i-c': 'legacy' });
  });

  it('leaves out an instance that came back for two generations (the filters matched another entry\'s Version)', () => {
    const found = generationsFrom([{ generation: 'tagged', ids: ['i-a', 'i-b'] }, { generation: 'legacy', ids: ['i-b'] }]);
    expect(Object.fromEntries(found)).to.deep.equal({ 'i-a': 'tagged' });
  });
});

describe('a missing package from ssm:GetInventory filters', () => {
  it('asks about 40 ids at a time, each filter within 40 values', () => {
    const ids = Array.from({ length: 81 }, (_, n) => `i-${n}`);
    expect(idChunks(ids).map((c) => c.length)).to.deep.equal([40, 40, 1]);
    for (const f of Object.values(ABSENCE_FILTERS)) expect(f.Values!.length).to.be.within(1, 40);
  });

  it('calls missing only a node that reports inventory and has no entry beginning like the package', () => {
    const ids = ['i-none', 'i-missing', 'i-app', 'i-component'];
    const answers = { inventory: ['i-missing', 'i-app', 'i-component'], application: ['i-app'], component: ['i-component'] };
    expect(absentFrom(ids, answers)).to.deep.equal(['i-missing']);
  });

  it('calls nothing missing where a question went unanswered', () => {
    for (const gap of ['inventory', 'application', 'component'] as const) {
      const answers: Record<string, string[]> = { inventory: ['i-a'], application: [], component: [] };
      delete answers[gap];
      expect(absentFrom(['i-a'], answers), gap).to.deep.equal([]);
    }
  });

  it('uses the name prefixes every spelling the collector accepts begins with', () => {
    // Each name isVssComponents accepts in the spellings the collector knows begins with a prefix the filters use.
    for (const name of ['AwsVssComponents', 'AWSVSSComponents', 'awsvsscomponents', 'AWS VSS Components', 'Aws Vss Components', 'aws vss components']) {
      expect(isVssComponents({ Name: name, Publisher: 'Amazon Web Services' }), name).to.equal(true);
      expect(VSS_NAME_PREFIXES.some((p) => name.startsWith(p)), name).to.equal(true);
    }
    expect(ABSENCE_FILTERS.application.Values).to.deep.equal([...VSS_NAME_PREFIXES]);
    expect(ABSENCE_FILTERS.component.Values).to.deep.equal([...VSS_NAME_PREFIXES]);
  });
});
