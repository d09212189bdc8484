import { expect } from 'chai';
import rule from '../../rules/vss-components-current.js';
import type { SsmInfo } from '../../src/facts/snapshot.js';
import { absenceFact, denied, generationFact, linuxInstance, onlineNode, presenceOf, subject, windowsInstance, inventoryOf } from '../fixtures/facts.js';

const SERVER_2012_R2: Partial<SsmInfo> = { platformName: 'Microsoft Windows Server 2012 R2 Standard', platformVersion: '6.3.9600' };

/** version undefined = not in the inventory; captureTime null = no inventory at all. */
const pkg = (version: string | null | undefined, node: Partial<SsmInfo> = {}, captureTime: string | null = '2026-11-24T08:00:00Z') =>
  subject({
    instance: windowsInstance({ ssm: { known: true, value: onlineNode(node) }, inventory: inventoryOf(version, captureTime) }),
  });

const cases = [
  { name: 'the latest 2.5.1', s: subject(), status: 'pass', says: 'AwsVssComponents 2.5.1 is 2.3.1 or later.' },
  { name: '2.3.1, not the latest', s: pkg('2.3.1'), status: 'pass', says: 'AwsVssComponents 2.3.1 is 2.3.1 or later, though not the latest 2.5.1' },
  { name: 'newer than we know', s: pkg('2.6.0'), status: 'pass', says: '2.6.0 is 2.3.1 or later.' },
  { name: '2.1.0 on Windows Server 2012 R2', s: pkg('2.1.0', SERVER_2012_R2), status: 'pass', says: 'the last version for this OS (PlatformVersion 6.3.9600)' },
  { name: '2.1.0 on Windows Server 2012', s: pkg('2.1.0', { platformVersion: '6.2.9200' }), status: 'pass', says: 'last version for this OS' },
  { name: '2.2.1 on 2022', s: pkg('2.2.1'), status: 'warn', says: 'AwsVssComponents 2.2.1 predates 2.3.1' },
  { name: '2.1.0 on 2022', s: pkg('2.1.0'), status: 'warn', says: 'the latest is 2.5.1 (released 2025-03-13)' },
  { name: '1.3.1.0 on 2012 R2', s: pkg('1.3.1.0', SERVER_2012_R2), status: 'warn', says: 'older than 2.1.0, the last version for this OS' },
  { name: 'Version null', s: pkg(null), status: 'unknown', says: 'without a Version' },
  { name: 'Version not numeric', s: pkg('2.5.1-beta'), status: 'unknown', says: 'Version 2.5.1-beta is not numeric' },
  {
    name: 'ListInventoryEntries denied',
    s: subject({ instance: windowsInstance({ inventory: denied('ssm:ListInventoryEntries') }) }),
    status: 'unknown',
    says: 'ssm:ListInventoryEntries was denied',
  },
  { name: 'not installed', s: pkg(undefined), status: 'skip', says: 'not installed; vss-components-installed reports it' },
  { name: 'no inventory', s: pkg(undefined, {}, null), status: 'skip', says: 'no inventory; vss-components-installed reports it' },
  {
    name: 'version not read because it decides nothing: a skip, never an unknown',
    s: subject({ instance: windowsInstance({ inventory: presenceOf() }) }),
    status: 'skip',
    says: 'The AwsVssComponents version was not read: role WindowsBackupRole allows the requests of every AwsVssComponents version',
  },
  { name: 'generation from the Version filter: 2.3.1 or later', s: subject({ instance: windowsInstance({ inventory: generationFact('tagged') }) }), status: 'pass', says: 'AwsVssComponents 2.3.1 or later is installed (ssm:GetInventory Version filter' },
  { name: 'generation from the Version filter: before 2.2.1', s: subject({ instance: windowsInstance({ inventory: generationFact('legacy') }) }), status: 'warn', says: 'AwsVssComponents before 2.2.1 is installed (ssm:GetInventory Version filter), which predates 2.3.1' },
  {
    name: 'generation before 2.2.1 on Windows Server 2012 R2: whether it is the last for the OS was not read',
    s: subject({ instance: windowsInstance({ ssm: { known: true, value: onlineNode(SERVER_2012_R2) }, inventory: generationFact('legacy') }) }),
    status: 'unknown',
    says: 'whether it is 2.1.0, the last version for this OS, was not read',
  },
  { name: 'missing per GetInventory filters: vss-components-installed reports it', s: subject({ instance: windowsInstance({ inventory: absenceFact() }) }), status: 'skip', says: 'AwsVssComponents is not installed' },
  { name: 'Linux: not applicable', s: subject({ instance: linuxInstance() }), status: 'skip', says: 'Not Windows' },
] as const;

describe('rule vss-components-current', () => {
  for (const c of cases) {
    it(`${c.status}: ${c.name}`, () => {
      const out = rule.evaluate(c.s);
      expect(out.status, out.message).to.equal(c.status);
      expect(out.message).to.contain(c.says);
    });
  }

  it('evidence keeps AWS field names', () => {
    expect(rule.evaluate(pkg('2.2.1')).evidence).to.deep.equal({ CaptureTime: '2026-11-24T08:00:00Z', Version: '2.2.1', PlatformVersion: '10.0.20348' });
  });

  it('the fix installs the latest package on the real instance', () => {
    expect(rule.evaluate(pkg('2.2.1')).fix).to.equal(
      `aws ssm send-command --region eu-west-1 --instance-ids i-0a1b2c3d4e5f60718 --document-name AWS-ConfigureAWSPackage --parameters '{"action":["Install"],"name":["AwsVssComponents"]}'`,
    );
  });

  it('on 2012 R2 the fix pins 2.1.0, the last version that installs there', () => {
    expect(rule.evaluate(pkg('1.3.1.0', SERVER_2012_R2)).fix).to.contain('--instance-ids i-0a1b2c3d4e5f60718').and.contain('"version":["2.1.0"]');
  });
});
