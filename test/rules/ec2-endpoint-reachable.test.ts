import { expect } from 'chai';
import rule from '../../rules/ec2-endpoint-reachable.js';
import { denied, linuxInstance, region, subject, windowsInstance } from '../fixtures/facts.js';

const VPC = 'vpc-0a1b2c3d';
const SSM_ENDPOINTS = ['com.amazonaws.eu-west-1.ssm', 'com.amazonaws.eu-west-1.ssmmessages', 'com.amazonaws.eu-west-1.ec2messages'];
const withEndpoints = (byVpc: Record<string, string[]>) => subject({ region: region(null, { vpcEndpoints: { known: true, value: byVpc } }) });

const cases = [
  { name: 'SSM and EC2 endpoints', s: withEndpoints({ [VPC]: [...SSM_ENDPOINTS, 'com.amazonaws.eu-west-1.ec2'] }), status: 'pass', says: 'has an interface endpoint for com.amazonaws.eu-west-1.ec2' },
  { name: 'no endpoints at all', s: subject(), status: 'pass', says: 'uses the public EC2 endpoint; its internet route was not checked' },
  { name: 'an S3 gateway endpoint only', s: withEndpoints({ [VPC]: ['com.amazonaws.eu-west-1.s3'] }), status: 'pass', says: 'has no SSM endpoint (only com.amazonaws.eu-west-1.s3)' },
  { name: 'SSM endpoints in another VPC only', s: withEndpoints({ 'vpc-0ffff000': SSM_ENDPOINTS }), status: 'pass', says: 'has no VPC endpoints' },
  {
    name: 'SSM endpoints without an EC2 endpoint',
    s: withEndpoints({ [VPC]: SSM_ENDPOINTS }),
    status: 'warn',
    says: 'but none for com.amazonaws.eu-west-1.ec2, so VSS fails unless subnet subnet-0a1b2c3d routes to the internet',
  },
  {
    name: 'an EC2 endpoint of another region does not count',
    s: withEndpoints({ [VPC]: ['com.amazonaws.eu-west-1.ssm', 'com.amazonaws.us-east-1.ec2'] }),
    status: 'warn',
    says: 'none for com.amazonaws.eu-west-1.ec2',
  },
  { name: 'DescribeVpcEndpoints denied', s: subject({ region: region(null, { vpcEndpoints: denied('ec2:DescribeVpcEndpoints') }) }), status: 'unknown', says: 'ec2:DescribeVpcEndpoints was denied' },
  { name: 'region facts missing', s: subject({ region: undefined }), status: 'unknown', says: 'not collected for eu-west-1' },
  { name: 'no VPC', s: subject({ instance: windowsInstance({ vpcId: null, subnetId: null }) }), status: 'skip', says: 'in no VPC' },
  { name: 'Linux: not applicable', s: subject({ instance: linuxInstance() }), status: 'skip', says: 'Not Windows' },
] as const;

describe('rule ec2-endpoint-reachable', () => {
  for (const c of cases) {
    it(`${c.status}: ${c.name}`, () => {
      const out = rule.evaluate(c.s);
      expect(out.status, out.message).to.equal(c.status);
      expect(out.message).to.contain(c.says);
    });
  }

  it('the fix creates the EC2 endpoint in the real region, VPC and subnet', () => {
    const out = rule.evaluate(withEndpoints({ [VPC]: SSM_ENDPOINTS }));
    expect(out.fix).to.equal(
      'aws ec2 create-vpc-endpoint --region eu-west-1 --vpc-id vpc-0a1b2c3d --vpc-endpoint-type Interface --service-name com.amazonaws.eu-west-1.ec2 --subnet-ids subnet-0a1b2c3d --private-dns-enabled',
    );
    expect(out.evidence).to.include({ VpcId: VPC, SubnetId: 'subnet-0a1b2c3d', ServiceName: SSM_ENDPOINTS.join(', ') });
  });

  it('China regions use the cn.com.amazonaws prefix', () => {
    const s = withEndpoints({ [VPC]: ['cn.com.amazonaws.cn-north-1.ssm'] });
    const out = rule.evaluate({ ...s, instance: { ...s.instance, region: 'cn-north-1' } });
    expect(out.status).to.equal('warn');
    expect(out.fix).to.contain('--service-name cn.com.amazonaws.cn-north-1.ec2');
  });
});
