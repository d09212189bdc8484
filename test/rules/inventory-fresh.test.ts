import { expect } from 'chai';
import rule from '../../rules/inventory-fresh.js';
import { absenceFact, COLLECTED_AT, denied, linuxInstance, presenceOf, subject, windowsInstance } from '../fixtures/facts.js';

const captured = (captureTime: string | null) =>
  subject({
    instance: windowsInstance({
      inventory: {
        known: true,
        value: { captureTime, vssComponents: captureTime ? { typeName: 'AWS:Application', name: 'AwsVssComponents', version: '2.5.1', publisher: 'Amazon Web Services' } : null },
      },
    }),
  });

const cases = [
  { name: 'captured a day before the scan', s: subject(), status: 'pass', says: 'captured 1 day before the scan (CaptureTime 2026-11-24T08:00:00Z)' },
  { name: 'exactly 7 days old', s: captured('2026-11-18T08:00:00Z'), status: 'pass', says: '7 days' },
  { name: 'captured after the scan started', s: captured('2026-11-25T08:05:00Z'), status: 'pass', says: '0 days' },
  {
    name: '12 days old',
    s: captured('2026-11-13T08:00:00Z'),
    status: 'warn',
    says: 'captured 12 days before the scan (CaptureTime 2026-11-13T08:00:00Z); installs or removals since then are not seen',
  },
  { name: 'just over 7 days', s: captured('2026-11-17T20:00:00Z'), status: 'warn', says: '7.5 days' },
  {
    name: 'ListInventoryEntries denied',
    s: subject({ instance: windowsInstance({ inventory: denied('ssm:ListInventoryEntries') }) }),
    status: 'unknown',
    says: 'ssm:ListInventoryEntries was denied',
  },
  { name: 'no inventory at all', s: captured(null), status: 'skip', says: 'no inventory; vss-components-installed reports it' },
  {
    name: 'CaptureTime not read (GetInventory presence only)',
    s: subject({ instance: windowsInstance({ inventory: presenceOf() }) }),
    status: 'skip',
    says: 'The inventory CaptureTime was not read: role WindowsBackupRole allows',
  },
  { name: 'missing per GetInventory filters: CaptureTime not read', s: subject({ instance: windowsInstance({ inventory: absenceFact() }) }), status: 'skip', says: "The inventory CaptureTime was not read: ssm:GetInventory's filters show" },
  { name: 'Linux: not applicable', s: subject({ instance: linuxInstance() }), status: 'skip', says: 'Not Windows' },
] as const;

describe('rule inventory-fresh', () => {
  for (const c of cases) {
    it(`${c.status}: ${c.name}`, () => {
      const out = rule.evaluate(c.s);
      expect(out.status, out.message).to.equal(c.status);
      expect(out.message).to.contain(c.says);
    });
  }

  it('ages are measured from collectedAt, not the wall clock', () => {
    const s = captured('2026-11-13T08:00:00Z');
    expect(s.collectedAt).to.equal(COLLECTED_AT);
    expect(rule.evaluate({ ...s, collectedAt: '2026-11-14T08:00:00Z' }).status).to.equal('pass');
  });

  it('the fix checks the AWS-GatherSoftwareInventory association for the real instance', () => {
    const out = rule.evaluate(captured('2026-11-01T08:00:00Z'));
    expect(out.evidence).to.deep.equal({ CaptureTime: '2026-11-01T08:00:00Z' });
    expect(out.fix).to.contain('aws ssm list-associations --association-filter-list key=Name,value=AWS-GatherSoftwareInventory --region eu-west-1');
    expect(out.fix).to.contain('aws ssm describe-instance-associations-status --region eu-west-1 --instance-id i-0a1b2c3d4e5f60718');
  });
});
