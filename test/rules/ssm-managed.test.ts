import { expect } from 'chai';
import rule from '../../rules/ssm-managed.js';
import { denied, linuxInstance, noProfile, onlineNode, region, subject, windowsInstance } from '../fixtures/facts.js';

const unmanaged = (over = {}) => windowsInstance({ ssm: { known: true, value: null }, ...over });

const cases = [
  { name: 'agent Online', s: subject(), status: 'pass', consequence: undefined, says: 'Online' },
  { name: 'not listed', s: subject({ instance: unmanaged() }), status: 'fail', consequence: undefined, says: 'Not listed' },
  {
    name: 'ConnectionLost while running: VSS attempted and fails',
    s: subject({ instance: windowsInstance({ ssm: { known: true, value: onlineNode({ pingStatus: 'ConnectionLost', lastPingDateTime: '2026-11-02T08:00:00.000Z' }) } }) }),
    status: 'fail',
    consequence: 'vss-fallback',
    says: 'ConnectionLost (last ping 23 days before the scan) while the instance runs',
  },
  {
    name: 'ConnectionLost because stopped: instance-running reports it',
    s: subject({ instance: windowsInstance({ state: 'stopped', ssm: { known: true, value: onlineNode({ pingStatus: 'ConnectionLost' }) } }) }),
    status: 'pass',
    consequence: undefined,
    says: 'because the instance is stopped',
  },
  {
    name: 'Online but silent for hours',
    s: subject({ instance: windowsInstance({ ssm: { known: true, value: onlineNode({ lastPingDateTime: '2026-11-25T02:00:00.000Z' }) } }) }),
    status: 'warn',
    consequence: undefined,
    says: 'last ping was 6 hours before the scan',
  },
  {
    name: 'stopped, not listed, has a profile: may be managed once running',
    s: subject({ instance: unmanaged({ state: 'stopped' }) }),
    status: 'unknown',
    consequence: undefined,
    says: 'stopped',
  },
  {
    name: 'stopped, not listed, no profile, DHMC off: definitely unmanaged',
    s: subject({ ...noProfile(unmanaged({ state: 'stopped', instanceProfileArn: null })), region: region(null) }),
    status: 'fail',
    consequence: undefined,
    says: 'Not listed',
  },
  {
    name: 'stopped, not listed, no profile, DHMC on',
    s: subject({ ...noProfile(unmanaged({ state: 'stopped', instanceProfileArn: null })), region: region('DHMCRole') }),
    status: 'unknown',
    consequence: undefined,
    says: 'stopped',
  },
  {
    name: 'DescribeInstanceInformation denied',
    s: subject({ instance: windowsInstance({ ssm: denied('ssm:DescribeInstanceInformation') }) }),
    status: 'unknown',
    consequence: undefined,
    says: 'ssm:DescribeInstanceInformation was denied',
  },
  { name: 'Linux: not applicable', s: subject({ instance: linuxInstance() }), status: 'skip', consequence: undefined, says: 'Not Windows' },
] as const;

describe('rule ssm-managed', () => {
  for (const c of cases) {
    it(`${c.status}: ${c.name}`, () => {
      const out = rule.evaluate(c.s);
      expect(out.status).to.equal(c.status);
      expect(out.consequence).to.equal(c.consequence);
      expect(out.message).to.contain(c.says);
    });
  }

  it('the fix names the real role when the profile has one', () => {
    const out = rule.evaluate(subject({ instance: unmanaged() }));
    expect(out.fix).to.contain('aws iam attach-role-policy --role-name WindowsBackupRole');
    expect(out.fix).to.contain('AmazonSSMManagedInstanceCore');
  });

  it('the fix associates a profile when the instance has none', () => {
    const out = rule.evaluate(subject(noProfile(unmanaged({ instanceProfileArn: null }))));
    expect(out.fix).to.contain('aws ec2 associate-iam-instance-profile --region eu-west-1 --instance-id i-0a1b2c3d4e5f60718');
  });
});
