import type { InstanceFacts, PolicyFacts, RoleFacts } from '../../src/facts/snapshot.js';
import { evaluate, type Evaluation, type NamedPolicy, type Request } from '../../src/iam/evaluate.js';

/** One request the VSS script makes on the instance, with the role's credentials. */
export interface VssRequest extends Request {
  label: string;
}

/**
 * The requests of the AWS Backup (CreateAmi) path with AwsVssComponents >= 2.3.1: the minimum set
 * of AWSEC2VssSnapshotPolicy for AWS Backup (vss-facts §6, EC2-IAM). The context holds the keys
 * those requests carry, so the managed policy's conditions are decided as AWS would decide them.
 */
export function vssRequests(instance: Pick<InstanceFacts, 'instanceId' | 'region' | 'accountId'>): VssRequest[] {
  const { instanceId, region, accountId } = instance;
  const instanceArn = `arn:aws:ec2:${region}:${accountId}:instance/${instanceId}`;
  // AMI and snapshot ARNs have an empty account field.
  const image = `arn:aws:ec2:${region}::image/ami-0123456789abcdef0`;
  const snapshot = `arn:aws:ec2:${region}::snapshot/snap-0123456789abcdef0`;
  const onInstance = { 'ec2:SourceInstanceARN': instanceArn, 'ec2:InstanceId': instanceId };
  const tagged = { ...onInstance, 'aws:RequestTag/AwsVssConfig': 'vss-preflight', 'aws:TagKeys': ['AwsVssConfig'] };
  return [
    { label: 'ec2:DescribeInstanceAttribute on the instance', action: 'ec2:DescribeInstanceAttribute', resource: instanceArn, context: onInstance },
    { label: 'ec2:CreateImage on the instance', action: 'ec2:CreateImage', resource: instanceArn, context: tagged },
    { label: 'ec2:CreateImage of a tagged image', action: 'ec2:CreateImage', resource: image, context: tagged },
    { label: 'ec2:CreateImage of tagged snapshots', action: 'ec2:CreateImage', resource: snapshot, context: tagged },
    {
      label: 'ec2:CreateTags on the new image',
      action: 'ec2:CreateTags',
      resource: image,
      context: { ...tagged, 'ec2:CreateAction': 'CreateImage' },
    },
    {
      label: 'ec2:CreateTags AppConsistent on the image',
      action: 'ec2:CreateTags',
      resource: image,
      context: { ...onInstance, 'ec2:ResourceTag/AwsVssConfig': 'vss-preflight', 'aws:TagKeys': ['AppConsistent'] },
    },
    { label: 'ec2:DescribeImages', action: 'ec2:DescribeImages', resource: '*', context: onInstance },
  ];
}

export interface RequestResult {
  request: VssRequest;
  evaluation: Evaluation;
}

/** Does any statement name a concrete instance? Then results differ per instance and are not shared. */
const namesInstances = (role: RoleFacts) =>
  JSON.stringify([role.attachedPolicies, role.inlinePolicies, role.permissionsBoundary]).includes('instance/i-');

const cache = new WeakMap<RoleFacts, Map<string, RequestResult[]>>();

/**
 * Evaluate the VSS requests against a role's policies. Results are shared by every instance of the
 * same role, region and account (the policy's instance conditions compare the caller with itself).
 */
export function evaluateVssPermissions(role: RoleFacts, instance: Pick<InstanceFacts, 'instanceId' | 'region' | 'accountId'>): RequestResult[] {
  const perRole = cache.get(role) ?? new Map<string, RequestResult[]>();
  cache.set(role, perRole);
  const key = `${instance.region}|${instance.accountId}|${namesInstances(role) ? instance.instanceId : ''}`;
  let results = perRole.get(key);
  if (!results) {
    const named = (p: PolicyFacts): NamedPolicy => ({ name: p.name, document: p.document });
    const identity = [...role.attachedPolicies, ...role.inlinePolicies].map(named);
    const boundary = role.permissionsBoundary ? named(role.permissionsBoundary) : undefined;
    results = vssRequests(instance).map((request) => ({ request, evaluation: evaluate(request, { identity, ...(boundary ? { boundary } : {}) }) }));
    perRole.set(key, results);
  }
  return results;
}
