import { expect } from 'chai';
import rule from '../../rules/instance-type-supported.js';
import { linuxInstance, subject, windowsInstance } from '../fixtures/facts.js';

const typed = (instanceType: string) => subject({ instance: windowsInstance({ instanceType }) });

const cases = [
  { name: 'm5.large', s: subject(), status: 'pass', says: 'InstanceType m5.large' },
  { name: 't3.small, the smallest supported t3', s: typed('t3.small'), status: 'pass', says: 't3.small' },
  { name: 't2.nano', s: typed('t2.nano'), status: 'fail', says: 'InstanceType t2.nano is not supported' },
  { name: 't2.micro', s: typed('t2.micro'), status: 'fail', says: 't2.micro' },
  { name: 't3.nano', s: typed('t3.nano'), status: 'fail', says: 't3.nano' },
  { name: 't3.micro', s: typed('t3.micro'), status: 'fail', says: 't3.micro' },
  { name: 't3a.nano', s: typed('t3a.nano'), status: 'fail', says: 't3a.nano' },
  { name: 't3a.micro', s: typed('t3a.micro'), status: 'fail', says: 't3a.micro' },
  { name: 'empty InstanceType', s: typed(''), status: 'unknown', says: 'no usable InstanceType' },
  { name: "InstanceType 'unknown'", s: typed('unknown'), status: 'unknown', says: '"unknown"' },
  { name: 'Linux t3.micro: not applicable', s: subject({ instance: linuxInstance({ instanceType: 't3.micro' }) }), status: 'skip', says: 'Not Windows' },
] as const;

describe('rule instance-type-supported', () => {
  for (const c of cases) {
    it(`${c.status}: ${c.name}`, () => {
      const out = rule.evaluate(c.s);
      expect(out.status, out.message).to.equal(c.status);
      expect(out.message).to.contain(c.says);
      if (c.status !== 'skip') expect(out.evidence).to.have.property('InstanceType');
    });
  }

  it('the fix stops, resizes and starts the real instance', () => {
    const out = rule.evaluate(typed('t3.micro'));
    expect(out.fix).to.contain('aws ec2 stop-instances --region eu-west-1 --instance-ids i-0a1b2c3d4e5f60718');
    expect(out.fix).to.contain('aws ec2 modify-instance-attribute --region eu-west-1 --instance-id i-0a1b2c3d4e5f60718 --instance-type Value=t3.small');
    expect(out.fix).to.contain('aws ec2 start-instances --region eu-west-1 --instance-ids i-0a1b2c3d4e5f60718');
  });

  it('a t2 stays in its family (a Nitro type would need ENA and NVMe drivers)', () => {
    expect(rule.evaluate(typed('t2.micro')).fix).to.contain('Value=t2.small');
    expect(rule.evaluate(typed('t3a.nano')).fix).to.contain('Value=t3a.small');
  });
});
