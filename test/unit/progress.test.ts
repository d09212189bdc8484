import { expect } from 'chai';
import { progressLine } from '../../src/cli/progress.js';

describe('progress line', () => {
  it('redraws one line with counts and rate, and clears it when done', () => {
    const out: string[] = [];
    let t = 0;
    const line = progressLine((s) => out.push(s), () => t);
    line.update({ phase: 'instances eu-west-1', done: 10, total: 400 });
    t = 2000;
    line.update({ phase: 'instances eu-west-1', done: 200, total: 400 });
    line.done();
    expect(out).to.deep.equal(['\r\u001b[2Kinstances eu-west-1: 10/400', '\r\u001b[2Kinstances eu-west-1: 200/400, 100/s', '\r\u001b[2K']);
  });

  it('writes nothing when nothing happened', () => {
    const out: string[] = [];
    progressLine((s) => out.push(s)).done();
    expect(out).to.deep.equal([]);
  });
});
