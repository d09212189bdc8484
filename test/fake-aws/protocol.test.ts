/** Raw wire checks (what the SDK tests cannot see): envelopes, headers, request ids, odd requests. */
import { expect } from 'chai';
import { startFakeAws, type FakeAws } from './server.js';
import { exampleWorld } from './test-helpers.js';

const auth = (region: string, service: string) =>
  `AWS4-HMAC-SHA256 Credential=AKIDFAKE/20260101/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=00`;

describe('fake AWS: raw wire protocol', () => {
  let fake: FakeAws;
  before(async () => {
    fake = await startFakeAws(exampleWorld());
  });
  after(() => fake.close());

  const query = (region: string, service: string, body: string) =>
    fetch(fake.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', authorization: auth(region, service) },
      body,
    });
  const json = (target: string, body: string) =>
    fetch(fake.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target, authorization: auth('eu-west-1', 'ssm') },
      body,
    });

  it('EC2: <ActionResponse xmlns=ec2 2016-11-15><requestId>; errors in <Response><Errors><Error>', async () => {
    const ok = await query('eu-west-1', 'ec2', 'Action=DescribeRegions&Version=2016-11-15&RegionName.1=eu-west-1');
    expect(ok.status).to.equal(200);
    expect(ok.headers.get('x-amzn-requestid')).to.match(/^[0-9a-f-]{36}$/);
    expect(await ok.text()).to.match(/<DescribeRegionsResponse xmlns="http:\/\/ec2.amazonaws.com\/doc\/2016-11-15\/"><requestId>[0-9a-f-]{36}<\/requestId><regionInfo><item><regionName>eu-west-1</);
    const bad = await query('eu-west-1', 'ec2', 'Action=DescribeInstances&Version=2016-11-15&MaxResults=2');
    expect(bad.status).to.equal(400);
    expect(await bad.text()).to.match(/<Response><Errors><Error><Code>InvalidParameterValue<\/Code><Message>.+<\/Message><\/Error><\/Errors><RequestID>[0-9a-f-]{36}<\/RequestID><\/Response>$/);
  });

  it('IAM/STS: <ActionResult> + <ResponseMetadata><RequestId>; <ErrorResponse><Error><Type>Sender', async () => {
    const ok = await query('us-east-1', 'iam', 'Action=ListRolePolicies&Version=2010-05-08&RoleName=VssBackupRole');
    expect(await ok.text()).to.match(
      /<ListRolePoliciesResponse xmlns="https:\/\/iam.amazonaws.com\/doc\/2010-05-08\/"><ListRolePoliciesResult><PolicyNames><member>AllowSnapshots<\/member><\/PolicyNames><IsTruncated>false<\/IsTruncated><\/ListRolePoliciesResult><ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata><\/ListRolePoliciesResponse>$/,
    );
    const missing = await query('us-east-1', 'iam', 'Action=GetRole&Version=2010-05-08&RoleName=Nope');
    expect(missing.status).to.equal(404);
    expect(await missing.text()).to.contain('<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>NoSuchEntity</Code>');
    const sts = await query('us-east-1', 'sts', 'Action=GetCallerIdentity&Version=2011-06-15');
    expect(await sts.text()).to.contain('<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>');
  });

  it('SSM: JSON with epoch-second timestamps; errors as {"__type", "message"}', async () => {
    const ok = await json('AmazonSSM.DescribeInstanceInformation', '{"MaxResults":5}');
    expect(ok.headers.get('content-type')).to.equal('application/x-amz-json-1.1');
    const body = (await ok.json()) as { InstanceInformationList: Array<{ LastPingDateTime: unknown }> };
    expect(body.InstanceInformationList[0]?.LastPingDateTime).to.equal(Date.parse('2026-11-20T09:58:12.345Z') / 1000);
    const bad = await json('AmazonSSM.GetServiceSetting', '{"SettingId":"/nope"}');
    expect(bad.status).to.equal(400);
    expect(await bad.json()).to.deep.equal({ __type: 'ServiceSettingNotFound', message: 'No setting found with settingId: /nope' });
    const garbled = await json('AmazonSSM.GetServiceSetting', '{not json');
    expect(((await garbled.json()) as { __type: string }).__type).to.equal('SerializationException');
  });

  it('unsigned requests get MissingAuthenticationToken and are still recorded', async () => {
    const res = await fetch(fake.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=DescribeRegions' });
    expect(res.status).to.equal(403);
    expect(await res.text()).to.contain('<Code>MissingAuthenticationToken</Code>');
    expect(fake.calls.at(-1)).to.deep.include({ service: 'unknown', action: 'DescribeRegions', status: 403 });
  });
});
