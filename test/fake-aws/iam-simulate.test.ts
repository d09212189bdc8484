import { IAMClient, SimulatePrincipalPolicyCommand, paginateSimulatePrincipalPolicy, type EvaluationResult } from '@aws-sdk/client-iam';
import { expect } from 'chai';
import { sdkConfig, startFakeAws, type FakeAws } from './server.js';
import { exampleWorld, expectAwsError } from './test-helpers.js';
import type { WorldInput } from './world.js';

const ACCOUNT = '111122223333';
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const allow = (Action: string | string[], Resource: string | string[] = '*', Condition?: Record<string, Record<string, string | string[]>>) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action, Resource, ...(Condition ? { Condition } : {}) }],
});

function world(): WorldInput {
  const base = exampleWorld();
  const iam = base.iam!;
  iam.policies!.push({
    arn: `arn:aws:iam::${ACCOUNT}:policy/DenySnapshots`,
    document: { Version: '2012-10-17', Statement: [{ Sid: 'NoSnapshots', Effect: 'Deny', Action: 'ec2:CreateSnapshot*', Resource: '*' }] },
  });
  iam.roles!.push(
    { name: 'DenyRole', inlinePolicies: { Ec2All: allow('ec2:*') }, attachedPolicyArns: [`arn:aws:iam::${ACCOUNT}:policy/DenySnapshots`] },
    {
      name: 'BoundedRole',
      permissionsBoundaryArn: `arn:aws:iam::${ACCOUNT}:policy/OrgBoundary`,
      inlinePolicies: { Mixed: allow(['iam:GetRole', 'ec2:CreateSnapshot']) },
    },
    { name: 'TaggerRole', attachedPolicyArns: [`arn:aws:iam::${ACCOUNT}:policy/backup/VssTagging`] },
    {
      name: 'ConditionalRole',
      inlinePolicies: {
        TagOnCreate: allow('ec2:CreateTags', '*', { StringEquals: { 'ec2:CreateAction': 'CreateSnapshot' } }),
        TagKeys: allow('ec2:DeleteTags', '*', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['Backup'] }, Bool: { 'aws:MultiFactorAuthPresent': 'true' } }),
      },
    },
  );
  return base;
}

const one = (out: { EvaluationResults?: EvaluationResult[] }): EvaluationResult => {
  expect(out.EvaluationResults).to.have.length(1);
  return out.EvaluationResults![0]!;
};

describe('fake AWS: IAM SimulatePrincipalPolicy', () => {
  let fake: FakeAws;
  let iam: IAMClient;
  const simulate = (name: string, ActionNames: string[], more: Omit<ConstructorParameters<typeof SimulatePrincipalPolicyCommand>[0], 'PolicySourceArn' | 'ActionNames'> = {}) =>
    iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: role(name), ActionNames, ...more }));
  before(async () => {
    fake = await startFakeAws(world());
    iam = new IAMClient(sdkConfig(fake, 'us-east-1'));
  });
  after(async () => {
    iam.destroy();
    await fake.close();
  });

  it('allowed: names the allowing statement, reports the boundary, no Organizations detail without organizations', async () => {
    const r = one(await simulate('VssBackupRole', ['ec2:CreateSnapshot']));
    expect(r).to.deep.include({ EvalActionName: 'ec2:CreateSnapshot', EvalResourceName: '*', EvalDecision: 'allowed', MissingContextValues: [] });
    expect(r.MatchedStatements).to.deep.equal([{ SourcePolicyId: 'AllowSnapshots', SourcePolicyType: 'role' }]);
    expect(r.PermissionsBoundaryDecisionDetail).to.deep.equal({ AllowedByPermissionsBoundary: true });
    expect(r.OrganizationsDecisionDetail).to.equal(undefined);
    expect(r.ResourceSpecificResults).to.equal(undefined);
    const managed = one(await simulate('VssBackupRole', ['ec2:DescribeSnapshots']));
    expect(managed.MatchedStatements).to.deep.equal([{ SourcePolicyId: 'AWSEC2VssSnapshotPolicy', SourcePolicyType: 'aws-managed' }]);
    const none = one(await simulate('VssBackupRole', ['s3:GetObject']));
    expect(none).to.deep.include({ EvalDecision: 'implicitDeny', MatchedStatements: [] });
  });

  it('explicit deny: MatchedStatements names the denying policy', async () => {
    const out = await simulate('DenyRole', ['ec2:CreateSnapshots', 'ec2:DescribeInstances']);
    const [denied, allowed] = out.EvaluationResults!;
    expect(denied).to.deep.include({ EvalDecision: 'explicitDeny' });
    expect(denied!.MatchedStatements).to.deep.equal([{ SourcePolicyId: 'DenySnapshots', SourcePolicyType: 'user-managed' }]);
    expect(denied!.PermissionsBoundaryDecisionDetail).to.equal(undefined);
    expect(allowed).to.deep.include({ EvalActionName: 'ec2:DescribeInstances', EvalDecision: 'allowed' });
  });

  it('permissions boundary: AllowedByPermissionsBoundary false turns an identity Allow into implicitDeny', async () => {
    const out = await simulate('BoundedRole', ['iam:GetRole', 'ec2:CreateSnapshot']);
    const [capped, ok] = out.EvaluationResults!;
    expect(capped).to.deep.include({ EvalActionName: 'iam:GetRole', EvalDecision: 'implicitDeny', PermissionsBoundaryDecisionDetail: { AllowedByPermissionsBoundary: false } });
    expect(ok).to.deep.include({ EvalDecision: 'allowed', PermissionsBoundaryDecisionDetail: { AllowedByPermissionsBoundary: true } });
  });

  it('resource-specific results per action × resource', async () => {
    const snapshot = 'arn:aws:ec2:eu-west-1::snapshot/snap-0123';
    const instance = `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-0a1b2c3d4e5f60001`;
    const out = await simulate('TaggerRole', ['ec2:CreateTags'], { ResourceArns: [snapshot, instance] });
    expect(out.EvaluationResults?.map((r) => [r.EvalResourceName, r.EvalDecision])).to.deep.equal([
      [snapshot, 'allowed'],
      [instance, 'implicitDeny'],
    ]);
    const [onSnapshot, onInstance] = out.EvaluationResults!;
    expect(onSnapshot!.ResourceSpecificResults).to.deep.equal([
      {
        EvalResourceName: snapshot,
        EvalResourceDecision: 'allowed',
        MatchedStatements: [{ SourcePolicyId: 'VssTagging', SourcePolicyType: 'user-managed' }],
        MissingContextValues: [],
      },
    ]);
    expect(onInstance!.ResourceSpecificResults?.[0]).to.deep.include({ EvalResourceName: instance, EvalResourceDecision: 'implicitDeny', MatchedStatements: [] });
    // Resource '*' does not match a statement scoped to snapshots.
    expect(one(await simulate('TaggerRole', ['ec2:CreateTags'])).EvalDecision).to.equal('implicitDeny');
  });

  it('missing context keys: implicitDeny with MissingContextValues; ContextEntries decide it', async () => {
    const missing = one(await simulate('ConditionalRole', ['ec2:CreateTags']));
    expect(missing).to.deep.include({ EvalDecision: 'implicitDeny', MissingContextValues: ['ec2:CreateAction'] });
    const given = one(
      await simulate('ConditionalRole', ['ec2:CreateTags'], { ContextEntries: [{ ContextKeyName: 'ec2:CreateAction', ContextKeyValues: ['CreateSnapshot'], ContextKeyType: 'string' }] }),
    );
    expect(given).to.deep.include({ EvalDecision: 'allowed', MissingContextValues: [] });
    const twoMissing = one(await simulate('ConditionalRole', ['ec2:DeleteTags']));
    expect(twoMissing.MissingContextValues).to.have.members(['aws:TagKeys', 'aws:MultiFactorAuthPresent']);
    const list = one(
      await simulate('ConditionalRole', ['ec2:DeleteTags'], {
        ContextEntries: [
          { ContextKeyName: 'aws:TagKeys', ContextKeyValues: ['Name', 'Backup'], ContextKeyType: 'stringList' },
          { ContextKeyName: 'aws:MultiFactorAuthPresent', ContextKeyValues: ['true'], ContextKeyType: 'boolean' },
        ],
      }),
    );
    expect(list.EvalDecision).to.equal('allowed');
    // With ResourceArns the missing keys move into ResourceSpecificResults.
    const perResource = one(await simulate('ConditionalRole', ['ec2:CreateTags'], { ResourceArns: ['arn:aws:ec2:eu-west-1::snapshot/snap-1'] }));
    expect(perResource.MissingContextValues).to.deep.equal([]);
    expect(perResource.ResourceSpecificResults?.[0]?.MissingContextValues).to.deep.equal(['ec2:CreateAction']);
  });

  it('pages with MaxItems / Marker / IsTruncated, via the SDK paginator', async () => {
    const actions = ['ec2:CreateSnapshot', 'ec2:CreateTags', 'ec2:CreateImage', 'ssm:UpdateInstanceInformation', 'iam:PassRole'];
    const first = await simulate('VssBackupRole', actions, { MaxItems: 2 });
    expect(first.IsTruncated).to.equal(true);
    expect(first.Marker).to.be.a('string');
    const pages: string[][] = [];
    for await (const p of paginateSimulatePrincipalPolicy({ client: iam, pageSize: 2 }, { PolicySourceArn: role('VssBackupRole'), ActionNames: actions })) {
      pages.push((p.EvaluationResults ?? []).map((r) => `${r.EvalActionName}=${r.EvalDecision}`));
    }
    expect(pages).to.deep.equal([
      ['ec2:CreateSnapshot=allowed', 'ec2:CreateTags=allowed'],
      ['ec2:CreateImage=allowed', 'ssm:UpdateInstanceInformation=allowed'],
      ['iam:PassRole=implicitDeny'],
    ]);
    expect(fake.calls.at(-1)?.params).to.include({ MaxItems: '2' });
    await expectAwsError(simulate('VssBackupRole', actions, { MaxItems: 1001 }), 'ValidationError', 400);
  });

  it('validates the principal and the actions', async () => {
    await expectAwsError(simulate('Ghost', ['ec2:CreateSnapshot']), 'NoSuchEntityException', 404);
    await expectAwsError(
      iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${ACCOUNT}:user/bob`, ActionNames: ['ec2:CreateSnapshot'] })),
      'NoSuchEntityException',
      404,
    );
    await expectAwsError(
      iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: `arn:aws:sts::${ACCOUNT}:assumed-role/VssBackupRole/i-1`, ActionNames: ['ec2:CreateSnapshot'] })),
      'InvalidInputException',
      400,
    );
    await expectAwsError(simulate('VssBackupRole', []), 'ValidationError', 400);
  });
});

describe('fake AWS: IAM SimulatePrincipalPolicy with SCPs and faults', () => {
  let fake: FakeAws;
  let iam: IAMClient;
  before(async () => {
    fake = await startFakeAws({
      ...world(),
      organizations: {
        scps: [
          { name: 'FullAWSAccess', document: allow('*') },
          // One entry per OU level: a deny-list level carries its FullAWSAccess Allow alongside the Deny.
          {
            name: 'NoImages',
            document: {
              Version: '2012-10-17',
              Statement: [
                { Effect: 'Allow', Action: '*', Resource: '*' },
                { Sid: 'DenyAmi', Effect: 'Deny', Action: 'ec2:CreateImage', Resource: '*' },
              ],
            },
          },
          { name: 'OnlyEc2AndSsm', document: allow(['ec2:*', 'ssm:*', 'iam:*']) },
        ],
      },
      faults: { deny: [{ service: 'iam', action: 'SimulatePrincipalPolicy' }] },
    });
    iam = new IAMClient(sdkConfig(fake, 'us-east-1'));
  });
  after(async () => {
    iam.destroy();
    await fake.close();
  });

  it('a deny fault on SimulatePrincipalPolicy answers AccessDenied', async () => {
    const e = await expectAwsError(
      iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: role('VssBackupRole'), ActionNames: ['ec2:CreateSnapshot'] })),
      'AccessDenied',
      403,
    );
    expect(e.message).to.contain('iam:SimulatePrincipalPolicy');
  });

  it('SCPs: an SCP Deny or an SCP without an Allow sets AllowedByOrganizations false', async () => {
    fake.world.faults.deny = [];
    const out = await iam.send(
      new SimulatePrincipalPolicyCommand({ PolicySourceArn: role('VssBackupRole'), ActionNames: ['ec2:CreateImage', 'ssmmessages:OpenDataChannel', 'ec2:CreateSnapshot'] }),
    );
    const [image, channel, snapshot] = out.EvaluationResults!;
    expect(image).to.deep.include({ EvalDecision: 'explicitDeny', OrganizationsDecisionDetail: { AllowedByOrganizations: false } });
    expect(image!.MatchedStatements).to.deep.equal([{ SourcePolicyId: 'NoImages', SourcePolicyType: 'scp' }]);
    expect(channel).to.deep.include({ EvalDecision: 'implicitDeny', OrganizationsDecisionDetail: { AllowedByOrganizations: false }, MatchedStatements: [] });
    expect(channel!.PermissionsBoundaryDecisionDetail).to.deep.equal({ AllowedByPermissionsBoundary: true });
    expect(snapshot).to.deep.include({ EvalDecision: 'allowed', OrganizationsDecisionDetail: { AllowedByOrganizations: true } });
  });
});
