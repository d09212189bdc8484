import { expect } from 'chai';
import rule from '../../rules/vss-components-installed.js';
import { absenceFact, denied, generationFact, inventoryOf, linuxInstance, presenceOf, subject, windowsInstance } from '../fixtures/facts.js';

const inventory = (captureTime: string | null, version: string | null | undefined) => windowsInstance({ inventory: inventoryOf(version, captureTime) });

const cases = [
  { name: 'installed', s: subject(), status: 'pass', says: 'AwsVssComponents 2.5.1 is installed' },
  { name: 'installed, version not reported', s: subject({ instance: inventory('2026-11-24T08:00:00Z', null) }), status: 'pass', says: 'version not reported' },
  { name: 'inventory without the package', s: subject({ instance: inventory('2026-11-24T08:00:00Z', undefined) }), status: 'fail', says: 'not in the inventory captured at 2026-11-24T08:00:00Z' },
  { name: 'no inventory at all is unknown, not missing', s: subject({ instance: inventory(null, undefined) }), status: 'unknown', says: 'no AWS:Application inventory' },
  {
    name: 'ListInventoryEntries denied',
    s: subject({ instance: windowsInstance({ inventory: denied('ssm:ListInventoryEntries') }) }),
    status: 'unknown',
    says: 'ssm:ListInventoryEntries was denied',
  },
  {
    name: 'listed by GetInventory, version not read',
    s: subject({ instance: windowsInstance({ inventory: presenceOf(undefined, 'AWS:AWSComponent') }) }),
    status: 'pass',
    says: 'AwsVssComponents is listed in the AWS:AWSComponent inventory (ssm:GetInventory); its version was not read: role WindowsBackupRole allows',
  },
  { name: 'missing per GetInventory filters', s: subject({ instance: windowsInstance({ inventory: absenceFact() }) }), status: 'fail', says: "AwsVssComponents is not in the instance's inventory: ssm:GetInventory's filters show" },
  { name: 'listed, generation from the Version filter', s: subject({ instance: windowsInstance({ inventory: generationFact('tagged') }) }), status: 'pass', says: 'AwsVssComponents is listed in the AWS:Application inventory' },
  { name: 'Linux: not applicable', s: subject({ instance: linuxInstance() }), status: 'skip', says: 'Not Windows' },
] as const;

describe('rule vss-components-installed', () => {
  for (const c of cases) {
    it(`${c.status}: ${c.name}`, () => {
      const out = rule.evaluate(c.s);
      expect(out.status).to.equal(c.status);
      expect(out.message).to.contain(c.says);
    });
  }

  it('the fix installs the package on this instance with AWS-ConfigureAWSPackage', () => {
    const out = rule.evaluate(subject({ instance: inventory('2026-11-24T08:00:00Z', undefined) }));
    expect(out.fix).to.equal(
      `aws ssm send-command --region eu-west-1 --instance-ids i-0a1b2c3d4e5f60718 --document-name AWS-ConfigureAWSPackage --parameters '{"action":["Install"],"name":["AwsVssComponents"]}'`,
    );
  });
});
