import {
  GetInstanceProfileCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  paginateListAttachedRolePolicies,
} from '@aws-sdk/client-iam';
import { expect } from 'chai';
import { sdkConfig, startFakeAws, type FakeAws } from './server.js';
import { exampleWorld, expectAwsError } from './test-helpers.js';

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
});
