import {
  DescribeInstanceInformationCommand,
  GetInventoryCommand,
  GetServiceSettingCommand,
  ListCommandInvocationsCommand,
  ListInventoryEntriesCommand,
  SSMClient,
  paginateDescribeInstanceInformation,
  paginateGetInventory,
  paginateListCommandInvocations,
} from '@aws-sdk/client-ssm';
import { expect } from 'chai';
import { sdkConfig, startFakeAws, type FakeAws } from './server.js';
import { exampleWorld, expectAwsError } from './test-helpers.js';

const SQL = 'i-0a1b2c3d4e5f60001';

describe('fake AWS: SSM (awsJson1_1)', () => {
  let fake: FakeAws;
  let ssm: SSMClient;
  before(async () => {
    fake = await startFakeAws({ ...exampleWorld(), faults: { maxPageSize: { 'ssm:ListCommandInvocations': 1 } } });
    ssm = new SSMClient(sdkConfig(fake, 'eu-west-1'));
  });
  after(async () => {
    ssm.destroy();
    await fake.close();
  });

  describe('DescribeInstanceInformation', () => {
    it('returns managed instances with parsed dates; IamRole only when set', async () => {
      const out = await ssm.send(new DescribeInstanceInformationCommand({ Filters: [{ Key: 'InstanceIds', Values: [SQL, 'i-0a1b2c3d4e5f60003'] }] }));
      const [sql, linux] = out.InstanceInformationList!;
      expect(sql).to.deep.include({ InstanceId: SQL, PingStatus: 'Online', AgentVersion: '3.3.1142.0', IsLatestVersion: true });
      expect(sql).to.deep.include({ PlatformType: 'Windows', PlatformName: 'Microsoft Windows Server 2022 Datacenter', PlatformVersion: '10.0.20348' });
      expect(sql).to.deep.include({ ResourceType: 'EC2Instance', IPAddress: '10.1.0.11', ComputerName: 'SQLPROD1.corp.example.com' });
      expect(sql).to.deep.include({ IamRole: 'VssBackupRole', AssociationStatus: 'Success' });
      expect(sql!.LastPingDateTime).to.be.instanceOf(Date);
      expect(sql!.LastPingDateTime!.toISOString()).to.equal('2026-11-20T09:58:12.345Z');
      expect(linux!.PlatformType).to.equal('Linux');
      expect(linux).to.not.have.property('IamRole');
      expect(out.NextToken).to.equal(undefined);
    });

    it('filters by PingStatus and PlatformTypes (new and legacy filter styles)', async () => {
      const lost = await ssm.send(new DescribeInstanceInformationCommand({ Filters: [{ Key: 'PingStatus', Values: ['ConnectionLost'] }] }));
      expect(lost.InstanceInformationList?.map((i) => i.InstanceId)).to.deep.equal(['i-0a1b2c3d4e5f60002']);
      const linux = await ssm.send(
        new DescribeInstanceInformationCommand({ InstanceInformationFilterList: [{ key: 'PlatformTypes', valueSet: ['Linux'] }] }),
      );
      expect(linux.InstanceInformationList?.map((i) => i.InstanceId)).to.deep.equal(['i-0a1b2c3d4e5f60003']);
    });

    it('paginates with MaxResults (min 5) via the SDK paginator', async () => {
      const pages: string[][] = [];
      for await (const p of paginateDescribeInstanceInformation({ client: ssm, pageSize: 5 }, {})) {
        pages.push((p.InstanceInformationList ?? []).map((i) => i.InstanceId!));
      }
      expect(pages.map((p) => p.length)).to.deep.equal([5, 1]);
    });

    it('validates like the real API', async () => {
      await expectAwsError(ssm.send(new DescribeInstanceInformationCommand({ MaxResults: 4 })), 'ValidationException', 400);
      await expectAwsError(ssm.send(new DescribeInstanceInformationCommand({ MaxResults: 51 })), 'ValidationException', 400);
      const tooMany = Array.from({ length: 101 }, (_, n) => `i-${String(n).padStart(17, '0')}`);
      await expectAwsError(ssm.send(new DescribeInstanceInformationCommand({ Filters: [{ Key: 'InstanceIds', Values: tooMany }] })), 'ValidationException', 400);
      await expectAwsError(ssm.send(new DescribeInstanceInformationCommand({ Filters: [{ Key: 'Colour', Values: ['x'] }] })), 'InvalidFilterKey', 400);
      await expectAwsError(ssm.send(new DescribeInstanceInformationCommand({ NextToken: 'garbage' })), 'InvalidNextToken', 400);
    });
  });

  describe('ListInventoryEntries', () => {
    it('returns entries as string maps with CaptureTime and SchemaVersion', async () => {
      const out = await ssm.send(new ListInventoryEntriesCommand({ InstanceId: SQL, TypeName: 'AWS:AWSComponent' }));
      expect(out).to.include({ TypeName: 'AWS:AWSComponent', InstanceId: SQL, CaptureTime: '2026-11-20T10:00:00Z', SchemaVersion: '1.0' });
      expect(out.Entries?.[0]).to.deep.include({ Name: 'AwsVssComponents', Version: '2.3.1', Publisher: 'Amazon Web Services' });
      const apps = await ssm.send(new ListInventoryEntriesCommand({ InstanceId: SQL, TypeName: 'AWS:Application' }));
      expect(apps.SchemaVersion).to.equal('1.1');
      expect(apps.Entries).to.have.length(3);
    });

    it('applies entry filters', async () => {
      const out = await ssm.send(
        new ListInventoryEntriesCommand({ InstanceId: SQL, TypeName: 'AWS:Application', Filters: [{ Key: 'Name', Values: ['Microsoft'], Type: 'BeginWith' }] }),
      );
      expect(out.Entries?.map((e) => e.Name)).to.deep.equal(['Microsoft SQL Server 2019 (64-bit)', 'Microsoft Visual C++ 2019 X64 Minimum Runtime']);
      const exists = await ssm.send(
        new ListInventoryEntriesCommand({ InstanceId: SQL, TypeName: 'AWS:Application', Filters: [{ Key: 'AWS:Application.InstalledTime', Values: ['x'], Type: 'Exists' }] }),
      );
      expect(exists.Entries).to.have.length(1);
    });

    it('has Entries [] and no CaptureTime/SchemaVersion when the instance has no such inventory', async () => {
      const out = await ssm.send(new ListInventoryEntriesCommand({ InstanceId: 'i-0a1b2c3d4e5f60005', TypeName: 'AWS:AWSComponent' }));
      expect(out.Entries).to.deep.equal([]);
      expect(out.CaptureTime).to.equal(undefined);
      expect(out.SchemaVersion).to.equal(undefined);
      await expectAwsError(ssm.send(new ListInventoryEntriesCommand({ InstanceId: SQL, TypeName: 'AWS:Nope' })), 'InvalidTypeNameException', 400);
      await expectAwsError(ssm.send(new ListInventoryEntriesCommand({ InstanceId: SQL, TypeName: 'AWS:Application', MaxResults: 0 })), 'ValidationException', 400);
    });
  });

  describe('GetInventory', () => {
    it('finds entities by an inventory filter and returns AWS:InstanceInformation', async () => {
      const out = await ssm.send(
        new GetInventoryCommand({
          Filters: [{ Key: 'AWS:Application.Name', Values: ['Microsoft SQL Server'], Type: 'BeginWith' }],
          ResultAttributes: [{ TypeName: 'AWS:InstanceInformation' }],
        }),
      );
      expect(out.Entities?.map((e) => e.Id)).to.deep.equal([SQL]);
      const info = out.Entities![0]!.Data!['AWS:InstanceInformation']!;
      expect(info).to.include({ TypeName: 'AWS:InstanceInformation', SchemaVersion: '1.0' });
      expect(info.Content?.[0]).to.include({ InstanceId: SQL, PlatformType: 'Windows', AgentType: 'amazon-ssm-agent' });
    });

    it('accepts only AWS:InstanceInformation / AWS:PatchSummary as ResultAttributes, with the message SSM gives', async () => {
      const err = await expectAwsError(ssm.send(new GetInventoryCommand({ ResultAttributes: [{ TypeName: 'AWS:Application' }] })), 'InvalidResultAttributeException', 400);
      expect((err as Error).message).to.equal(
        'Result type name AWS:Application is not supported. Supported type names are: AWS:InstanceInformation, AWS:PatchSummary. Default result type name is AWS:InstanceInformation.',
      );
    });

    it('matches an entity when some entry of the filtered type has one of the Equal values, under AWS:AWSComponent too', async () => {
      const ids = async (Key: string, Values: string[]) => {
        const out: string[] = [];
        for await (const p of paginateGetInventory({ client: ssm, pageSize: 50 }, { Filters: [{ Key, Values, Type: 'Equal' }] })) out.push(...(p.Entities ?? []).map((e) => e.Id!));
        return out;
      };
      expect(await ids('AWS:AWSComponent.Name', ['AwsVssComponents', 'awsvsscomponents'])).to.deep.equal([SQL]);
      // Equal is an exact comparison, and an entity without the type never matches.
      expect(await ids('AWS:Application.Name', ['AwsVssComponents'])).to.deep.equal([]);
      expect(await ids('AWS:AWSComponent.Name', ['AwsVss'])).to.deep.equal([]);
    });

    it('pages 50 entities at most, and validates Filters (1 to 5, at most 40 values)', async () => {
      await expectAwsError(ssm.send(new GetInventoryCommand({ MaxResults: 51 })), 'ValidationException', 400);
      const six = Array.from({ length: 6 }, () => ({ Key: 'AWS:Application.Name', Values: ['x'], Type: 'Equal' as const }));
      await expectAwsError(ssm.send(new GetInventoryCommand({ Filters: six })), 'ValidationException', 400);
      const many = Array.from({ length: 41 }, (_, n) => `name-${n}`);
      await expectAwsError(ssm.send(new GetInventoryCommand({ Filters: [{ Key: 'AWS:Application.Name', Values: many, Type: 'Equal' }] })), 'ValidationException', 400);
      const first = await ssm.send(new GetInventoryCommand({ MaxResults: 1 }));
      expect(first.Entities).to.have.length(1);
      const next = await ssm.send(new GetInventoryCommand({ MaxResults: 1, NextToken: first.NextToken }));
      expect(next.Entities![0]!.Id).to.not.equal(first.Entities![0]!.Id);
    });
  });

  describe('GetServiceSetting', () => {
    it('returns a configured setting, the documented default where never set, ServiceSettingNotFound for other ids', async () => {
      const id = '/ssm/managed-instance/default-ec2-instance-management-role';
      const out = await ssm.send(new GetServiceSettingCommand({ SettingId: id }));
      expect(out.ServiceSetting).to.include({ SettingId: id, SettingValue: 'AWSSystemsManagerDefaultEC2InstanceManagementRole', Status: 'Customized' });
      expect(out.ServiceSetting?.ARN).to.equal(`arn:aws:ssm:eu-west-1:111122223333:servicesetting${id}`);
      expect(out.ServiceSetting?.LastModifiedDate).to.be.instanceOf(Date);
      const other = new SSMClient(sdkConfig(fake, 'us-east-1'));
      const unset = await other.send(new GetServiceSettingCommand({ SettingId: id }));
      expect(unset.ServiceSetting).to.include({ SettingId: id, SettingValue: '$None', Status: 'Default' });
      await expectAwsError(other.send(new GetServiceSettingCommand({ SettingId: '/ssm/no/such/setting' })), 'ServiceSettingNotFound', 400);
      other.destroy();
    });
  });

  describe('ListCommandInvocations', () => {
    it('filters by document, newest first, with plugin details; pages via maxPageSize', async () => {
      const rows = [];
      for await (const p of paginateListCommandInvocations(
        { client: ssm, pageSize: 50 },
        { InstanceId: SQL, Filters: [{ key: 'DocumentName', value: 'AWSEC2-CreateVssSnapshot' }], Details: true },
      )) {
        rows.push(...(p.CommandInvocations ?? []));
      }
      expect(rows).to.have.length(1);
      expect(rows[0]).to.include({ DocumentName: 'AWSEC2-CreateVssSnapshot', Status: 'Failed' });
      expect(rows[0]!.RequestedDateTime).to.be.instanceOf(Date);
      expect(rows[0]!.CommandPlugins?.[0]).to.include({ Name: 'CreateVssSnapshot', ResponseCode: 1, Output: 'VSS writer SqlServerWriter failed' });
      const pages = [];
      for await (const p of paginateListCommandInvocations({ client: ssm }, { InstanceId: SQL })) pages.push(p.CommandInvocations ?? []);
      expect(pages.map((p) => p.map((c) => c.DocumentName))).to.deep.equal([['AWSEC2-CreateVssSnapshot'], ['AWS-ConfigureAWSPackage']]);
      expect(pages[0]![0]!.CommandPlugins).to.deep.equal([]);
      await expectAwsError(ssm.send(new ListCommandInvocationsCommand({ MaxResults: 51 })), 'ValidationException', 400);
    });
  });

});

describe('fake AWS: GetInventory with several filters on one type', () => {
  const A = 'i-0c00000000000000a'; // AwsVssComponents 1.3.1 beside another application at 2.5.1
  const B = 'i-0c00000000000000b'; // AwsVssComponents 2.5.1
  const node = (instanceId: string) => ({ instanceId, platformType: 'Windows' as const, platformName: 'Microsoft Windows Server 2022 Datacenter', platformVersion: '10.0.20348' });
  const app = (entries: { Name: string; Version: string }[]) => ({ 'AWS:Application': { captureTime: '2026-11-24T10:00:00Z', entries } });
  const world = (inventoryFilterMatch: 'per-node' | 'per-entry') => ({
    accountId: '111122223333',
    inventoryFilterMatch,
    regions: {
      'eu-west-1': {
        instances: [A, B].map((instanceId) => ({ instanceId, platform: 'windows' as const })),
        ssm: [node(A), node(B)],
        inventory: {
          [A]: app([{ Name: 'AwsVssComponents', Version: '1.3.1' }, { Name: 'Contoso Tool', Version: '2.5.1' }]),
          [B]: app([{ Name: 'AwsVssComponents', Version: '2.5.1' }]),
        },
      },
    },
  });
  const query = async (match: 'per-node' | 'per-entry', ids: string[]) => {
    const fake = await startFakeAws(world(match));
    const ssm = new SSMClient(sdkConfig(fake, 'eu-west-1'));
    try {
      const out = await ssm.send(
        new GetInventoryCommand({
          Filters: [
            { Key: 'AWS:InstanceInformation.InstanceId', Values: ids, Type: 'Equal' },
            { Key: 'AWS:Application.Name', Values: ['AwsVssComponents'], Type: 'Equal' },
            { Key: 'AWS:Application.Version', Values: ['2.5'], Type: 'BeginWith' },
          ],
        }),
      );
      return (out.Entities ?? []).map((e) => e.Id).sort();
    } finally {
      ssm.destroy();
      await fake.close();
    }
  };

  it('per node (the default), each filter may match a different entry', async () => {
    expect(await query('per-node', [A, B, 'i-0c00000000000000c'])).to.deep.equal([A, B]);
  });

  it('per entry, one entry must match all of the type\'s filters', async () => {
    expect(await query('per-entry', [A, B])).to.deep.equal([B]);
  });

  it('returns only the instances the InstanceId filter names', async () => {
    expect(await query('per-node', [A])).to.deep.equal([A]);
  });
});
