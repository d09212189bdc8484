import { expect } from 'chai';
import { accountRegions, parseWorld } from './world.js';
import { exampleWorld } from './test-helpers.js';

describe('fake AWS: world schema', () => {
  it('parses the example world and fills defaults', () => {
    const w = parseWorld(exampleWorld());
    const app = w.regions['eu-west-1']!.instances.find((i) => i.instanceId === 'i-0a1b2c3d4e5f60005')!;
    expect(app).to.include({ state: 'running', instanceType: 't3.medium', architecture: 'x86_64' });
    expect(w.faults).to.deep.equal({ deny: [], throttle: [], maxPageSize: {} });
    expect(accountRegions(w).map(([r, info]) => `${r}:${info.optInStatus}`)).to.deep.equal([
      'ap-east-1:not-opted-in',
      'eu-south-1:opted-in',
      'eu-west-1:opt-in-not-required',
      'us-east-1:opt-in-not-required',
    ]);
  });

  it('rejects inconsistent worlds with a readable error', () => {
    const dupe = { accountId: '111122223333', regions: { 'eu-west-1': { instances: [{ instanceId: 'i-1' }, { instanceId: 'i-1' }] } } };
    expect(() => parseWorld(dupe)).to.throw(/duplicate instance i-1/);
    const dangling = { accountId: '111122223333', regions: {}, iam: { instanceProfiles: [{ name: 'P', roles: ['Missing'] }] } };
    expect(() => parseWorld(dangling)).to.throw(/unknown role Missing/);
    expect(() => parseWorld({ accountId: '42', regions: {} })).to.throw(/12 digits/);
  });
});
