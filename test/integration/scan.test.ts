import { expect } from 'chai';
import type { Report } from '../../src/report/schema.js';
import { READ_ONLY, runCli, withFakeAws } from './harness.js';
import { ids, world, type Box } from './worlds.js';

const json = (stdout: string) => JSON.parse(stdout) as Report;
const byId = (report: Report) => new Map(report.instances.map((i) => [i.instanceId, i]));
const finding = (report: Report, id: string, rule: string) => byId(report).get(id)!.findings.find((f) => f.ruleId === rule)!;

describe('scan against the fake AWS endpoint', () => {
  describe('IAM reads denied: the bulk read and the per-role fallback', () => {
    const [win, linux] = ids('1', 2) as [string, string];
    const { fake } = withFakeAws(() =>
      world(
        { 'eu-west-1': [{ id: win, os: 'windows' }, { id: linux, os: 'linux' }] },
        { deny: [{ service: 'iam', action: 'GetAccountAuthorizationDetails' }, { service: 'iam', action: 'GetRole' }] },
      ),
    );

    it('makes the role finding unknown naming iam:GetRole, keeps Linux definite, lists the error, completes', async () => {
      const run = await runCli(['scan', '--format', 'json'], { fake: fake() });
      expect(run.code, run.stderr).to.equal(3); // partial scan
      const report = json(run.stdout);
      const role = finding(report, win, 'instance-role-grants-vss');
      expect(role.status).to.equal('unknown');
      expect(role.message).to.contain('iam:GetRole was denied');
      expect(byId(report).get(win)!.verdict).to.equal('unknown');
      expect(byId(report).get(win)!.possibleVerdicts).to.deep.equal(['application-consistent', 'vss-fallback']);
      expect(byId(report).get(linux)!.verdict).to.equal('no-vss');
      expect(report.errors.map((e) => [e.service, e.action, e.region, e.code])).to.deep.equal([
        ['iam', 'GetAccountAuthorizationDetails', null, 'AccessDenied'],
        ['iam', 'GetRole', null, 'AccessDenied'],
      ]);
    });
  });

  describe('SSM denied in one region of two', () => {
    const [euWin, euLinux, usWin] = ids('2', 3) as [string, string, string];
    const { fake } = withFakeAws(() =>
      world(
        { 'eu-west-1': [{ id: euWin, os: 'windows' }, { id: euLinux, os: 'linux' }], 'us-east-1': [{ id: usWin, os: 'windows' }] },
        { deny: [{ service: 'ssm', action: 'DescribeInstanceInformation', region: 'eu-west-1' }] },
      ),
    );

    it('keeps every instance, unknown only where the denied region decides it', async () => {
      const run = await runCli(['scan', '--regions', 'eu-west-1,us-east-1', '--format', 'json'], { fake: fake() });
      expect(run.code, run.stderr).to.equal(3); // partial scan
      const report = json(run.stdout);
      expect(report.instances.map((i) => i.instanceId).sort()).to.deep.equal([euWin, euLinux, usWin].sort());
      expect(byId(report).get(euWin)!.verdict).to.equal('unknown');
      expect(finding(report, euWin, 'ssm-managed').message).to.contain('ssm:DescribeInstanceInformation was denied in eu-west-1');
      expect(byId(report).get(euLinux)!.verdict).to.equal('no-vss'); // EC2 PlatformDetails still says Linux
      expect(byId(report).get(usWin)!.verdict).to.equal('application-consistent');
      expect(report.errors.map((e) => [e.service, e.action, e.region, e.code])).to.deep.equal([
        ['ssm', 'DescribeInstanceInformation', 'eu-west-1', 'AccessDeniedException'],
      ]);
    });
  });

  describe('EC2 denied in a region', () => {
    const [win] = ids('3', 1) as [string];
    const { fake } = withFakeAws(() =>
      world({ 'eu-west-1': [{ id: win, os: 'windows' }], 'us-east-1': [] }, { deny: [{ service: 'ec2', action: 'DescribeInstances', region: 'us-east-1' }] }),
    );

    it('scans the other region and reports the region it could not list', async () => {
      const run = await runCli(['scan', '--regions', 'eu-west-1,us-east-1', '--format', 'json'], { fake: fake() });
      expect(run.code, run.stderr).to.equal(3); // partial scan
      const report = json(run.stdout);
      expect(report.instances.map((i) => i.instanceId)).to.deep.equal([win]);
      expect(report.errors[0]).to.include({ service: 'ec2', action: 'DescribeInstances', region: 'us-east-1', code: 'UnauthorizedOperation' });
    });
  });

  describe('pagination across several pages', () => {
    const boxes: Box[] = [
      ...ids('4', 7).map((id): Box => ({ id, os: 'windows' })),
      ...ids('5', 5).map((id): Box => ({ id, os: 'linux' })),
      ...ids('6', 2).map((id): Box => ({ id, os: 'windows', pkg: false })),
    ];
    const { fake } = withFakeAws(() =>
      world(
        { 'eu-west-1': boxes },
        { maxPageSize: { DescribeInstances: 5, DescribeInstanceInformation: 5, ListInventoryEntries: 1 } },
      ),
    );

    it('reads every page of every paged call and reports each instance exactly once', async () => {
      const run = await runCli(['scan', '--format', 'json'], { fake: fake() });
      expect(run.code, run.stderr).to.equal(0);
      const report = json(run.stdout);
      expect(report.instances.map((i) => i.instanceId).sort()).to.deep.equal(boxes.map((b) => b.id).sort());
      expect(report.summary).to.deep.equal({ instances: 14, 'application-consistent': 7, 'vss-fallback': 2, 'no-vss': 5, unknown: 0 });
      const count = (action: string) => fake().calls.filter((c) => c.action === action).length;
      expect(count('DescribeInstances')).to.equal(3);
      expect(count('DescribeInstanceInformation')).to.equal(3);
    });
  });

  describe('throttling', () => {
    const [win] = ids('7', 1) as [string];
    const { fake } = withFakeAws(() =>
      world(
        { 'eu-west-1': [{ id: win, os: 'windows' }] },
        {
          throttle: [
            { service: 'ec2', action: 'DescribeInstances', times: 2 },
            { service: 'ssm', action: 'DescribeInstanceInformation', times: 1 },
            { service: 'iam', action: 'GetAccountAuthorizationDetails', times: 1 },
          ],
        },
      ),
    );

    it('is retried by the SDK: the scan completes with no errors', async () => {
      const run = await runCli(['scan', '--format', 'json'], { fake: fake() });
      expect(run.code, run.stderr).to.equal(0);
      const report = json(run.stdout);
      expect(report.errors).to.deep.equal([]);
      expect(report.instances[0]!.verdict).to.equal('application-consistent');
      expect(fake().calls.filter((c) => c.action === 'DescribeInstances').map((c) => c.status)).to.deep.equal([503, 503, 200]);
      expect(fake().calls.filter((c) => c.action === 'GetAccountAuthorizationDetails').map((c) => c.status)).to.deep.equal([400, 200]);
    });
  });

  describe('collect, then scan the snapshot offline', () => {
    const boxes: Box[] = [{ id: ids('8', 1)[0]!, os: 'windows', pkg: false }, { id: ids('8', 2)[1]!, os: 'linux' }];
    const { fake } = withFakeAws(() => world({ 'eu-west-1': boxes }));

    it('gives the same report as the live scan, with no AWS access at all', async () => {
      const out = `${process.env['TMPDIR'] ?? '/tmp'}/vss-preflight-facts-${process.pid}.json`;
      const collected = await runCli(['collect', '--out', out], { fake: fake() });
      expect(collected.code, collected.stderr).to.equal(0);
      expect(collected.stderr).to.contain('Wrote facts for 2 instances in eu-west-1');
      const callsBefore = fake().calls.length;
      const offline = await runCli(['scan', '--facts', out, '--format', 'json']);
      const live = await runCli(['scan', '--format', 'json'], { fake: fake() });
      expect(offline.code, offline.stderr).to.equal(0);
      const strip = (r: Report) => ({ ...r, generatedAt: '' });
      expect(strip(json(offline.stdout))).to.deep.equal(strip(json(live.stdout)));
      expect(fake().calls.length).to.be.greaterThan(callsBefore); // only the live scan called AWS
      expect(fake().calls.every((c) => READ_ONLY.test(c.action))).to.equal(true);
    });
  });

  describe('VSS_PREFLIGHT_TIMINGS=1 (what the bench reads)', () => {
    const { fake } = withFakeAws(() => world({ 'eu-west-1': [{ id: ids('9', 1)[0]!, os: 'windows' }] }));
    const phases = (stderr: string) => /^timings: (.*)$/m.exec(stderr)?.[1]?.split(', ').map((p) => p.replace(/ \d+\.\d\d s$/, ''));
    const env = { VSS_PREFLIGHT_TIMINGS: '1' };

    it('a live scan ends with one stderr line of its phases: start-up, collect, rules and report, format and write', async () => {
      const run = await runCli(['scan', '--format', 'json', '--quiet'], { fake: fake(), env });
      expect(run.code, run.stderr).to.equal(0);
      expect(phases(run.stderr)).to.deep.equal(['start-up', 'collect', 'rules and report', 'format and write']);
    });

    it('an offline scan names reading, parsing and validating the snapshot instead of collecting', async () => {
      const run = await runCli(['scan', '--facts', 'examples/fleet.json', '--quiet'], { env });
      expect(run.code, run.stderr).to.equal(3);
      expect(phases(run.stderr)).to.deep.equal(['start-up', 'read', 'parse', 'validate', 'rules and report', 'format and write']);
    });

    it('without it, no timings line', async () => {
      const run = await runCli(['scan', '--facts', 'examples/fleet.json', '--quiet']);
      expect(run.stderr).to.not.match(/timings:/);
    });
  });
});
