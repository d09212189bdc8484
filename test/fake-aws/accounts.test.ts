import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ListAccountsCommand, OrganizationsClient, paginateListAccounts } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { expect } from 'chai';
import { sdkConfig, startFakeAws, type FakeAws } from './server.js';
import { expectAwsError } from './test-helpers.js';
import type { WorldInput } from './world.js';

const CALLER = '111122223333';
const MEMBER = '444455556666';
const OTHER = '777788889999';
const trust = (externalId?: string) => ({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${CALLER}:root` },
      Action: 'sts:AssumeRole',
      ...(externalId ? { Condition: { StringEquals: { 'sts:ExternalId': externalId } } } : {}),
    },
  ],
});

const world = (): WorldInput => ({
  accountId: CALLER,
  regions: { 'eu-west-1': { instances: [{ instanceId: 'i-0caller' }] } },
  accounts: [
    {
      accountId: MEMBER,
      regions: { 'eu-west-1': { instances: [{ instanceId: 'i-0member' }] } },
      iam: { roles: [{ name: 'VssPreflightRead', assumeRolePolicyDocument: trust('ext-123') }] },
    },
    // The role exists but keeps AWS's default EC2 trust: the caller may not assume it.
    { accountId: OTHER, regions: {}, iam: { roles: [{ name: 'VssPreflightRead' }] } },
  ],
  organization: {
    accounts: [
      { id: CALLER, name: 'management' },
      { id: MEMBER, name: 'workloads' },
      { id: OTHER, name: 'closing', state: 'PENDING_CLOSURE' },
      ...Array.from({ length: 22 }, (_, n) => ({ id: String(100000000000 + n), name: `member-${n}` })),
    ],
  },
});

describe('fake AWS: several accounts (sts:AssumeRole, organizations:ListAccounts)', () => {
  let fake: FakeAws;
  let sts: STSClient;
  before(async () => {
    fake = await startFakeAws(world());
    sts = new STSClient(sdkConfig(fake, 'us-east-1'));
  });
  after(async () => {
    sts.destroy();
    await fake.close();
  });

  const roleArn = (account: string) => `arn:aws:iam::${account}:role/VssPreflightRead`;

  it('AssumeRole with the right external id returns credentials that later requests are served from the member account with', async () => {
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn(MEMBER), RoleSessionName: 'vss-preflight', ExternalId: 'ext-123', DurationSeconds: 900 }));
    const c = out.Credentials!;
    expect(c.AccessKeyId).to.match(/^ASIA[0-9A-F]{16}$/);
    expect(c.SecretAccessKey).to.be.a('string').and.not.empty;
    expect(c.SessionToken).to.be.a('string').and.not.empty;
    expect(c.Expiration!.getTime() - Date.now()).to.be.within(890_000, 901_000);
    expect(out.AssumedRoleUser!.Arn).to.equal(`arn:aws:sts::${MEMBER}:assumed-role/VssPreflightRead/vss-preflight`);
    expect(out.AssumedRoleUser!.AssumedRoleId).to.match(/^AROA[A-Z2-7]+:vss-preflight$/);
    const credentials = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
    const asMember = new STSClient({ ...sdkConfig(fake, 'us-east-1'), credentials });
    const ec2 = new EC2Client({ ...sdkConfig(fake, 'eu-west-1'), credentials });
    try {
      const who = await asMember.send(new GetCallerIdentityCommand({}));
      expect(who).to.include({ Account: MEMBER, Arn: `arn:aws:sts::${MEMBER}:assumed-role/VssPreflightRead/vss-preflight`, UserId: out.AssumedRoleUser!.AssumedRoleId });
      const found = await ec2.send(new DescribeInstancesCommand({}));
      expect(found.Reservations!.flatMap((r) => r.Instances!.map((i) => [i.InstanceId, r.OwnerId]))).to.deep.equal([['i-0member', MEMBER]]);
    } finally {
      asMember.destroy();
      ec2.destroy();
    }
    expect(fake.calls.filter((c) => c.action === 'DescribeInstances').map((c) => c.accountId)).to.deep.equal([MEMBER]);
  });

  it('denies a wrong or missing external id, an untrusting role and a role that does not exist, as AccessDenied', async () => {
    const denied = (input: ConstructorParameters<typeof AssumeRoleCommand>[0]) => expectAwsError(sts.send(new AssumeRoleCommand(input)), 'AccessDenied', 403);
    const e = await denied({ RoleArn: roleArn(MEMBER), RoleSessionName: 's1', ExternalId: 'wrong' });
    expect(e.message).to.equal(`User: arn:aws:iam::${CALLER}:user/vss-preflight-test is not authorized to perform: sts:AssumeRole on resource: ${roleArn(MEMBER)}`);
    await denied({ RoleArn: roleArn(MEMBER), RoleSessionName: 's1' });
    await denied({ RoleArn: roleArn(OTHER), RoleSessionName: 's1' });
    await denied({ RoleArn: `arn:aws:iam::${MEMBER}:role/Nope`, RoleSessionName: 's1', ExternalId: 'ext-123' });
    await denied({ RoleArn: roleArn('999999999999'), RoleSessionName: 's1' });
  });

  it('validates the request as the STS model does', async () => {
    await expectAwsError(sts.send(new AssumeRoleCommand({ RoleArn: roleArn(MEMBER), RoleSessionName: 'bad name' })), 'ValidationError', 400);
    await expectAwsError(sts.send(new AssumeRoleCommand({ RoleArn: roleArn(MEMBER), RoleSessionName: 's', ExternalId: 'ext-123' })), 'ValidationError', 400);
    await expectAwsError(sts.send(new AssumeRoleCommand({ RoleArn: roleArn(MEMBER), RoleSessionName: 's1', DurationSeconds: 600 })), 'ValidationError', 400);
    const long = await expectAwsError(sts.send(new AssumeRoleCommand({ RoleArn: roleArn(MEMBER), RoleSessionName: 's1', ExternalId: 'ext-123', DurationSeconds: 7200 })), 'ValidationError', 400);
    expect(long.message).to.contain('MaxSessionDuration');
  });

  it('ListAccounts pages the organization (MaxResults 1-20) with State, from the management account', async () => {
    const org = new OrganizationsClient(sdkConfig(fake, 'us-east-1'));
    try {
      const ids: string[] = [];
      const pages = [];
      for await (const page of paginateListAccounts({ client: org, pageSize: 20 }, {})) {
        pages.push(page.Accounts!.length);
        ids.push(...page.Accounts!.map((a) => a.Id!));
      }
      expect(pages).to.deep.equal([20, 5]);
      expect(ids.slice(0, 3)).to.deep.equal([CALLER, MEMBER, OTHER]);
      const first = (await org.send(new ListAccountsCommand({ MaxResults: 3 }))).Accounts!;
      expect(first[2]).to.include({ Id: OTHER, Name: 'closing', State: 'PENDING_CLOSURE' });
      expect(first[2]!.Arn).to.match(new RegExp(`^arn:aws:organizations::${CALLER}:account/o-[a-z0-9]+/${OTHER}$`));
      expect(first[2]!.Status).to.equal(undefined);
      expect(first[0]!.JoinedTimestamp).to.be.instanceOf(Date);
      const tooMany = await expectAwsError(org.send(new ListAccountsCommand({ MaxResults: 21 })), 'InvalidInputException', 400);
      expect((tooMany as unknown as { Reason: string }).Reason).to.equal('MAX_VALUE_EXCEEDED');
      await expectAwsError(org.send(new ListAccountsCommand({ NextToken: 'nope' })), 'InvalidInputException', 400);
    } finally {
      org.destroy();
    }
  });

  it('ListAccounts from a member account is AccessDeniedException; outside an organization AWSOrganizationsNotInUseException', async () => {
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn(MEMBER), RoleSessionName: 'member', ExternalId: 'ext-123' }));
    const c = out.Credentials!;
    const asMember = new OrganizationsClient({ ...sdkConfig(fake, 'us-east-1'), credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! } });
    const alone = await startFakeAws({ accountId: CALLER, regions: {} });
    const outside = new OrganizationsClient(sdkConfig(alone, 'us-east-1'));
    try {
      await expectAwsError(asMember.send(new ListAccountsCommand({})), 'AccessDeniedException', 400);
      await expectAwsError(outside.send(new ListAccountsCommand({})), 'AWSOrganizationsNotInUseException', 400);
    } finally {
      asMember.destroy();
      outside.destroy();
      await alone.close();
    }
  });
});
