import {
  GetAccountAuthorizationDetailsCommand,
  GetInstanceProfileCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  paginateGetAccountAuthorizationDetails,
  paginateListAttachedRolePolicies,
} from '@aws-sdk/client-iam';
import { expect } from 'chai';
import { sdkConfig, startFakeAws, type FakeAws } from './server.js';
import { exampleWorld, expectAwsError } from './test-helpers.js';
import type { WorldInput } from './world.js';

const decode = (doc: string | undefined): { Statement: Array<Record<string, unknown>> } => JSON.parse(decodeURIComponent(doc ?? ''));

describe('fake AWS: IAM (awsQuery)', () => {
  let fake: FakeAws;
  let iam: IAMClient;
  before(async () => {
    fake = await startFakeAws(exampleWorld());
    iam = new IAMClient(sdkConfig(fake, 'us-east-1'));
  });
  after(async () => {
    iam.destroy();
    await fake.close();
  });

  it('GetInstanceProfile returns the profile with its role; ARNs carry the path', async () => {
    const out = await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'LegacyProfile' }));
    const p = out.InstanceProfile!;
    expect(p).to.include({ InstanceProfileName: 'LegacyProfile', Path: '/app/', Arn: 'arn:aws:iam::111122223333:instance-profile/app/LegacyProfile' });
    expect(p.InstanceProfileId).to.match(/^AIPA/);
    expect(p.CreateDate).to.be.instanceOf(Date);
    expect(p.Roles?.map((r) => r.Arn)).to.deep.equal(['arn:aws:iam::111122223333:role/app/LegacyRole']);
    const empty = await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'EmptyProfile' }));
    expect(empty.InstanceProfile?.Roles).to.deep.equal([]);
    await expectAwsError(iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'Nope' })), 'NoSuchEntityException', 404);
  });

  it('GetRole includes the permissions boundary and a decodable trust policy', async () => {
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'VssBackupRole' }));
    expect(Role).to.include({ RoleName: 'VssBackupRole', Arn: 'arn:aws:iam::111122223333:role/VssBackupRole' });
    expect(Role?.PermissionsBoundary).to.deep.equal({
      PermissionsBoundaryType: 'Policy',
      PermissionsBoundaryArn: 'arn:aws:iam::111122223333:policy/OrgBoundary',
    });
    expect(Role?.AssumeRolePolicyDocument).to.match(/^%7B/);
    expect(decode(Role?.AssumeRolePolicyDocument).Statement[0]).to.deep.include({ Principal: { Service: 'ec2.amazonaws.com' } });
    expect(Role?.Tags).to.deep.equal([{ Key: 'team', Value: 'platform' }]);
    // The SDK maps IAM's wire code NoSuchEntity to its modeled NoSuchEntityException; the wire code stays in `Code`.
    const missing = await expectAwsError(iam.send(new GetRoleCommand({ RoleName: 'Ghost' })), 'NoSuchEntityException', 404);
    expect((missing as unknown as { Code: string }).Code).to.equal('NoSuchEntity');
  });

  it('ListAttachedRolePolicies pages with MaxItems/Marker/IsTruncated', async () => {
    const first = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'VssBackupRole', MaxItems: 2 }));
    expect(first.IsTruncated).to.equal(true);
    expect(first.Marker).to.be.a('string');
    expect(first.AttachedPolicies?.[0]).to.deep.equal({ PolicyName: 'AmazonSSMManagedInstanceCore', PolicyArn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore' });
    const all = [];
    for await (const p of paginateListAttachedRolePolicies({ client: iam, pageSize: 1 }, { RoleName: 'VssBackupRole' })) all.push(...(p.AttachedPolicies ?? []));
    expect(all.map((a) => a.PolicyName)).to.deep.equal(['AmazonSSMManagedInstanceCore', 'AWSEC2VssSnapshotPolicy', 'VssTagging']);
    expect(fake.calls.filter((c) => c.action === 'ListAttachedRolePolicies')).to.have.length(4);
    await expectAwsError(iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'VssBackupRole', MaxItems: 0 })), 'ValidationError', 400);
  });

  it('ListRolePolicies and GetRolePolicy return url-encoded inline documents', async () => {
    const names = await iam.send(new ListRolePoliciesCommand({ RoleName: 'VssBackupRole' }));
    expect(names).to.include({ IsTruncated: false });
    expect(names.PolicyNames).to.deep.equal(['AllowSnapshots']);
    const doc = await iam.send(new GetRolePolicyCommand({ RoleName: 'VssBackupRole', PolicyName: 'AllowSnapshots' }));
    expect(decode(doc.PolicyDocument).Statement[0]?.Action).to.deep.equal(['ec2:CreateSnapshot', 'ec2:CreateTags']);
    await expectAwsError(iam.send(new GetRolePolicyCommand({ RoleName: 'VssBackupRole', PolicyName: 'Nope' })), 'NoSuchEntityException', 404);
  });

  it('GetPolicy and GetPolicyVersion (AWS managed and customer policies)', async () => {
    const arn = 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore';
    const { Policy } = await iam.send(new GetPolicyCommand({ PolicyArn: arn }));
    expect(Policy).to.include({ PolicyName: 'AmazonSSMManagedInstanceCore', Arn: arn, DefaultVersionId: 'v2', Path: '/', AttachmentCount: 1 });
    const { PolicyVersion } = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' }));
    expect(PolicyVersion).to.include({ VersionId: 'v2', IsDefaultVersion: true });
    expect(decode(PolicyVersion?.Document).Statement[0]?.Effect).to.equal('Allow');
    const custom = await iam.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::111122223333:policy/backup/VssTagging' }));
    expect(custom.Policy).to.include({ PolicyName: 'VssTagging', Path: '/backup/' });
    await expectAwsError(iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' })), 'NoSuchEntityException', 404);
    await expectAwsError(iam.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/Missing' })), 'NoSuchEntityException', 404);
  });

  describe('GetAccountAuthorizationDetails', () => {
    const UNATTACHED = 'arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess';
    let bulk: FakeAws;
    let client: IAMClient;
    before(async () => {
      const world: WorldInput = exampleWorld();
      world.iam!.policies!.push({ arn: UNATTACHED, document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' }] } });
      world.faults = { deny: [{ service: 'iam', action: 'GetAccountAuthorizationDetails', region: 'eu-west-1' }] };
      bulk = await startFakeAws(world);
      client = new IAMClient(sdkConfig(bulk, 'us-east-1'));
    });
    after(async () => {
      client.destroy();
      await bulk.close();
    });

    it('RoleDetailList: each role with its instance profiles, inline and attached policies, boundary and tags', async () => {
      const out = await client.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Role'] }));
      expect(out.UserDetailList).to.deep.equal([]);
      expect(out.GroupDetailList).to.deep.equal([]);
      expect(out.Policies).to.deep.equal([]);
      expect(out.IsTruncated).to.equal(false);
      expect(out.RoleDetailList?.map((r) => r.RoleName)).to.deep.equal(['VssBackupRole', 'LegacyRole', 'AWSSystemsManagerDefaultEC2InstanceManagementRole']);
      const [vss, legacy] = out.RoleDetailList!;
      expect(vss).to.include({ Path: '/', RoleName: 'VssBackupRole', Arn: 'arn:aws:iam::111122223333:role/VssBackupRole' });
      expect(vss!.RoleId).to.match(/^AROA/);
      expect(vss!.CreateDate).to.be.instanceOf(Date);
      expect(decode(vss!.AssumeRolePolicyDocument).Statement[0]).to.deep.include({ Principal: { Service: 'ec2.amazonaws.com' } });
      expect(vss!.InstanceProfileList?.map((p) => [p.Arn, p.Roles?.map((r) => r.Arn)])).to.deep.equal([
        ['arn:aws:iam::111122223333:instance-profile/VssBackupProfile', ['arn:aws:iam::111122223333:role/VssBackupRole']],
      ]);
      expect(vss!.RolePolicyList?.map((p) => p.PolicyName)).to.deep.equal(['AllowSnapshots']);
      expect(vss!.RolePolicyList?.[0]?.PolicyDocument).to.match(/^%7B/); // URL-encoded, as GetRolePolicy
      expect(decode(vss!.RolePolicyList?.[0]?.PolicyDocument).Statement[0]?.Action).to.deep.equal(['ec2:CreateSnapshot', 'ec2:CreateTags']);
      expect(vss!.AttachedManagedPolicies?.map((p) => p.PolicyName)).to.deep.equal(['AmazonSSMManagedInstanceCore', 'AWSEC2VssSnapshotPolicy', 'VssTagging']);
      expect(vss!.PermissionsBoundary).to.deep.equal({ PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: 'arn:aws:iam::111122223333:policy/OrgBoundary' });
      expect(vss!.Tags).to.deep.equal([{ Key: 'team', Value: 'platform' }]);
      expect(vss!.RoleLastUsed).to.deep.equal({});
      expect(legacy!.InstanceProfileList?.[0]).to.include({ InstanceProfileName: 'LegacyProfile', Path: '/app/' });
      expect(legacy!.RolePolicyList).to.deep.equal([]);
      expect(legacy!.PermissionsBoundary).to.equal(undefined);
    });

    it('Policies: customer managed ones for LocalManagedPolicy, attached AWS managed ones for AWSManagedPolicy, each with its versions', async () => {
      const local = await client.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['LocalManagedPolicy'] }));
      expect(local.RoleDetailList).to.deep.equal([]);
      expect(local.Policies?.map((p) => p.Arn)).to.deep.equal(['arn:aws:iam::111122223333:policy/backup/VssTagging', 'arn:aws:iam::111122223333:policy/OrgBoundary']);
      const tagging = local.Policies![0]!;
      expect(tagging).to.include({ PolicyName: 'VssTagging', Path: '/backup/', DefaultVersionId: 'v1', AttachmentCount: 1, PermissionsBoundaryUsageCount: 0, IsAttachable: true });
      expect(tagging.PolicyId).to.match(/^ANPA/);
      expect(tagging.PolicyVersionList?.map((v) => [v.VersionId, v.IsDefaultVersion])).to.deep.equal([['v1', true]]);
      expect(decode(tagging.PolicyVersionList?.[0]?.Document).Statement[0]?.Resource).to.equal('arn:aws:ec2:*::snapshot/*');
      expect(local.Policies![1]).to.include({ AttachmentCount: 0, PermissionsBoundaryUsageCount: 1 });

      const aws = await client.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['AWSManagedPolicy'] }));
      const arns = aws.Policies?.map((p) => p.Arn);
      expect(arns).to.deep.equal([
        'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
        'arn:aws:iam::aws:policy/AWSEC2VssSnapshotPolicy',
        'arn:aws:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy',
      ]);
      expect(arns).to.not.include(UNATTACHED);
      expect(aws.Policies![0]).to.include({ DefaultVersionId: 'v2', AttachmentCount: 1, Path: '/' });
    });

    it('no Filter lists every entity type', async () => {
      const all = await client.send(new GetAccountAuthorizationDetailsCommand({}));
      expect(all.RoleDetailList).to.have.length(3);
      expect(all.Policies).to.have.length(5); // two customer managed, three attached AWS managed
    });

    it('pages with MaxItems (1-1000) and Marker, counting every entity; a Marker is bound to its Filter', async () => {
      const filter = ['Role' as const, 'LocalManagedPolicy' as const];
      const first = await client.send(new GetAccountAuthorizationDetailsCommand({ Filter: filter, MaxItems: 2 }));
      expect(first.IsTruncated).to.equal(true);
      expect(first.Marker).to.be.a('string');
      expect(first.RoleDetailList).to.have.length(2);
      const seen: string[] = [];
      for await (const p of paginateGetAccountAuthorizationDetails({ client, pageSize: 2 }, { Filter: filter })) {
        seen.push(...(p.RoleDetailList ?? []).map((r) => r.Arn!), ...(p.Policies ?? []).map((x) => x.Arn!));
      }
      expect(seen).to.have.length(5); // 3 roles + 2 customer managed policies, each once
      expect(new Set(seen).size).to.equal(5);
      await expectAwsError(client.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Role'], Marker: first.Marker })), 'ValidationError', 400);
      for (const MaxItems of [0, 1001]) {
        await expectAwsError(client.send(new GetAccountAuthorizationDetailsCommand({ MaxItems })), 'ValidationError', 400);
      }
      const page1000 = await client.send(new GetAccountAuthorizationDetailsCommand({ Filter: filter, MaxItems: 1000 }));
      expect(page1000.IsTruncated).to.equal(false);
      expect(page1000.Marker).to.equal(undefined);
    });

    it('rejects an entity type outside the enum', async () => {
      const err = await expectAwsError(client.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Roles' as 'Role'] })), 'ValidationError', 400);
      expect(err.message).to.contain("at 'filter'");
    });

    it('a denied GetAccountAuthorizationDetails is AccessDenied, like any other denied IAM action', async () => {
      const denied = new IAMClient(sdkConfig(bulk, 'eu-west-1'));
      try {
        const err = await expectAwsError(denied.send(new GetAccountAuthorizationDetailsCommand({})), 'AccessDenied', 403);
        expect(err.message).to.contain('iam:GetAccountAuthorizationDetails');
      } finally {
        denied.destroy();
      }
    });
  });
});
