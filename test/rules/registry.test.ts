import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { RULES } from '../../rules/index.js';
import { outcomesOf } from '../../src/engine/outcome.js';

const root = new URL('../../', import.meta.url);
const ruleFiles = readdirSync(new URL('rules/', root)).filter((f) => f.endsWith('.ts') && f !== 'index.ts');

describe('rule registry', () => {
  it('lists every rule file exactly once', () => {
    expect(RULES.map((r) => `${r.id}.ts`).sort()).to.deep.equal(ruleFiles.sort());
  });

  it('has unique ids', () => {
    expect(new Set(RULES.map((r) => r.id)).size).to.equal(RULES.length);
  });

  for (const rule of RULES) {
    describe(rule.id, () => {
      it('has kebab-case id, title, why, detection, fix and https sources', () => {
        expect(rule.id).to.match(/^[a-z0-9]+(-[a-z0-9]+)*$/);
        expect(rule.title).to.not.match(/^ensure/i);
        for (const text of [rule.title, rule.why, rule.detection, rule.fix]) expect(text.length).to.be.greaterThan(10);
        expect(rule.sources).to.not.be.empty;
        for (const url of rule.sources) expect(url).to.match(/^https:\/\//);
      });

      it(`has a table test with a row for each outcome (${outcomesOf(rule).join(', ')})`, () => {
        const file = new URL(`test/rules/${rule.id}.test.ts`, root);
        expect(existsSync(file), `test/rules/${rule.id}.test.ts`).to.equal(true);
        const text = readFileSync(file, 'utf8');
        for (const status of outcomesOf(rule)) expect(text, status).to.match(new RegExp(`status: '${status}'`));
      });
    });
  }
});

describe('README', () => {
  const readme = readFileSync(new URL('README.md', root), 'utf8');
  it('lists every rule in its rule table', () => {
    for (const rule of RULES) expect(readme, rule.id).to.contain(`| \`${rule.id}\` |`);
  });
});
