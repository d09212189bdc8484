import {
  DescribeVolumesCommand,
  DescribeVpcEndpointsCommand,
  EC2Client,
  paginateDescribeVolumes,
  paginateDescribeVpcEndpoints,
  type Volume,
} from '@aws-sdk/client-ec2';
import { expect } from 'chai';
import { sdkConfig, startFakeAws, type FakeAws } from './server.js';
import { exampleWorld, expectAwsError } from './test-helpers.js';
import { parseWorld, type WorldInput } from './world.js';

const vol = (n: number) => `vol-0f00000000000${String(n).padStart(4, '0')}`;

function world(): WorldInput {
  const base = exampleWorld();
  const eu = base.regions['eu-west-1']!;
  eu.volumes = [
    { volumeId: vol(1), size: 200, volumeType: 'io2', multiAttachEnabled: true, attachments: [
      { instanceId: 'i-0a1b2c3d4e5f60001', device: '/dev/sdf' },
      { instanceId: 'i-0a1b2c3d4e5f60004', device: '/dev/sdf' },
    ] },
    { volumeId: vol(2), attachments: [{ instanceId: 'i-0a1b2c3d4e5f60001', device: '/dev/sda1', deleteOnTermination: true }], tags: { Name: 'sql-root' } },
    { volumeId: vol(3) },
    // Seven more single-attach volumes, to page through.
    ...[4, 5, 6, 7, 8, 9, 10].map((n) => ({ volumeId: vol(n), attachments: [{ instanceId: 'i-0a1b2c3d4e5f60003', device: `/dev/sd${'ghijklm'[n - 4]}` }] })),
    { volumeId: vol(11), volumeType: 'io1', multiAttachEnabled: true },
  ];
  eu.vpcEndpoints = [
    { vpcEndpointId: 'vpce-0a0000000000000001', vpcId: 'vpc-0fake0000000000001', service: 'ssm' },
    { vpcEndpointId: 'vpce-0a0000000000000002', vpcId: 'vpc-0fake0000000000001', service: 'ssmmessages' },
    { vpcEndpointId: 'vpce-0a0000000000000003', vpcId: 'vpc-0fake0000000000001', service: 'ec2messages', state: 'pending' },
    { vpcEndpointId: 'vpce-0a0000000000000004', vpcId: 'vpc-0fake0000000000001', service: 's3' },
    { vpcEndpointId: 'vpce-0a0000000000000005', vpcId: 'vpc-0other000000000002', service: 'ssm', subnetIds: ['subnet-0b', 'subnet-0c'], privateDnsEnabled: false },
    ...[6, 7, 8, 9, 10].map((n) => ({ vpcEndpointId: `vpce-0a00000000000000${String(n).padStart(2, '0')}`, vpcId: 'vpc-0other000000000002', service: 'logs' })),
  ];
  return base;
}

describe('fake AWS: EC2 DescribeVolumes and DescribeVpcEndpoints', () => {
  let fake: FakeAws;
  let ec2: EC2Client;
  before(async () => {
    fake = await startFakeAws(world());
    ec2 = new EC2Client(sdkConfig(fake, 'eu-west-1'));
  });
  after(async () => {
    ec2.destroy();
    await fake.close();
  });

  const volumes = async (Filters: Array<{ Name: string; Values: string[] }>, pageSize?: number) => {
    const pages: Volume[][] = [];
    for await (const p of paginateDescribeVolumes({ client: ec2, ...(pageSize ? { pageSize } : {}) }, { Filters })) pages.push(p.Volumes ?? []);
    return pages;
  };

  it('parses MultiAttachEnabled, State and the attachments', async () => {
    const out = await ec2.send(new DescribeVolumesCommand({ VolumeIds: [vol(1), vol(3)] }));
    const [shared, loose] = out.Volumes!;
    expect(shared).to.deep.include({ VolumeId: vol(1), Size: 200, VolumeType: 'io2', State: 'in-use', MultiAttachEnabled: true, AvailabilityZone: 'eu-west-1a' });
    expect(shared!.Attachments?.map((a) => a.InstanceId)).to.deep.equal(['i-0a1b2c3d4e5f60001', 'i-0a1b2c3d4e5f60004']);
    expect(shared!.Attachments?.[0]).to.deep.include({ VolumeId: vol(1), Device: '/dev/sdf', State: 'attached', DeleteOnTermination: false });
    expect(shared!.Attachments?.[0]?.AttachTime).to.be.instanceOf(Date);
    expect(loose).to.deep.include({ VolumeId: vol(3), Size: 100, VolumeType: 'gp3', State: 'available', MultiAttachEnabled: false, Attachments: [] });
  });

  it('filters by multi-attach-enabled, attachment.instance-id and volume-id', async () => {
    const ids = (pages: Volume[][]) => pages.flat().map((v) => v.VolumeId);
    expect(ids(await volumes([{ Name: 'multi-attach-enabled', Values: ['true'] }]))).to.deep.equal([vol(1), vol(11)]);
    expect(ids(await volumes([{ Name: 'multi-attach-enabled', Values: ['false'] }]))).to.have.length(9);
    expect(ids(await volumes([{ Name: 'attachment.instance-id', Values: ['i-0a1b2c3d4e5f60001'] }]))).to.deep.equal([vol(1), vol(2)]);
    const both = [{ Name: 'multi-attach-enabled', Values: ['true'] }, { Name: 'attachment.instance-id', Values: ['i-0a1b2c3d4e5f60004'] }];
    expect(ids(await volumes(both))).to.deep.equal([vol(1)]);
    expect(ids(await volumes([{ Name: 'volume-id', Values: [vol(2), vol(3)] }]))).to.deep.equal([vol(2), vol(3)]);
    expect(ids(await volumes([{ Name: 'tag:Name', Values: ['sql-*'] }]))).to.deep.equal([vol(2)]);
    await expectAwsError(ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'bogus', Values: ['x'] }] })), 'InvalidParameterValue', 400);
  });

  it('pages with MaxResults (min 5, clamped to 500) and rejects MaxResults with VolumeIds', async () => {
    const pages = await volumes([{ Name: 'multi-attach-enabled', Values: ['false'] }], 5);
    expect(pages.map((p) => p.length)).to.deep.equal([5, 4]);
    expect(fake.calls.at(-1)?.params).to.include({ MaxResults: '5' });
    expect((await volumes([], 1000)).map((p) => p.length)).to.deep.equal([11]);
    await expectAwsError(ec2.send(new DescribeVolumesCommand({ MaxResults: 4 })), 'InvalidParameterValue', 400);
    await expectAwsError(ec2.send(new DescribeVolumesCommand({ MaxResults: 5, VolumeIds: [vol(1)] })), 'InvalidParameterCombination', 400);
    await expectAwsError(ec2.send(new DescribeVolumesCommand({ VolumeIds: [vol(99)] })), 'InvalidVolume.NotFound', 400);
    await expectAwsError(ec2.send(new DescribeVolumesCommand({ VolumeIds: ['i-123'] })), 'InvalidVolumeID.Malformed', 400);
  });

  it('lists VPC endpoints of a VPC with serviceName, type, state and subnets', async () => {
    const out = await ec2.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'vpc-id', Values: ['vpc-0fake0000000000001'] }] }));
    const byService = Object.fromEntries((out.VpcEndpoints ?? []).map((e) => [e.ServiceName, e]));
    expect(Object.keys(byService)).to.deep.equal([
      'com.amazonaws.eu-west-1.ssm',
      'com.amazonaws.eu-west-1.ssmmessages',
      'com.amazonaws.eu-west-1.ec2messages',
      'com.amazonaws.eu-west-1.s3',
    ]);
    expect(byService['com.amazonaws.eu-west-1.ssm']).to.deep.include({
      VpcEndpointId: 'vpce-0a0000000000000001',
      VpcEndpointType: 'Interface',
      VpcId: 'vpc-0fake0000000000001',
      State: 'available',
      PrivateDnsEnabled: true,
      SubnetIds: ['subnet-0fake000000000001'],
      OwnerId: '111122223333',
    });
    expect(byService['com.amazonaws.eu-west-1.ec2messages']?.State).to.equal('pending');
    expect(byService['com.amazonaws.eu-west-1.s3']).to.deep.include({ VpcEndpointType: 'Gateway', PrivateDnsEnabled: false, SubnetIds: [] });
    expect(byService['com.amazonaws.eu-west-1.s3']?.RouteTableIds).to.have.length(1);
    expect(out.NextToken).to.equal(undefined);
  });

  it('filters VPC endpoints by service-name, state and type, and pages', async () => {
    const ids = async (Filters: Array<{ Name: string; Values: string[] }>, pageSize?: number) => {
      const pages: string[][] = [];
      for await (const p of paginateDescribeVpcEndpoints({ client: ec2, ...(pageSize ? { pageSize } : {}) }, { Filters })) {
        pages.push((p.VpcEndpoints ?? []).map((e) => e.VpcEndpointId!.slice(-2)));
      }
      return pages;
    };
    expect((await ids([{ Name: 'service-name', Values: ['com.amazonaws.eu-west-1.ssm'] }])).flat()).to.deep.equal(['01', '05']);
    expect((await ids([{ Name: 'service-name', Values: ['*.ssm*'] }, { Name: 'vpc-endpoint-state', Values: ['available'] }])).flat()).to.deep.equal(['01', '02', '05']);
    expect((await ids([{ Name: 'vpc-endpoint-type', Values: ['Gateway'] }])).flat()).to.deep.equal(['04']);
    expect(await ids([{ Name: 'vpc-id', Values: ['vpc-0other000000000002'] }], 5)).to.deep.equal([['05', '06', '07', '08', '09'], ['10']]);
    const other = await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: ['vpce-0a0000000000000005'] }));
    expect(other.VpcEndpoints?.[0]).to.deep.include({ SubnetIds: ['subnet-0b', 'subnet-0c'], PrivateDnsEnabled: false });
    await expectAwsError(ec2.send(new DescribeVpcEndpointsCommand({ MaxResults: 4 })), 'InvalidParameterValue', 400);
    await expectAwsError(ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: ['vpce-0ffff'] })), 'InvalidVpcEndpointId.NotFound', 400);
    await expectAwsError(ec2.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'bogus', Values: ['x'] }] })), 'InvalidParameterValue', 400);
  });

  it('serves a region without volumes or endpoints as empty', async () => {
    const us = new EC2Client(sdkConfig(fake, 'us-east-1'));
    expect((await us.send(new DescribeVolumesCommand({}))).Volumes).to.deep.equal([]);
    expect((await us.send(new DescribeVpcEndpointsCommand({}))).VpcEndpoints).to.deep.equal([]);
    us.destroy();
  });

  it('the world schema rejects a multi-attached volume without multiAttachEnabled', () => {
    const bad = world();
    bad.regions['eu-west-1']!.volumes = [{ volumeId: vol(1), attachments: [{ instanceId: 'i-1', device: '/dev/sdf' }, { instanceId: 'i-2', device: '/dev/sdf' }] }];
    expect(() => parseWorld(bad)).to.throw(/multiAttachEnabled is false/);
  });
});

describe('fake AWS: faults on DescribeVolumes', () => {
  it('deny and maxPageSize apply to the new actions', async () => {
    const w = world();
    const fake = await startFakeAws({ ...w, faults: { deny: [{ service: 'ec2', action: 'DescribeVpcEndpoints' }], maxPageSize: { DescribeVolumes: 4 } } });
    const ec2 = new EC2Client(sdkConfig(fake, 'eu-west-1'));
    const sizes: number[] = [];
    for await (const p of paginateDescribeVolumes({ client: ec2, pageSize: 500 }, {})) sizes.push(p.Volumes?.length ?? 0);
    expect(sizes).to.deep.equal([4, 4, 3]);
    await expectAwsError(ec2.send(new DescribeVpcEndpointsCommand({})), 'UnauthorizedOperation', 403);
    ec2.destroy();
    await fake.close();
  });
});
