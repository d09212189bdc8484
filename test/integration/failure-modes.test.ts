import { expect } from 'chai';
import { RULES } from '../../rules/index.js';
import type { Report } from '../../src/report/schema.js';
import type { WorldInput } from '../fake-aws/world.js';
import { runCli, withFakeAws } from './harness.js';
import { ACCOUNT, ids, world } from './worlds.js';

const report = (stdout: string) => JSON.parse(stdout) as Report;
const finding = (r: Report, rule: string) => r.instances[0]!.findings.find((f) => f.ruleId === rule)!;

/** One good Windows instance, with a change to the world. */
function oneWindows(change: (w: WorldInput, id: string) => void): () => WorldInput {
  return () => {
    const id = ids('c', 1)[0]!;
    const w = world({ 'eu-west-1': [{ id, os: 'windows' }] });
    change(w, id);
    return w;
  };
}

describe('failure modes against the fake AWS endpoint', () => {
  describe('a service control policy denying ec2:CreateImage', () => {
    const { fake } = withFakeAws(
      oneWindows((w) => {
        w.organizations = {
          scps: [
            {
              name: 'NoAmis',
              document: {
                Version: '2012-10-17',
                Statement: [
                  { Effect: 'Allow', Action: '*', Resource: '*' },
                  { Effect: 'Deny', Action: 'ec2:CreateImage', Resource: '*' },
                ],
              },
            },
          ],
        };
      }),
    );

    it('fails scp-allows-vss although the role allows everything', async () => {
      const run = await runCli(['scan', '--format', 'json'], { fake: fake() });
      const r = report(run.stdout);
      expect(finding(r, 'instance-role-grants-vss').status).to.equal('pass');
      expect(finding(r, 'scp-allows-vss')).to.include({ status: 'fail' });
      expect(finding(r, 'scp-allows-vss').message).to.contain('denies ec2:CreateImage in eu-west-1');
      expect(r.instances[0]!.verdict).to.equal('vss-fallback');
    });
  });

  describe('an AWS Backup role without ssm:SendCommand', () => {
    const { fake } = withFakeAws(
      oneWindows((w) => {
        w.iam!.roles!.push({ name: 'CustomBackupRole', inlinePolicies: { ec2: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }] } } });
      }),
    );

    it('fails backup-role-can-run-vss with the fix for the real role', async () => {
      const run = await runCli(['scan', '--format', 'json', '--backup-role', `arn:aws:iam::${ACCOUNT}:role/CustomBackupRole`], { fake: fake() });
      expect(run.code, run.stderr).to.equal(0);
      const f = finding(report(run.stdout), 'backup-role-can-run-vss');
      expect(f.status).to.equal('fail');
      expect(f.message).to.contain('ssm:SendCommand');
      expect(f.fix).to.contain('aws iam attach-role-policy --role-name CustomBackupRole --policy-arn arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup');
    });
  });

  describe('Default Host Management with a role lacking the VSS permissions', () => {
    const { fake } = withFakeAws(
      oneWindows((w, id) => {
        const region = w.regions['eu-west-1']!;
        delete region.instances![0]!.iamInstanceProfileArn;
        region.serviceSettings = { '/ssm/managed-instance/default-ec2-instance-management-role': { value: 'service-role/DhmcRole' } };
        w.iam!.roles!.push({ name: 'DhmcRole', path: '/service-role/', attachedPolicyArns: ['arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore'] });
        expect(region.ssm![0]!.instanceId).to.equal(id);
      }),
    );

    it('reads the DHMC role and fails dhmc-role-grants-vss, naming it', async () => {
      const run = await runCli(['scan', '--format', 'json'], { fake: fake() });
      const r = report(run.stdout);
      expect(finding(r, 'instance-role-grants-vss').status).to.equal('skip');
      const f = finding(r, 'dhmc-role-grants-vss');
      expect(f.status).to.equal('fail');
      expect(f.fix).to.contain('--role-name DhmcRole ');
      expect(r.instances[0]!.verdict).to.equal('vss-fallback');
    });
  });

  describe('the new reads denied', () => {
    const { fake } = withFakeAws(
      oneWindows((w) => {
        w.faults = {
          deny: [
            { service: 'ec2', action: 'DescribeVolumes' },
            { service: 'ec2', action: 'DescribeVpcEndpoints' },
            { service: 'iam', action: 'SimulatePrincipalPolicy' },
          ],
        };
      }),
    );

    it('turn the findings that need them unknown or warn, list the errors, and keep the scan', async () => {
      const run = await runCli(['scan', '--format', 'json'], { fake: fake() });
      expect(run.code, run.stderr).to.equal(3);
      const r = report(run.stdout);
      expect(finding(r, 'no-multi-attach-volumes').status).to.equal('unknown');
      expect(finding(r, 'ec2-endpoint-reachable').status).to.equal('unknown');
      expect(finding(r, 'scp-allows-vss')).to.include({ status: 'warn' });
      expect(r.errors.map((e) => e.action).sort()).to.deep.equal(['DescribeVolumes', 'DescribeVpcEndpoints', 'SimulatePrincipalPolicy']);
    });
  });
});

describe('rule catalogue commands', () => {
  it('`rules` lists every rule with severity, consequence and source', async () => {
    const run = await runCli(['rules']);
    expect(run.code).to.equal(0);
    for (const rule of RULES) expect(run.stdout).to.match(new RegExp(`^${rule.id}\\s+${rule.severity}\\s+${rule.consequence}\\s+.*https://`, 'm'));
    expect(run.stdout).to.contain(`${RULES.length} rules.`);
  });

  it('`explain` prints every section of a rule', async () => {
    const rule = RULES.find((r) => r.id === 'vss-package-matches-policy')!;
    const run = await runCli(['explain', rule.id]);
    expect(run.code).to.equal(0);
    for (const heading of ['Why it matters', 'How it is detected', 'Fix', 'Not verified', 'Sources']) expect(run.stdout).to.contain(`\n${heading}\n`);
    for (const url of rule.sources) expect(run.stdout).to.contain(url);
  });

  it('`explain` of a mistyped id suggests the right one', async () => {
    const run = await runCli(['explain', 'instance-runing']);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.equal('vss-preflight: no rule "instance-runing"; did you mean instance-running? (list them with `vss-preflight rules`)\n');
  });
});
