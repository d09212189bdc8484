import { expect } from 'chai';
import type { Diagnosis } from '../../src/report/diagnosis.js';
import type { WorldInput } from '../fake-aws/world.js';
import { READ_ONLY, runCli, withFakeAws } from './harness.js';
import { ids, world } from './worlds.js';

const [good, noPackage, twinA, twinB] = ids('e', 4) as [string, string, string, string];

function diagnoseWorld(): WorldInput {
  const w = world({
    'eu-west-1': [
      { id: good, os: 'windows' },
      { id: noPackage, os: 'windows', pkg: false },
      { id: twinA, os: 'windows' },
      { id: twinB, os: 'windows' },
    ],
  });
  const region = w.regions['eu-west-1']!;
  region.instances!.find((i) => i.instanceId === noPackage)!.tags = { Name: 'file-server' };
  for (const twin of [twinA, twinB]) region.instances!.find((i) => i.instanceId === twin)!.tags = { Name: 'twin' };
  region.commandInvocations = [
    {
      commandId: '11111111-2222-3333-4444-555555555555',
      instanceId: noPackage,
      documentName: 'AWSEC2-CreateVssSnapshot',
      status: 'Failed',
      statusDetails: 'Failed',
      requestedDateTime: '2026-11-20T22:00:00Z',
      plugins: [{ name: 'CreateVssSnapshot', status: 'Failed', output: 'ec2-vss-agent.exe is not installed' }],
    },
  ];
  (region as Record<string, unknown>)['backupJobs'] = [
    {
      id: 'job-fallback',
      resourceArn: `arn:aws:ec2:eu-west-1:111122223333:instance/${noPackage}`,
      state: 'COMPLETED',
      messageCategory: 'WARNING',
      statusMessage: 'Windows VSS Backup attempt failed because ec2-vss-agent.exe is not installed in the Instance',
      backupOptions: { WindowsVSS: 'enabled' },
      creationDate: new Date(Date.now() - 86_400_000).toISOString(),
    },
  ];
  return w;
}

describe('diagnose', () => {
  const { fake } = withFakeAws(diagnoseWorld);

  it('by Name tag: every check, the verdict, the fixes in order, manual checks and the last VSS runs', async () => {
    const run = await runCli(['diagnose', 'file-server'], { fake: fake() });
    expect(run.code, run.stderr).to.equal(0);
    const text = run.stdout;
    expect(text).to.match(new RegExp(`^${noPackage} \\(file-server\\): eu-west-1`));
    expect(text).to.contain('Verdict: vss-fallback');
    expect(text).to.contain('"Completed with issues"');
    expect(text).to.match(/\[FAIL\] vss-components-installed: AwsVssComponents is installed\n\s+AwsVssComponents is not in the inventory/);
    expect(text).to.match(/Fix, in this order\n  1\. \[vss-components-installed\] aws ssm send-command --region eu-west-1 --instance-ids i-0e0+2 /);
    expect(text).to.contain('vssadmin list writers');
    expect(text).to.match(/2026-11-20T22:00:00.000Z  Failed  command 11111111-2222-3333-4444-555555555555\n    ec2-vss-agent.exe is not installed/);
    expect(text).to.match(/Recent AWS Backup jobs\n  \S+  completed-with-issues \(COMPLETED\)  job job-fallback\n    Windows VSS Backup attempt failed because ec2-vss-agent.exe is not installed/);
  });

  it('reads only what the instance needs: filtered calls, no fleet-wide listing, read-only', async () => {
    const before = fake().calls.length;
    const run = await runCli(['diagnose', good, '--format', 'json'], { fake: fake() });
    expect(run.code, run.stderr).to.equal(0);
    const calls = fake().calls.slice(before);
    expect(calls.every((c) => READ_ONLY.test(c.action))).to.equal(true);
    const describe = calls.find((c) => c.action === 'DescribeInstances')!;
    expect(JSON.stringify(describe.params)).to.contain(good);
    const info = calls.find((c) => c.action === 'DescribeInstanceInformation')!;
    expect(info.params).to.deep.include({ Filters: [{ Key: 'InstanceIds', Values: [good] }] });
    expect(calls.filter((c) => c.action === 'ListInventoryEntries').every((c) => c.params['InstanceId'] === good)).to.equal(true);
    expect(JSON.stringify(calls.find((c) => c.action === 'ListBackupJobs')!.params)).to.contain(good);
    expect(calls.map((c) => c.action)).to.not.include('GetAccountAuthorizationDetails'); // the instance's own role, not the account's
    const d = JSON.parse(run.stdout) as Diagnosis;
    expect(d.instance.instanceId).to.equal(good);
    expect(d.instance.verdict).to.equal('application-consistent');
    expect(d.vssRuns).to.deep.equal([]);
    expect(d.backupJobs).to.deep.equal([]);
  });

  it('an ambiguous name lists the candidates', async () => {
    const run = await runCli(['diagnose', 'twin'], { fake: fake() });
    expect(run.code).to.equal(2);
    expect(run.stderr).to.match(/the name "twin" matches 2 instances: i-0e0+3 \(eu-west-1, running\), i-0e0+4 \(eu-west-1, running\); give an instance id/);
  });

  it('an unknown instance is a one-line error', async () => {
    const run = await runCli(['diagnose', 'i-0123456789abcdef0'], { fake: fake() });
    expect(run.code).to.equal(2);
    expect(run.stderr).to.equal('vss-preflight: no instance i-0123456789abcdef0 in eu-west-1 (terminated ones are not listed); check the id and --regions\n');
  });
});
