import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSnapshot } from '../../src/facts/load.js';
import { upgradeSnapshot } from '../../src/facts/upgrade.js';

describe('reading a v1 snapshot', () => {
  const current = JSON.parse(readFileSync('examples/fleet.json', 'utf8')) as { regionFacts: Record<string, unknown> };
  /** The example fleet as version 1 wrote it: regionFacts keyed by region alone. */
  const v1 = {
    ...current,
    schemaVersion: 1,
    regionFacts: Object.fromEntries(Object.entries(current.regionFacts).map(([key, facts]) => [key.slice(key.indexOf('/') + 1), facts])),
  };

  it('loads as the same facts keyed by account and region', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vss-v1-'));
    writeFileSync(join(dir, 'v1.json'), JSON.stringify(v1));
    expect(await loadSnapshot(join(dir, 'v1.json'))).to.deep.equal(await loadSnapshot('examples/fleet.json'));
  });

  it('takes the account from the instances when v1 had none, and leaves other versions alone', () => {
    const noAccount = { ...v1, accountIds: [], instances: [{ accountId: '444455556666' }] };
    expect(Object.keys((upgradeSnapshot(noAccount) as { regionFacts: object }).regionFacts)).to.deep.equal(['444455556666/eu-west-1', '444455556666/us-east-1']);
    const v9 = { schemaVersion: 9, regionFacts: { 'eu-west-1': {} } };
    expect(upgradeSnapshot(v9)).to.equal(v9);
    expect(upgradeSnapshot(null)).to.equal(null);
  });
});
