import { expect } from 'chai';
import { verdictOf, type Judged } from '../../src/engine/verdict.js';

const f = (status: Judged['status'], consequence: Judged['consequence']): Judged => ({ status, consequence });

const cases: { name: string; findings: Judged[]; verdict: string; possible: string[] }[] = [
  { name: 'all pass', findings: [f('pass', 'no-vss'), f('pass', 'vss-fallback')], verdict: 'application-consistent', possible: ['application-consistent'] },
  { name: 'warnings do not change it', findings: [f('warn', 'vss-fallback'), f('skip', 'no-vss')], verdict: 'application-consistent', possible: ['application-consistent'] },
  { name: 'a fallback failure', findings: [f('pass', 'no-vss'), f('fail', 'vss-fallback')], verdict: 'vss-fallback', possible: ['vss-fallback'] },
  { name: 'no-vss beats fallback', findings: [f('fail', 'no-vss'), f('fail', 'vss-fallback')], verdict: 'no-vss', possible: ['no-vss'] },
  {
    name: 'a definite no-vss wins over unknowns that cannot change it',
    findings: [f('fail', 'no-vss'), f('unknown', 'vss-fallback'), f('unknown', 'no-vss')],
    verdict: 'no-vss',
    possible: ['no-vss'],
  },
  { name: 'unknown fallback rule, rest pass', findings: [f('pass', 'no-vss'), f('unknown', 'vss-fallback')], verdict: 'unknown', possible: ['application-consistent', 'vss-fallback'] },
  {
    name: 'known fallback, unknown gate',
    findings: [f('unknown', 'no-vss'), f('fail', 'vss-fallback')],
    verdict: 'unknown',
    possible: ['vss-fallback', 'no-vss'],
  },
  { name: 'known fallback, unknown fallback rule: still fallback', findings: [f('fail', 'vss-fallback'), f('unknown', 'vss-fallback')], verdict: 'vss-fallback', possible: ['vss-fallback'] },
];

describe('verdictOf', () => {
  for (const c of cases) {
    it(c.name, () => {
      expect(verdictOf(c.findings)).to.deep.equal({ verdict: c.verdict, possible: c.possible });
    });
  }
});
