import { expect } from 'chai';
import { RULES } from '../../rules/index.js';
import { writeChunks } from '../../src/cli/write.js';
import { jsonChunks, LazyArray } from '../../src/report/json-chunks.js';
import { FORMATS, render, REPORT_CHUNKS } from '../../src/report/index.js';
import { fleetReport, hostileReport } from './reports.js';

const joined = (chunks: Iterable<string>) => [...chunks].join('');

describe('jsonChunks', () => {
  const values: [string, unknown][] = [
    ['scalars', [1, -0.5, 'text', true, false, null]],
    ['empty containers', { a: [], b: {}, c: [[]], d: [{}] }],
    ['what JSON.stringify leaves out or nulls', { keep: 1, gone: undefined, fn: () => 1, list: [undefined, () => 2, Symbol('s'), 3] }],
    ['text that needs escaping', { 'k"ey\n': 'line\nbreak "quoted" \\ \u2028 \u0001 é 🙂' }],
    ['toJSON', { when: new Date('2026-11-25T08:00:00.000Z'), custom: { toJSON: (key: string) => `at ${key}` } }],
    ['integer-like keys first, as JavaScript orders them', { b: 1, 2: 'two', a: 3, 1: 'one' }],
    ['deep nesting', { a: { b: { c: { d: { e: [1, { f: [2, [3]] }] } } } } }],
  ];
  for (const [name, value] of values) {
    it(`writes exactly JSON.stringify(value, null, 2) at every expansion depth: ${name}`, () => {
      for (let levels = 0; levels <= 6; levels++) {
        expect(joined(jsonChunks(value, levels)), `levels ${levels}`).to.equal(JSON.stringify(value, null, 2));
      }
    });
  }

  it('writes a LazyArray as the array it stands for, making its items only when written', () => {
    let made = 0;
    const items = new LazyArray(function* () {
      for (let i = 0; i < 3; i++) {
        made++;
        yield { i };
      }
    });
    const doc = { before: 1, items, empty: new LazyArray(() => []) };
    const chunks = jsonChunks(doc, 3);
    expect(made).to.equal(0);
    const text = joined(chunks);
    expect(text).to.equal(JSON.stringify({ before: 1, items: [{ i: 0 }, { i: 1 }, { i: 2 }], empty: [] }, null, 2));
    // JSON.stringify reads it through toJSON.
    expect(JSON.stringify(doc, null, 2)).to.equal(text);
  });

  it('expands only the levels asked for: the json report yields a chunk per instance', async () => {
    const report = await fleetReport();
    const chunks = [...REPORT_CHUNKS.json(report)];
    expect(chunks.join('')).to.equal(`${JSON.stringify(report, null, 2)}\n`);
    const perInstance = chunks.filter((c) => c.startsWith('{\n      "instanceId": '));
    expect(perInstance).to.have.length(report.instances.length);
  });

  it('gathers the items of the last expanded level into chunks of bounded size', () => {
    const value = { items: Array.from({ length: 10_000 }, (_, i) => ({ i, text: 'x'.repeat(20) })) };
    const chunks = [...jsonChunks(value, 2)];
    expect(chunks.join('')).to.equal(JSON.stringify(value, null, 2));
    expect(chunks.length).to.be.greaterThan(10);
    expect(Math.max(...chunks.map((c) => c.length))).to.be.below(20_000);
  });

  it('serialises a frozen value once, and reuses its text where it recurs', () => {
    let reads = 0;
    const shared = Object.freeze({
      get a() {
        reads++;
        return 1;
      },
      b: Object.freeze(['two']),
    });
    const value = { list: [shared, { inner: 'x' }, shared, shared] };
    const expected = JSON.stringify(value, null, 2);
    reads = 0;
    expect(joined(jsonChunks(value, 2))).to.equal(expected);
    expect(reads).to.equal(1);
    for (let levels = 0; levels <= 5; levels++) expect(joined(jsonChunks(value, levels)), `levels ${levels}`).to.equal(expected);
  });
});

describe('streamed reports', () => {
  /** A reader that is behind after every other write, and catches up a tick later. */
  function slowSink() {
    let text = '';
    let writes = 0;
    let waits = 0;
    return {
      write: (s: string) => {
        text += s;
        return ++writes % 2 === 0;
      },
      drained: () => {
        waits++;
        return new Promise<void>((resolve) => setImmediate(resolve));
      },
      get text() {
        return text;
      },
      get waits() {
        return waits;
      },
    };
  }

  for (const format of FORMATS) {
    it(`${format}: written through a sink that pushes back, equals the report as one string`, async () => {
      const report = await hostileReport();
      const options = { color: false, rules: RULES };
      const sink = slowSink();
      await writeChunks(sink, REPORT_CHUNKS[format](report, options));
      expect(sink.text).to.equal(render(format, report, options));
      expect(sink.text.length).to.be.greaterThan(1000);
    });
  }

  it('waits for the reader whenever a write says it is full', async () => {
    // Many small chunks: more than one 64 KB batch, so several writes.
    const chunks = Array.from({ length: 3000 }, (_, n) => `${n}:${'x'.repeat(100)}\n`);
    const sink = slowSink();
    await writeChunks(sink, chunks);
    expect(sink.text).to.equal(chunks.join(''));
    expect(sink.waits).to.be.greaterThan(0);
  });

  it('stops making and writing chunks once the reader has gone (scan | head)', async () => {
    let made = 0;
    function* chunks() {
      for (let n = 0; n < 1000; n++) {
        made++;
        yield 'y'.repeat(1000);
      }
    }
    let writes = 0;
    await writeChunks({ write: () => void writes++, closed: () => writes > 0 }, chunks());
    expect(writes).to.equal(1);
    expect(made).to.be.below(200); // one 64 KB batch and the chunk that filled it
  });

  it('json is byte for byte `${JSON.stringify(report, null, 2)}\\n`, sarif is indented JSON with one result per fail, warn and unknown', async () => {
    const report = await fleetReport();
    expect(render('json', report)).to.equal(`${JSON.stringify(report, null, 2)}\n`);
    const sarif = render('sarif', report, { color: false, rules: RULES });
    const log = JSON.parse(sarif) as { runs: { results: unknown[] }[] };
    expect(sarif).to.equal(`${JSON.stringify(log, null, 2)}\n`);
    const counted = report.instances.flatMap((i) => i.findings).filter((f) => ['fail', 'warn', 'unknown'].includes(f.status)).length;
    expect(log.runs[0]!.results).to.have.length(counted);
  });
});

describe('a fleet of 200,000 instances (json, sarif and html at scale: test/integration/large-report.test.ts)', function () {
  this.timeout(120_000);

  it('table, csv, markdown and junit write a row per instance: no spread of the instances into one call (the call stack limits it)', async () => {
    const base = await fleetReport();
    const sample = base.instances.find((i) => i.verdict === 'vss-fallback')!;
    const instances = Array.from({ length: 200_000 }, (_, n) => ({ ...sample, instanceId: `i-${n.toString(16).padStart(17, '0')}`, name: `host-${n}` }));
    const report = { ...base, instances, fixPlan: [], summary: { ...base.summary, instances: instances.length } };
    const options = { color: false, rules: RULES };
    const count = (format: (typeof FORMATS)[number], pattern: RegExp) => {
      let n = 0;
      for (const chunk of REPORT_CHUNKS[format](report, options)) n += chunk.match(pattern)?.length ?? 0;
      return n;
    };
    expect(count('table', /^i-[0-9a-f]{17} /gm)).to.equal(200_000);
    expect(count('csv', /^i-[0-9a-f]{17},/gm)).to.equal(200_000);
    expect(count('markdown', /^\| i-[0-9a-f]{17} \|/gm)).to.equal(200_000);
    expect(count('junit', /<testcase /g)).to.equal(200_000);
  });
});
