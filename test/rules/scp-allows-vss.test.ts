import { expect } from 'chai';
import rule from '../../rules/scp-allows-vss.js';
import type { ScpFacts } from '../../src/facts/snapshot.js';
import { denied, linuxInstance, subject } from '../fixtures/facts.js';

const ROLE = 'arn:aws:iam::111122223333:role/WindowsBackupRole';
const simulated = (allowed: Record<string, boolean | null>): ScpFacts => ({ known: true, value: { principal: ROLE, allowedByOrganizations: allowed } });
const ALL = (v: boolean | null) => ({ 'ec2:CreateImage': v, 'ec2:CreateTags': v, 'ec2:DescribeImages': v, 'ec2:DescribeInstanceAttribute': v });

const cases = [
  { name: 'SCPs allow every action', s: subject({ scps: simulated(ALL(true)) }), status: 'pass', says: 'allow the VSS EC2 actions in eu-west-1' },
  { name: 'account not governed by SCPs', s: subject({ scps: simulated(ALL(null)) }), status: 'pass', says: 'reports no service control policy' },
  { name: 'an SCP denies CreateImage', s: subject({ scps: simulated({ ...ALL(true), 'ec2:CreateImage': false }) }), status: 'fail', says: 'denies ec2:CreateImage in eu-west-1' },
  { name: 'simulator denied', s: subject({ scps: denied('iam:SimulatePrincipalPolicy') }), status: 'warn', says: 'iam:SimulatePrincipalPolicy was denied' },
  { name: 'nothing simulated', s: subject(), status: 'skip', says: 'were not checked' },
  { name: 'Linux', s: subject({ instance: linuxInstance(), scps: simulated(ALL(false)) }), status: 'skip', says: 'Not Windows' },
] as const;

describe('rule scp-allows-vss', () => {
  for (const c of cases) {
    it(`${c.status}: ${c.name}`, () => {
      const out = rule.evaluate(c.s);
      expect(out.status).to.equal(c.status);
      expect(out.message).to.contain(c.says);
    });
  }

  it('the fix looks up the SCPs of the real account', () => {
    const out = rule.evaluate(subject({ scps: simulated({ ...ALL(true), 'ec2:CreateTags': false }) }));
    expect(out.fix).to.contain('aws organizations list-policies-for-target --target-id 111122223333 --filter SERVICE_CONTROL_POLICY');
    expect(out.evidence).to.include({ SimulatedPrincipal: ROLE, 'ec2:CreateTags AllowedByOrganizations': false });
  });
});
