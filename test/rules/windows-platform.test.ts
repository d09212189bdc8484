import { expect } from 'chai';
import rule from '../../rules/windows-platform.js';
import { linuxInstance, onlineNode, subject, windowsInstance } from '../fixtures/facts.js';

const cases = [
  { name: 'SSM reports Windows', s: subject(), status: 'pass', says: 'ssm:PlatformType' },
  {
    name: 'unmanaged, EC2 Platform windows',
    s: subject({ instance: windowsInstance({ ssm: { known: true, value: null } }) }),
    status: 'pass',
    says: 'ec2:Platform',
  },
  {
    name: 'Windows BYOL by PlatformDetails alone',
    s: subject({ instance: windowsInstance({ platform: null, platformDetails: 'Windows BYOL', ssm: { known: true, value: null } }) }),
    status: 'pass',
    says: 'ec2:PlatformDetails',
  },
  {
    name: 'EC2 Platform spelled Windows (model enum)',
    s: subject({ instance: windowsInstance({ platform: 'Windows', ssm: { known: true, value: null } }) }),
    status: 'pass',
    says: 'Windows',
  },
  { name: 'Linux', s: subject({ instance: linuxInstance() }), status: 'fail', says: 'Linux' },
  {
    name: 'SSM says Linux although the AMI bills as Windows',
    s: subject({ instance: windowsInstance({ ssm: { known: true, value: onlineNode({ platformType: 'Linux' }) } }) }),
    status: 'fail',
    says: 'Linux',
  },
  {
    name: 'unmanaged Linux by PlatformDetails',
    s: subject({ instance: linuxInstance({ ssm: { known: true, value: null } }) }),
    status: 'fail',
    says: 'Linux/UNIX',
  },
  {
    name: 'nothing says the OS',
    s: subject({ instance: windowsInstance({ platform: null, platformDetails: null, ssm: { known: false, reason: 'denied' } }) }),
    status: 'unknown',
    says: 'neither',
  },
] as const;

describe('rule windows-platform', () => {
  for (const c of cases) {
    it(`${c.status}: ${c.name}`, () => {
      const out = rule.evaluate(c.s);
      expect(out.status).to.equal(c.status);
      expect(out.message).to.contain(c.says);
      if (c.status === 'fail') expect(out.fix, 'VSS is Windows-only: nothing to fix').to.equal(undefined);
    });
  }
});
