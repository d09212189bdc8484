import { expect } from 'chai';
import { classifyJob, compare, rulesForMessage, type BackupJobFacts } from '../../src/history/classify.js';
import type { InstanceReport } from '../../src/report/schema.js';

const job = (over: Partial<BackupJobFacts>): BackupJobFacts => ({
  jobId: 'job-1',
  instanceId: 'i-0abc',
  resourceArn: 'arn:aws:ec2:eu-west-1:111122223333:instance/i-0abc',
  state: 'COMPLETED',
  statusMessage: null,
  messageCategory: 'SUCCESS',
  windowsVss: true,
  backupType: null,
  creationDate: '2026-11-20T05:00:00.000Z',
  ...over,
});

describe('backup job outcome', () => {
  const cases: [string, Partial<BackupJobFacts>, string][] = [
    ['BackupType WindowsVSS', { backupType: 'WindowsVSS' }, 'vss-succeeded'],
    ['COMPLETED, category not SUCCESS: "Completed with issues"', { messageCategory: 'WARNING', statusMessage: 'Windows VSS Backup Job Error encountered, trying for regular backup' }, 'completed-with-issues'],
    ['COMPLETED, VSS on, no WindowsVSS type, no message', {}, 'crash-consistent'],
    ['VSS option off', { windowsVss: false }, 'vss-off'],
    ['FAILED', { state: 'FAILED' }, 'failed'],
    ['ABORTED', { state: 'ABORTED' }, 'failed'],
    ['RUNNING', { state: 'RUNNING' }, 'in-progress'],
  ];
  for (const [name, over, outcome] of cases) it(`${outcome}: ${name}`, () => expect(classifyJob(job(over))).to.equal(outcome));

  it('maps AWS Backup VSS messages to the rules that predict them', () => {
    expect(rulesForMessage('Windows VSS Backup attempt failed because ec2-vss-agent.exe is not installed in the Instance')).to.deep.equal(['vss-components-installed']);
    expect(rulesForMessage('Windows VSS Backup attempt failed because of insufficient privileges to perform this operation')[0]).to.equal('instance-role-grants-vss');
    expect(rulesForMessage('Windows VSS Backup attempt failed because either Instance or SSM Agent has invalid state or insufficient privileges.')[0]).to.equal('ssm-managed');
    expect(rulesForMessage('something else')).to.deep.equal([]);
  });
});

describe('job versus prediction', () => {
  const instance = (verdict: InstanceReport['verdict'], findings: [string, InstanceReport['findings'][number]['status']][]): InstanceReport => ({
    instanceId: 'i-0abc',
    accountId: '111122223333',
    region: 'eu-west-1',
    name: null,
    state: 'running',
    instanceType: 'm5.large',
    verdict,
    possibleVerdicts: [verdict === 'unknown' ? 'vss-fallback' : verdict],
    verdictOnceRunning: verdict,
    gateVerdict: verdict,
    expectedJobStatus: null,
    reason: null,
    findings: findings.map(([ruleId, status]) => ({ ruleId, status, message: '', evidence: {} })),
  });
  const notInstalled = job({ messageCategory: 'WARNING', statusMessage: 'Windows VSS Backup attempt failed because ec2-vss-agent.exe is not installed in the Instance' });

  it('agrees when the job did what we predict', () => {
    expect(compare(instance('vss-fallback', [['vss-components-installed', 'fail']]), notInstalled)).to.include({ agrees: true });
  });

  it('drift: the job fell back for a cause our rule now passes', () => {
    expect(compare(instance('application-consistent', [['vss-components-installed', 'pass']]), notInstalled)).to.include({ agrees: false, kind: 'drift' });
  });

  it('gap: the job fell back for a cause no rule sees', () => {
    const timeout = job({ messageCategory: 'WARNING', statusMessage: 'Windows VSS Backup attempt failed because of timeout on VSS enabled snapshot creation' });
    expect(compare(instance('application-consistent', [['vss-components-installed', 'pass']]), timeout)).to.include({ agrees: false, kind: 'gap' });
  });

  it('drift: VSS worked then, a rule fails now', () => {
    const c = compare(instance('vss-fallback', [['instance-role-grants-vss', 'fail']]), job({ backupType: 'WindowsVSS' }))!;
    expect(c).to.include({ agrees: false, kind: 'drift' });
    expect(c.explanation).to.contain('instance-role-grants-vss fails now');
  });

  it('says nothing for jobs that tell nothing about VSS, or an unknown prediction', () => {
    expect(compare(instance('vss-fallback', []), job({ windowsVss: false }))).to.equal(undefined);
    expect(compare(instance('unknown', []), job({ backupType: 'WindowsVSS' }))).to.equal(undefined);
  });
});
