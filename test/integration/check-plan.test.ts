import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Report } from '../../src/report/schema.js';
import type { WorldInput } from '../fake-aws/world.js';
import { READ_ONLY, runCli, withFakeAws } from './harness.js';
import { ACCOUNT, ids, world } from './worlds.js';

const [tagged, prod, excluded, linux] = ids('f', 4) as [string, string, string, string];
const [byArn] = ids('b', 1) as [string];
const arn = (id: string, region = 'eu-west-1') => `arn:aws:ec2:${region}:${ACCOUNT}:instance/${id}`;
const GOOD_ROLE = `arn:aws:iam::${ACCOUNT}:role/service-role/AWSBackupDefaultServiceRole`;
const NO_SSM_ROLE = `arn:aws:iam::${ACCOUNT}:role/Ec2OnlyBackupRole`;

function planWorld(): WorldInput {
  const w = world({
    'eu-west-1': [
      { id: tagged, os: 'windows' },
      { id: prod, os: 'windows', pkg: false },
      { id: excluded, os: 'windows' },
      { id: linux, os: 'linux' },
      { id: byArn, os: 'windows' },
    ],
    'us-east-1': [],
  });
  const eu = w.regions['eu-west-1']!;
  const tag = (id: string, tags: Record<string, string>) => (eu.instances!.find((i) => i.instanceId === id)!.tags = tags);
  tag(tagged, { Name: 'app-1', Backup: 'vss' });
  tag(excluded, { Name: 'app-2', Backup: 'vss' });
  tag(linux, { Name: 'web-1', Backup: 'vss' });
  tag(prod, { Name: 'sql-1', Env: 'prod' });
  w.iam!.policies!.push({
    arn: 'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup',
    document: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['ssm:CancelCommand', 'ssm:GetCommandInvocation'], Resource: '*' },
        { Effect: 'Allow', Action: 'ssm:SendCommand', Resource: ['arn:aws:ssm:*:*:document/AWSEC2-CreateVssSnapshot', 'arn:aws:ec2:*:*:instance/*'] },
      ],
    },
  });
  w.iam!.roles!.push(
    { name: 'AWSBackupDefaultServiceRole', path: '/service-role/', attachedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup'] },
    { name: 'Ec2OnlyBackupRole', inlinePolicies: { ec2: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }] } } },
  );
  (eu as Record<string, unknown>)['backupPlans'] = [
    {
      id: 'plan-windows-daily',
      name: 'WindowsDaily',
      selections: [
        // ListOfTags entries are ORed; NotResources removes what they select.
        { id: 'sel-1', name: 'tagged', iamRoleArn: GOOD_ROLE, listOfTags: [{ conditionKey: 'Backup', conditionValue: 'vss' }], notResources: [arn(excluded)] },
        // Resources ["*"] with Conditions: every condition must hold.
        {
          id: 'sel-2',
          name: 'prod-by-condition',
          iamRoleArn: NO_SSM_ROLE,
          resources: ['*'],
          conditions: { stringEquals: [{ conditionKey: 'aws:ResourceTag/Env', conditionValue: 'prod' }], stringNotLike: [{ conditionKey: 'aws:ResourceTag/Name', conditionValue: '*-test' }] },
        },
        { id: 'sel-3', name: 'by-arn', iamRoleArn: GOOD_ROLE, resources: [`arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-0b*`] },
        { id: 'sel-4', name: 'nothing', iamRoleArn: GOOD_ROLE, listOfTags: [{ conditionKey: 'Team', conditionValue: 'nobody' }] },
      ],
    },
  ];
  (w.regions['us-east-1'] as Record<string, unknown>)['backupPlans'] = [{ id: 'plan-us', name: 'UsPlan', windowsVss: 'enabled', selections: [] }];
  return w;
}

const json = (stdout: string) => JSON.parse(stdout) as Report;
const tmp = mkdtempSync(join(tmpdir(), 'vss-preflight-plan-'));

describe('check-plan', () => {
  const { fake } = withFakeAws(planWorld);

  function expectCoverage(r: Report) {
    const by = new Map(r.instances.map((i) => [i.instanceId, i]));
    expect([...by.keys()].sort()).to.deep.equal([byArn, tagged, prod, linux].sort()); // excluded by NotResources
    expect(by.get(tagged)!.selections).to.deep.equal(['tagged']);
    expect(by.get(prod)!.selections).to.deep.equal(['prod-by-condition']);
    expect(by.get(byArn)!.selections).to.deep.equal(['by-arn']);
    expect(by.get(tagged)!.verdict).to.equal('application-consistent');
    expect(by.get(linux)!.verdict).to.equal('no-vss');
    expect(by.get(prod)!.verdict).to.equal('vss-fallback');
    // The selection's own role is checked: sel-2's role cannot run the VSS document.
    expect(by.get(prod)!.findings.find((f) => f.ruleId === 'backup-role-can-run-vss')!.status).to.equal('fail');
    expect(by.get(tagged)!.findings.find((f) => f.ruleId === 'backup-role-can-run-vss')!.status).to.equal('pass');
  }

  it('by name: covers what AWS Backup would, with each selection\'s role, and a summary for a change request', async () => {
    const before = fake().calls.length;
    const run = await runCli(['check-plan', 'WindowsDaily', '--format', 'json'], { fake: fake() });
    expect(run.code, run.stderr).to.equal(0);
    const r = json(run.stdout);
    expectCoverage(r);
    expect(r.plan).to.deep.include({ id: 'plan-windows-daily', name: 'WindowsDaily', region: 'eu-west-1', vssEnabled: false, unmatchedSelections: ['nothing'] });
    expect(r.plan!.changeSummary).to.equal(
      'Enabling Windows VSS on backup plan "WindowsDaily" (eu-west-1), 4 covered instances: 2 application-consistent; ' +
        '1 will say "Completed with issues" (causes: vss-components-installed x1, backup-role-can-run-vss x1); 1 silently crash-consistent (Linux or not managed by SSM); 0 unknown (data could not be read: see the report).',
    );
    expect(r.plan!.today).to.contain('crash-consistent backup today');
    const calls = fake().calls.slice(before);
    expect(calls.filter((c) => c.service === 'backup').map((c) => c.action).sort()).to.deep.equal(['GetBackupSelection', 'GetBackupSelection', 'GetBackupSelection', 'GetBackupSelection', 'ListBackupPlans', 'ListBackupSelections']);
    expect(calls.every((c) => READ_ONLY.test(c.action))).to.equal(true);
  });

  it('by id, as a table with the summary', async () => {
    const run = await runCli(['check-plan', 'plan-windows-daily'], { fake: fake() });
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.contain('Enabling Windows VSS on backup plan "WindowsDaily" (eu-west-1), 4 covered instances');
    expect(run.stdout).to.contain('Selections that cover no instance: nothing');
  });

  it('as Markdown for a change request', async () => {
    const run = await runCli(['check-plan', 'WindowsDaily', '--format', 'markdown'], { fake: fake() });
    expect(run.stdout).to.contain('## Backup plan WindowsDaily\n\nEnabling Windows VSS on backup plan');
  });

  it('from files, before the plan exists: no AWS Backup call', async () => {
    const planFile = join(tmp, 'plan.json');
    writeFileSync(planFile, JSON.stringify({ BackupPlan: { BackupPlanName: 'NewWindowsPlan', Rules: [], AdvancedBackupSettings: [{ ResourceType: 'EC2', BackupOptions: { WindowsVSS: 'enabled' } }] } }));
    const selectionsFile = join(tmp, 'selections.json');
    const world = planWorld();
    const sels = ((world.regions['eu-west-1'] as Record<string, unknown>)['backupPlans'] as { selections: Record<string, unknown>[] }[])[0]!.selections;
    const asCli = (s: Record<string, unknown>) => ({
      BackupSelection: {
        SelectionName: s['name'],
        IamRoleArn: s['iamRoleArn'],
        ...(s['resources'] ? { Resources: s['resources'] } : {}),
        ...(s['notResources'] ? { NotResources: s['notResources'] } : {}),
        ...(s['listOfTags'] ? { ListOfTags: (s['listOfTags'] as { conditionKey: string; conditionValue: string }[]).map((t) => ({ ConditionType: 'STRINGEQUALS', ConditionKey: t.conditionKey, ConditionValue: t.conditionValue })) } : {}),
        ...(s['conditions']
          ? { Conditions: Object.fromEntries(Object.entries(s['conditions'] as Record<string, { conditionKey: string; conditionValue: string }[]>).map(([op, list]) => [op[0]!.toUpperCase() + op.slice(1), list.map((c) => ({ ConditionKey: c.conditionKey, ConditionValue: c.conditionValue }))])) }
          : {}),
      },
    });
    writeFileSync(selectionsFile, JSON.stringify(sels.map(asCli)));
    const before = fake().calls.length;
    const run = await runCli(['check-plan', planFile, '--selections', selectionsFile, '--format', 'json'], { fake: fake() });
    expect(run.code, run.stderr).to.equal(0);
    const r = json(run.stdout);
    expectCoverage(r);
    expect(r.plan).to.deep.include({ id: null, name: 'NewWindowsPlan', vssEnabled: true });
    expect(fake().calls.slice(before).some((c) => c.service === 'backup')).to.equal(false);
  });

  it('a plan in another region is found with --regions, and says VSS is already on', async () => {
    const here = await runCli(['check-plan', 'UsPlan'], { fake: fake() });
    expect(here.code).to.equal(2);
    expect(here.stderr).to.equal('vss-preflight: no backup plan with id or name "UsPlan" in eu-west-1; list them with `aws backup list-backup-plans --region eu-west-1`\n');
    const there = await runCli(['check-plan', 'UsPlan', '--regions', 'us-east-1', '--format', 'json'], { fake: fake() });
    expect(there.code, there.stderr).to.equal(0);
    expect(json(there.stdout).plan).to.deep.include({ vssEnabled: true, region: 'us-east-1' });
  });

  it('bad input is one line with the fix', async () => {
    const noId = join(tmp, 'noid.json');
    writeFileSync(noId, JSON.stringify({ BackupPlanName: 'X', Rules: [] }));
    const cases: [string[], RegExp][] = [
      [['check-plan', noId], /has no BackupPlanId to read selections with: give --selections FILE/],
      [['check-plan', 'WindowsDaily', '--regions', 'eu-west-1,us-east-1'], /a backup plan lives in one region/],
      [['check-plan', join(tmp, 'missing.json')], /cannot read backup plan file .*missing\.json: ENOENT/],
    ];
    for (const [args, says] of cases) {
      const run = await runCli(args, { fake: fake() });
      expect(run.code, run.stderr).to.equal(2);
      expect(run.stderr.trimEnd().split('\n')).to.have.length(1);
      expect(run.stderr).to.match(says);
    }
  });
});
