import { expect } from 'chai';
import type { HistoryDocument } from '../../src/history/history.js';
import type { Report } from '../../src/report/schema.js';
import type { WorldInput } from '../fake-aws/world.js';
import { READ_ONLY, runCli, withFakeAws } from './harness.js';
import { ACCOUNT, ids, world } from './worlds.js';

const [vssOk, fellBack, fixedSince, timedOut, linux, brokeSince, failed, off] = ids('9', 8) as string[] as [string, string, string, string, string, string, string, string];
const arn = (id: string) => `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/${id}`;
const day = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();
const NOT_INSTALLED = 'Windows VSS Backup attempt failed because ec2-vss-agent.exe is not installed in the Instance';
const TIMEOUT = 'Windows VSS Backup attempt failed because of timeout on VSS enabled snapshot creation';

function historyWorld(): WorldInput {
  const w = world({
    'eu-west-1': [
      { id: vssOk, os: 'windows' },
      { id: fellBack, os: 'windows', pkg: false },
      { id: fixedSince, os: 'windows' },
      { id: timedOut, os: 'windows' },
      { id: linux, os: 'linux' },
      { id: brokeSince, os: 'windows', pkg: false },
      { id: failed, os: 'windows' },
      { id: off, os: 'windows' },
    ],
  });
  const vss = { WindowsVSS: 'enabled' };
  w.regions['eu-west-1']!.commandInvocations = [
    { commandId: 'c-timeout', instanceId: timedOut, documentName: 'AWSEC2-CreateVssSnapshot', status: 'TimedOut', requestedDateTime: day(2) },
    { commandId: 'c-old', instanceId: timedOut, documentName: 'AWSEC2-CreateVssSnapshot', status: 'Success', requestedDateTime: day(12) },
    { commandId: 'c-other', instanceId: timedOut, documentName: 'AWS-RunPowerShellScript', status: 'Success', requestedDateTime: day(1) },
  ];
  (w.regions['eu-west-1'] as Record<string, unknown>)['backupJobs'] = [
    { id: 'j-old', resourceArn: arn(vssOk), state: 'COMPLETED', messageCategory: 'WARNING', statusMessage: TIMEOUT, backupOptions: vss, creationDate: day(9) },
    { id: 'j-ok', resourceArn: arn(vssOk), state: 'COMPLETED', backupOptions: vss, backupType: 'WindowsVSS', creationDate: day(1) },
    { id: 'j-fb', resourceArn: arn(fellBack), state: 'COMPLETED', messageCategory: 'WARNING', statusMessage: NOT_INSTALLED, backupOptions: vss, creationDate: day(1) },
    { id: 'j-fixed', resourceArn: arn(fixedSince), state: 'COMPLETED', messageCategory: 'WARNING', statusMessage: NOT_INSTALLED, backupOptions: vss, creationDate: day(2) },
    { id: 'j-timeout', resourceArn: arn(timedOut), state: 'COMPLETED', messageCategory: 'WARNING', statusMessage: TIMEOUT, backupOptions: vss, creationDate: day(2) },
    { id: 'j-linux', resourceArn: arn(linux), state: 'COMPLETED', backupOptions: vss, creationDate: day(1) },
    { id: 'j-broke', resourceArn: arn(brokeSince), state: 'COMPLETED', backupOptions: vss, backupType: 'WindowsVSS', creationDate: day(3) },
    { id: 'j-failed', resourceArn: arn(failed), state: 'FAILED', statusMessage: 'Snapshot limit exceeded', backupOptions: vss, creationDate: day(1) },
    { id: 'j-off', resourceArn: arn(off), state: 'COMPLETED', creationDate: day(1) },
    { id: 'j-running', resourceArn: arn(off), state: 'RUNNING', backupOptions: vss, creationDate: day(0.01) },
  ];
  return w;
}

describe('history', () => {
  const { fake } = withFakeAws(historyWorld);

  it('classifies every job and compares each instance\'s last one with today\'s prediction', async () => {
    const run = await runCli(['history', '--format', 'json'], { fake: fake() });
    expect(run.code, run.stderr).to.equal(0);
    const doc = JSON.parse(run.stdout) as HistoryDocument;
    const outcome = (id: string) => doc.jobs.find((j) => j.jobId === id)!.outcome;
    expect(['j-ok', 'j-fb', 'j-linux', 'j-failed', 'j-off', 'j-running'].map(outcome)).to.deep.equal(['vss-succeeded', 'completed-with-issues', 'crash-consistent', 'failed', 'vss-off', 'in-progress']);
    const c = new Map(doc.comparisons.map((x) => [x.instanceId, x]));
    expect(c.get(vssOk)).to.include({ jobId: 'j-ok', agrees: true }); // the newest job counts, not j-old
    expect(c.get(fellBack)).to.include({ agrees: true, predicted: 'vss-fallback' });
    expect(c.get(linux)).to.include({ agrees: true, predicted: 'no-vss' });
    expect(c.get(fixedSince)).to.include({ agrees: false, kind: 'drift' });
    expect(c.get(timedOut)).to.include({ agrees: false, kind: 'gap' });
    expect(c.get(brokeSince)).to.include({ agrees: false, kind: 'drift' });
    expect(c.has(failed)).to.equal(false); // a failed job says nothing about VSS
    expect(c.get(timedOut)!.lastVssRun).to.deep.include({ status: 'TimedOut' }); // the VSS document's newest run, not another document's
    expect(doc.vssRuns.map((r) => r.commandId).sort()).to.deep.equal(['c-old', 'c-timeout']);
    expect(fake().calls.every((x) => READ_ONLY.test(x.action))).to.equal(true);
  });

  it('prints the disagreements an operator must look at', async () => {
    const run = await runCli(['history'], { fake: fake() });
    expect(run.stdout).to.match(/Instances whose last job tells about VSS: 6; agreeing with today's prediction: 3/);
    expect(run.stdout).to.match(new RegExp(`${timedOut} \\(windows-0004\\): job .* \\[gap\\]; last VSS run TimedOut on`));
    expect(run.stdout).to.match(/completed-with-issues, predicted application-consistent \[gap\]; last VSS run TimedOut on \S+\n\s+The job fell back for a cause no rule sees \(manual-checks\)/);
  });

  it('scan --with-history adds each instance\'s last job to the report', async () => {
    const run = await runCli(['scan', '--with-history', '--format', 'json'], { fake: fake() });
    const report = JSON.parse(run.stdout) as Report;
    const job = (id: string) => report.instances.find((i) => i.instanceId === id)!.lastBackupJob;
    expect(job(vssOk)).to.include({ jobId: 'j-ok', outcome: 'vss-succeeded', agreesWithVerdict: true });
    expect(job(brokeSince)).to.include({ outcome: 'vss-succeeded', agreesWithVerdict: false });
    expect(job(failed)).to.include({ outcome: 'failed', agreesWithVerdict: null });
  });

  describe('with ListBackupJobs denied', () => {
    const { fake: denied } = withFakeAws(() => ({ ...historyWorld(), faults: { deny: [{ service: 'backup', action: 'ListBackupJobs' }] } }));
    it('reports the error and exits 3, without crashing', async () => {
      const run = await runCli(['history'], { fake: denied() });
      expect(run.code).to.equal(3);
      expect(run.stdout).to.contain('Could not read backup:ListBackupJobs in eu-west-1: AccessDeniedException');
    });
  });
});
