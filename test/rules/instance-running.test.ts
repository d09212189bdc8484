import { expect } from 'chai';
import rule from '../../rules/instance-running.js';
import { linuxInstance, subject, windowsInstance } from '../fixtures/facts.js';

const cases = [
  { name: 'running', s: subject(), status: 'pass', says: 'running' },
  { name: 'stopped', s: subject({ instance: windowsInstance({ state: 'stopped' }) }), status: 'fail', says: 'is stopped' },
  { name: 'pending', s: subject({ instance: windowsInstance({ state: 'pending' }) }), status: 'fail', says: 'still starting' },
  { name: 'a state EC2 does not document', s: subject({ instance: windowsInstance({ state: 'hibernating' }) }), status: 'unknown', says: 'hibernating' },
  { name: 'Linux', s: subject({ instance: linuxInstance({ state: 'stopped' }) }), status: 'skip', says: 'Not Windows' },
] as const;

describe('rule instance-running', () => {
  for (const c of cases) {
    it(`${c.status}: ${c.name}`, () => {
      const out = rule.evaluate(c.s);
      expect(out.status).to.equal(c.status);
      expect(out.message).to.contain(c.says);
    });
  }

  it('is transient, so the report can say what the instance gets once running', () => {
    expect(rule.transient).to.equal(true);
  });

  it('the fix starts this instance', () => {
    expect(rule.evaluate(subject({ instance: windowsInstance({ state: 'stopped' }) })).fix).to.contain('aws ec2 start-instances --region eu-west-1 --instance-ids i-0a1b2c3d4e5f60718');
  });
});
