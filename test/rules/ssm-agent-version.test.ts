import { expect } from 'chai';
import rule from '../../rules/ssm-agent-version.js';
import { denied, linuxInstance, onlineNode, subject, windowsInstance } from '../fixtures/facts.js';

const agent = (agentVersion: string | null) => subject({ instance: windowsInstance({ ssm: { known: true, value: onlineNode({ agentVersion }) } }) });

const cases = [
  { name: 'current agent', s: subject(), status: 'pass', says: 'SSM Agent 3.3.1345.0 is 3.0.502.0 or later' },
  { name: 'exactly the minimum', s: agent('3.0.502.0'), status: 'pass', says: '3.0.502.0' },
  { name: 'older 3.0 build', s: agent('3.0.431.0'), status: 'fail', says: 'SSM Agent 3.0.431.0 is older than 3.0.502.0' },
  { name: 'the old documented minimum 2.2.58.0', s: agent('2.2.58.0'), status: 'fail', says: '2.2.58.0' },
  { name: 'AgentVersion null', s: agent(null), status: 'unknown', says: 'no AgentVersion' },
  { name: 'AgentVersion not numeric', s: agent('3.x-beta'), status: 'unknown', says: 'AgentVersion 3.x-beta is not a numeric version' },
  { name: 'not listed by SSM', s: subject({ instance: windowsInstance({ ssm: { known: true, value: null } }) }), status: 'unknown', says: 'SSM does not list i-0a1b2c3d4e5f60718' },
  {
    name: 'DescribeInstanceInformation denied',
    s: subject({ instance: windowsInstance({ ssm: denied('ssm:DescribeInstanceInformation') }) }),
    status: 'unknown',
    says: 'ssm:DescribeInstanceInformation was denied',
  },
  { name: 'Linux: not applicable', s: subject({ instance: linuxInstance() }), status: 'skip', says: 'Not Windows' },
] as const;

describe('rule ssm-agent-version', () => {
  for (const c of cases) {
    it(`${c.status}: ${c.name}`, () => {
      const out = rule.evaluate(c.s);
      expect(out.status, out.message).to.equal(c.status);
      expect(out.message).to.contain(c.says);
    });
  }

  it('evidence is AgentVersion', () => {
    expect(rule.evaluate(agent('3.0.431.0')).evidence).to.deep.equal({ AgentVersion: '3.0.431.0' });
  });

  it('the fix updates the agent on the real instance', () => {
    expect(rule.evaluate(agent('2.3.1644.0')).fix).to.equal(
      'aws ssm send-command --region eu-west-1 --instance-ids i-0a1b2c3d4e5f60718 --document-name AWS-UpdateSSMAgent',
    );
  });
});
