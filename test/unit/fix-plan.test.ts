import { expect } from 'chai';
import { RULES } from '../../rules/index.js';
import { buildFixPlan } from '../../src/engine/fix-plan.js';
import type { Finding, InstanceReport } from '../../src/report/schema.js';

const id = (n: number) => `i-${n.toString(16).padStart(17, '0')}`;
function instance(n: number, findings: Finding[]): InstanceReport {
  return {
    instanceId: id(n),
    accountId: '111122223333',
    region: 'eu-west-1',
    name: null,
    state: 'running',
    instanceType: 'm5.large',
    verdict: 'vss-fallback',
    possibleVerdicts: ['vss-fallback'],
    verdictOnceRunning: 'vss-fallback',
    gateVerdict: 'vss-fallback',
    expectedJobStatus: 'Completed with issues',
    reason: null,
    findings,
  };
}
const install = (n: number): Finding => ({
  ruleId: 'vss-components-installed',
  status: 'fail',
  message: 'AwsVssComponents is not in the inventory.',
  evidence: {},
  fix: `aws ssm send-command --region eu-west-1 --instance-ids ${id(n)} --document-name AWS-ConfigureAWSPackage`,
});
const attach: Finding = { ruleId: 'instance-role-grants-vss', status: 'fail', message: 'Role R does not allow ec2:CreateImage.', evidence: {}, fix: 'aws iam attach-role-policy --role-name R' };

describe('fix plan', () => {
  it('groups instances that need the same action, most instances first', () => {
    const plan = buildFixPlan([instance(1, [attach]), instance(2, [attach, install(2)]), instance(3, [attach])], RULES);
    expect(plan.map((s) => [s.ruleId, s.instances.length, s.command])).to.deep.equal([
      ['instance-role-grants-vss', 3, 'aws iam attach-role-policy --role-name R'],
      ['vss-components-installed', 1, `aws ssm send-command --region eu-west-1 --instance-ids ${id(2)} --document-name AWS-ConfigureAWSPackage`],
    ]);
    expect(plan[0]!.action).to.equal('Role R does not allow ec2:CreateImage.');
  });

  it('gives a per-instance command every id of its group, 50 per command as Run Command allows', () => {
    const plan = buildFixPlan(Array.from({ length: 60 }, (_, n) => instance(n, [install(n)])), RULES);
    expect(plan).to.have.length(1);
    const commands = plan[0]!.command.split('\n');
    expect(commands).to.have.length(2);
    expect(commands[0]!.split(' i-')).to.have.length(51);
    expect(commands[1]).to.contain(`--instance-ids ${id(50)} ${id(51)}`);
  });

  it('leaves out suppressed findings, findings without a fix, and passes', () => {
    const suppressed = { ...attach, suppressed: { reason: 'accepted risk', expires: '2027-01-01', source: 's.yaml#1' } };
    const linux: Finding = { ruleId: 'windows-platform', status: 'fail', message: 'Linux.', evidence: {} };
    const ok: Finding = { ...attach, status: 'pass' };
    expect(buildFixPlan([instance(1, [suppressed, linux, ok])], RULES)).to.deep.equal([]);
  });
});
