import { defineRule, pass, skip, unknown, warn } from '../src/engine/outcome.js';
import type { Evidence, Outcome } from '../src/engine/types.js';
import type { InstanceFacts, RegionFacts } from '../src/facts/snapshot.js';
import { notWindows, platformOf } from './lib/platform.js';
import { remembering } from './lib/remember.js';

/** The endpoints SSM Agent needs; a VPC with them is set up for private access (vss-facts §4, EC2-TS). */
const SSM_SERVICES = new Set(['ssm', 'ssmmessages', 'ec2messages']);

/** "com.amazonaws.eu-west-1.ssm" → "ssm" (China: "cn.com.amazonaws.cn-north-1.ssm"); undefined for other regions and PrivateLink services. */
function serviceIn(region: string, serviceName: string): string | undefined {
  const m = /^(?:cn\.)?com\.amazonaws\.([^.]+)\.(.+)$/.exec(serviceName);
  return m?.[1] === region ? m[2] : undefined;
}

export default defineRule({
  id: 'ec2-endpoint-reachable',
  title: 'The VSS script on the instance can reach the EC2 API',
  severity: 'warning',
  consequence: 'vss-fallback',
  why:
    'The VSS script calls the EC2 API from the instance. In a VPC with interface endpoints for SSM but none for com.amazonaws.<region>.ec2, the ' +
    'volume enumeration fails unless the subnet routes to the internet, so the VSS attempt fails and the job says Completed with issues.',
  detection:
    'ec2:DescribeVpcEndpoints (vpc-endpoint-state available) ServiceName per VpcId, against ec2:DescribeInstances VpcId and SubnetId. ' +
    'The subnet\'s route to the internet (NAT gateway, internet gateway, proxy) is not checked.',
  fix: 'Create an interface VPC endpoint for com.amazonaws.<region>.ec2 with private DNS in the instance\'s VPC, or give its subnet a route to the internet.',
  sources: [
    'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/application-consistent-snapshots-troubleshooting.html',
    'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/application-consistent-snapshots-prereqs.html',
  ],
  unverified:
    'Routes, proxies, security groups, endpoint policies and whether an ec2 endpoint has private DNS enabled are not checked: a VPC with SSM endpoints ' +
    'is warned about even if its subnet also reaches the internet, and a VPC without endpoints passes without proof that it reaches the public EC2 endpoint.',
  evaluate({ instance, region }) {
    const skipped = notWindows(platformOf(instance));
    if (skipped) return skip(skipped);
    const { vpcId, subnetId } = instance;
    if (!vpcId) return skip('The instance is in no VPC, so VPC endpoints do not apply.', { VpcId: null });
    return remember(instance, [region, vpcId, subnetId], () => judgeVpc(instance, region, vpcId, subnetId));
  },
});

/** A fleet's instances share a few VPCs and subnets. */
const remember = remembering();

function judgeVpc(instance: InstanceFacts, region: RegionFacts | undefined, vpcId: string, subnetId: string | null): Outcome {
  if (!region) return unknown(`VPC endpoints were not collected for ${instance.region}.`, { VpcId: vpcId });
  const endpoints = region.vpcEndpoints;
  if (!endpoints.known) {
    return unknown(`The VPC endpoints of ${vpcId} could not be listed: ${endpoints.reason}.`, { VpcId: vpcId }, 'Allow ec2:DescribeVpcEndpoints for the scanning identity.');
  }
  const names = endpoints.value[vpcId] ?? [];
  const evidence: Evidence = { VpcId: vpcId, SubnetId: subnetId, ServiceName: names.length ? names.join(', ') : null };
  const ec2 = names.find((n) => serviceIn(instance.region, n) === 'ec2');
  if (ec2) return pass(`VPC ${vpcId} has an interface endpoint for ${ec2}.`, evidence);
  const ssm = names.filter((n) => SSM_SERVICES.has(serviceIn(instance.region, n) ?? ''));
  if (ssm.length === 0) {
    return pass(
      names.length
        ? `VPC ${vpcId} has no SSM endpoint (only ${names.join(', ')}), so the instance uses the public EC2 endpoint; its internet route was not checked.`
        : `VPC ${vpcId} has no VPC endpoints, so the instance uses the public EC2 endpoint; its internet route was not checked.`,
      evidence,
    );
  }
  // Same partition prefix as the SSM endpoints (com.amazonaws. or cn.com.amazonaws.).
  const wanted = ssm[0]!.replace(/\.[^.]+$/, '.ec2');
  return warn(
    `VPC ${vpcId} has endpoints for ${ssm.join(', ')} but none for ${wanted}, so VSS fails unless subnet ${subnetId ?? '(unknown)'} routes to the internet, which was not checked.`,
    evidence,
    `aws ec2 create-vpc-endpoint --region ${instance.region} --vpc-id ${vpcId} --vpc-endpoint-type Interface --service-name ${wanted} ` +
      `--subnet-ids ${subnetId ?? 'SUBNET_ID'} --private-dns-enabled`,
  );
}
