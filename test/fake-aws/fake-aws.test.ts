import {
  DescribeInstancesCommand,
  DescribeKeyPairsCommand,
  DescribeRegionsCommand,
  EC2Client,
  paginateDescribeInstances,
  type Instance,
} from '@aws-sdk/client-ec2';
import { DescribeInstanceInformationCommand, DescribeParametersCommand, GetServiceSettingCommand, SSMClient } from '@aws-sdk/client-ssm';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { expect } from 'chai';
import { sdkConfig, startFakeAws, type FakeAws } from './server.js';
import { exampleWorld, expectAwsError } from './test-helpers.js';

describe('fake AWS: EC2, STS, routing and faults', () => {
  let fake: FakeAws;
  let ec2: EC2Client;
  before(async () => {
    fake = await startFakeAws(exampleWorld());
    ec2 = new EC2Client(sdkConfig(fake, 'eu-west-1'));
  });
  after(async () => {
    ec2.destroy();
    await fake.close();
  });

  const allInstances = async (client: EC2Client, pageSize?: number) => {
    const pages: Instance[][] = [];
    for await (const page of paginateDescribeInstances({ client, ...(pageSize ? { pageSize } : {}) }, {})) {
      pages.push((page.Reservations ?? []).flatMap((r) => r.Instances ?? []));
    }
    return pages;
  };

  describe('DescribeRegions', () => {
    it('lists enabled regions (plus us-east-1) by default, and opt-in status with AllRegions', async () => {
      const enabled = await ec2.send(new DescribeRegionsCommand({}));
      expect(enabled.Regions?.map((r) => r.RegionName)).to.deep.equal(['eu-south-1', 'eu-west-1', 'us-east-1']);
      const all = await ec2.send(new DescribeRegionsCommand({ AllRegions: true }));
      const byName = Object.fromEntries((all.Regions ?? []).map((r) => [r.RegionName, r]));
      expect(byName['ap-east-1']?.OptInStatus).to.equal('not-opted-in');
      expect(byName['eu-south-1']?.OptInStatus).to.equal('opted-in');
      expect(byName['eu-west-1']).to.deep.include({ OptInStatus: 'opt-in-not-required', Endpoint: 'ec2.eu-west-1.amazonaws.com' });
      const optedIn = await ec2.send(new DescribeRegionsCommand({ AllRegions: true, Filters: [{ Name: 'opt-in-status', Values: ['opted-in'] }] }));
      expect(optedIn.Regions?.map((r) => r.RegionName)).to.deep.equal(['eu-south-1']);
    });
  });

  describe('DescribeInstances', () => {
    it('returns reservations with the instance fields parsed', async () => {
      const out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0a1b2c3d4e5f60001', 'i-0a1b2c3d4e5f60002'] }));
      expect(out.Reservations).to.have.length(1);
      const r = out.Reservations![0]!;
      expect(r).to.include({ ReservationId: 'r-0aa0000000000001', OwnerId: '111122223333' });
      const [sql, file] = r.Instances!;
      expect(sql).to.deep.include({ InstanceId: 'i-0a1b2c3d4e5f60001', InstanceType: 'm5.xlarge', Platform: 'windows' });
      expect(sql!.PlatformDetails).to.equal('Windows with SQL Server Standard');
      expect(sql!.UsageOperation).to.equal('RunInstances:0006');
      expect(sql!.State).to.deep.equal({ Code: 16, Name: 'running' });
      expect(sql!.Tags).to.deep.include({ Key: 'Name', Value: 'sql-prod-1' });
      expect(sql!.IamInstanceProfile?.Arn).to.equal('arn:aws:iam::111122223333:instance-profile/VssBackupProfile');
      expect(sql!.IamInstanceProfile?.Id).to.match(/^AIPA[A-Z2-7]{17}$/);
      expect(sql!.LaunchTime).to.be.instanceOf(Date);
      expect(sql!.LaunchTime!.toISOString()).to.equal('2025-11-02T08:30:00.000Z');
      expect(sql).to.include({ PrivateIpAddress: '10.1.0.11', Architecture: 'x86_64' });
      expect(sql!.VpcId).to.match(/^vpc-/);
      expect(sql!.SubnetId).to.match(/^subnet-/);
      expect(sql!.ImageId).to.match(/^ami-/);
      expect(file!.State).to.deep.equal({ Code: 80, Name: 'stopped' });
    });

    it('reports Linux instances without Platform', async () => {
      const out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0a1b2c3d4e5f60003'] }));
      const linux = out.Reservations![0]!.Instances![0]!;
      expect(linux.Platform).to.equal(undefined);
      expect(linux).to.include({ PlatformDetails: 'Linux/UNIX', UsageOperation: 'RunInstances' });
      expect(linux.IamInstanceProfile).to.equal(undefined);
    });

    it('applies filters: state, platform, tag (with wildcards), instance-id', async () => {
      const ids = async (Filters: Array<{ Name: string; Values: string[] }>) => {
        const out = await ec2.send(new DescribeInstancesCommand({ Filters }));
        return (out.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId?.slice(-2));
      };
      expect(await ids([{ Name: 'instance-state-name', Values: ['running'] }])).to.deep.equal(['01', '03', '04', '05', '07']);
      expect(await ids([{ Name: 'platform', Values: ['windows'] }, { Name: 'instance-state-name', Values: ['stopped', 'terminated'] }])).to.deep.equal(['02', '06']);
      expect(await ids([{ Name: 'tag:Name', Values: ['app-*'] }])).to.deep.equal(['04', '05', '06', '07']);
      expect(await ids([{ Name: 'tag:Backup', Values: ['vss'] }])).to.deep.equal(['01']);
      expect(await ids([{ Name: 'instance-id', Values: ['i-0a1b2c3d4e5f60003', 'i-0a1b2c3d4e5f60004'] }])).to.deep.equal(['03', '04']);
      await expectAwsError(ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'bogus', Values: ['x'] }] })), 'InvalidParameterValue', 400);
    });

    it('validates MaxResults and InstanceIds like EC2', async () => {
      await expectAwsError(ec2.send(new DescribeInstancesCommand({ MaxResults: 4 })), 'InvalidParameterValue', 400);
      await expectAwsError(ec2.send(new DescribeInstancesCommand({ MaxResults: 1001 })), 'InvalidParameterValue', 400);
      await expectAwsError(
        ec2.send(new DescribeInstancesCommand({ MaxResults: 5, InstanceIds: ['i-0a1b2c3d4e5f60001'] })),
        'InvalidParameterCombination',
        400,
      );
      await expectAwsError(ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0ffffffffffffffff'] })), 'InvalidInstanceID.NotFound', 400);
      await expectAwsError(ec2.send(new DescribeInstancesCommand({ InstanceIds: ['vol-123'] })), 'InvalidInstanceID.Malformed', 400);
    });

    it('paginates with MaxResults via the SDK paginator', async () => {
      const pages = await allInstances(ec2, 5);
      expect(pages.map((p) => p.length)).to.deep.equal([5, 2]);
      expect(pages.flat().map((i) => i.InstanceId)).to.have.length(7);
      const second = fake.calls.filter((c) => c.action === 'DescribeInstances').at(-1)!;
      expect(second.params).to.include({ MaxResults: '5' });
      expect(second.params.NextToken).to.be.a('string');
    });

    it('rejects a NextToken replayed with different filters', async () => {
      const first = await ec2.send(new DescribeInstancesCommand({ MaxResults: 5 }));
      expect(first.NextToken).to.be.a('string');
      const replay = ec2.send(new DescribeInstancesCommand({ MaxResults: 5, NextToken: first.NextToken, Filters: [{ Name: 'platform', Values: ['windows'] }] }));
      await expectAwsError(replay, 'InvalidParameterValue', 400);
    });

    it('serves a region absent from the world as empty, and refuses an opted-out region', async () => {
      const empty = new EC2Client(sdkConfig(fake, 'sa-east-1'));
      expect((await empty.send(new DescribeInstancesCommand({}))).Reservations).to.deep.equal([]);
      const optedOut = new EC2Client(sdkConfig(fake, 'ap-east-1'));
      await expectAwsError(optedOut.send(new DescribeInstancesCommand({})), 'AuthFailure', 401);
      empty.destroy();
      optedOut.destroy();
    });
  });

  it('sts GetCallerIdentity', async () => {
    const sts = new STSClient(sdkConfig(fake, 'us-east-1'));
    const me = await sts.send(new GetCallerIdentityCommand({}));
    expect(me).to.include({ Account: '111122223333', Arn: 'arn:aws:sts::111122223333:assumed-role/PreflightScanner/alice' });
    expect(me.UserId).to.match(/^AROA[A-Z2-7]{17}:alice$/);
    sts.destroy();
  });

  it('records service, action, region and params of every call', async () => {
    const before = fake.calls.length;
    const ssm = new SSMClient(sdkConfig(fake, 'eu-west-1'));
    await ssm.send(new DescribeInstanceInformationCommand({ MaxResults: 5 }));
    await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance-state-name', Values: ['running'] }] }));
    const recorded = fake.calls.slice(before);
    expect(recorded.map(({ service, action, region, status }) => ({ service, action, region, status }))).to.deep.equal([
      { service: 'ssm', action: 'DescribeInstanceInformation', region: 'eu-west-1', status: 200 },
      { service: 'ec2', action: 'DescribeInstances', region: 'eu-west-1', status: 200 },
    ]);
    expect(recorded[0]!.params).to.deep.equal({ MaxResults: 5 });
    expect(recorded[1]!.params).to.deep.equal({ Filter: [{ Name: 'instance-state-name', Value: ['running'] }] });
    ssm.destroy();
  });

  it('answers unknown actions with the protocol-specific error, and records them', async () => {
    await expectAwsError(ec2.send(new DescribeKeyPairsCommand({})), 'InvalidAction', 400);
    const ssm = new SSMClient(sdkConfig(fake, 'eu-west-1'));
    await expectAwsError(ssm.send(new DescribeParametersCommand({})), 'UnknownOperationException', 400);
    expect(fake.calls.slice(-2).map((c) => `${c.service}:${c.action}:${c.status}`)).to.deep.equal([
      'ec2:DescribeKeyPairs:400',
      'ssm:DescribeParameters:400',
    ]);
    ssm.destroy();
  });

});

describe('fake AWS: injected faults', () => {
  let fake: FakeAws;
  before(async () => {
    fake = await startFakeAws({
      ...exampleWorld(),
      faults: {
        deny: [
          { service: 'ec2', action: 'DescribeInstances', region: 'eu-west-1' },
          { service: 'ssm', action: '*' },
          { service: 'iam', action: 'GetRole' },
          { service: 'sts', action: 'GetCallerIdentity' },
        ],
        throttle: [{ service: 'ec2', action: 'DescribeRegions', times: 1 }],
        maxPageSize: { DescribeInstances: 2 },
      },
    });
  });
  after(() => fake.close());

  it('surfaces AccessDenied per service as the AWS error code and status', async () => {
    const ec2 = new EC2Client(sdkConfig(fake, 'eu-west-1'));
    const ssm = new SSMClient(sdkConfig(fake, 'eu-west-1'));
    const iam = new IAMClient(sdkConfig(fake, 'us-east-1'));
    const sts = new STSClient(sdkConfig(fake, 'us-east-1'));
    const e = await expectAwsError(ec2.send(new DescribeInstancesCommand({})), 'UnauthorizedOperation', 403);
    expect(e.message).to.contain('ec2:DescribeInstances');
    await expectAwsError(ssm.send(new GetServiceSettingCommand({ SettingId: '/ssm/managed-instance/default-ec2-instance-management-role' })), 'AccessDeniedException', 400);
    await expectAwsError(iam.send(new GetRoleCommand({ RoleName: 'VssBackupRole' })), 'AccessDenied', 403);
    await expectAwsError(sts.send(new GetCallerIdentityCommand({})), 'AccessDenied', 403);
    for (const c of [ec2, ssm, iam, sts]) c.destroy();
  });

  it('a deny scoped to one region leaves the other regions alone', async () => {
    const ec2 = new EC2Client(sdkConfig(fake, 'us-east-1'));
    const pages: number[] = [];
    for await (const p of paginateDescribeInstances({ client: ec2 }, {})) pages.push((p.Reservations ?? []).length);
    expect(pages).to.deep.equal([1]);
    ec2.destroy();
  });

  it('throttles the first call; the SDK retries and succeeds; both attempts are recorded', async () => {
    const ec2 = new EC2Client(sdkConfig(fake, 'eu-south-1'));
    const out = await ec2.send(new DescribeRegionsCommand({}));
    expect(out.Regions?.length).to.equal(3);
    expect(out.$metadata.attempts).to.equal(2);
    const attempts = fake.calls.filter((c) => c.action === 'DescribeRegions');
    expect(attempts.map((c) => c.status)).to.deep.equal([503, 200]);
    ec2.destroy();
  });
});

describe('fake AWS: maxPageSize and latency', () => {
  it('caps pages below what the client asked and delays each call', async () => {
    const fake = await startFakeAws({ ...exampleWorld(), faults: { maxPageSize: { 'ec2:DescribeInstances': 3 } } }, { latencyMs: 30 });
    const ec2 = new EC2Client(sdkConfig(fake, 'eu-west-1'));
    const started = Date.now();
    const sizes: number[] = [];
    for await (const p of paginateDescribeInstances({ client: ec2, pageSize: 1000 }, {})) {
      sizes.push((p.Reservations ?? []).flatMap((r) => r.Instances ?? []).length);
    }
    expect(sizes).to.deep.equal([3, 3, 1]);
    expect(Date.now() - started).to.be.at.least(90);
    ec2.destroy();
    await fake.close();
  });
});
