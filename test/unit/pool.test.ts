import { expect } from 'chai';
import { eachPooled } from '../../src/collect/pool.js';

/** A call that stays in flight until the test lets it finish. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('eachPooled', () => {
  it('keeps at most `concurrency` calls in flight and starts the next as one finishes, in order', async () => {
    const gates = Array.from({ length: 5 }, gate);
    const started: number[] = [];
    const run = eachPooled([0, 1, 2, 3, 4], 2, async (k) => {
      started.push(k);
      await gates[k]!.opened;
    });
    await tick();
    expect(started).to.deep.equal([0, 1]);
    gates[1]!.open();
    await tick();
    expect(started).to.deep.equal([0, 1, 2]);
    gates[0]!.open();
    gates[2]!.open();
    await tick();
    expect(started).to.deep.equal([0, 1, 2, 3, 4]);
    gates[3]!.open();
    gates[4]!.open();
    await run;
  });

  it('calls fn once per item, however many workers', async () => {
    const seen: string[] = [];
    await eachPooled(['a', 'b', 'c'], 10, async (x) => {
      seen.push(x);
    });
    expect(seen).to.deep.equal(['a', 'b', 'c']);
  });

  it('resolves at once on no items, and rejects with a call\'s error', async () => {
    await eachPooled([], 4, () => Promise.reject(new Error('never called')));
    let caught: unknown;
    await eachPooled([1, 2], 2, async (k) => {
      if (k === 2) throw new Error('boom');
    }).catch((err: unknown) => (caught = err));
    expect((caught as Error).message).to.equal('boom');
  });
});
