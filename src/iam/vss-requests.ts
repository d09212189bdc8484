/**
 * The EC2 requests the VSS script makes, per AwsVssComponents generation, and what a role's
 * policies decide for them: asked by the rules that judge a role (instance-role-grants-vss,
 * vss-package-matches-policy) and by the inventory plan, which must judge roles exactly as they
 * do to know whether an instance's package version can change its verdict.
 */
import type { InstanceFacts, PackageGeneration, RoleFacts } from '../facts/snapshot.js';
import { evaluateRole, type Judged, type LabeledRequest } from './role-requests.js';

/**
 * AwsVssComponents generations that call EC2 differently (vss-facts §3 P3, §4, EC2-HIST):
 * 2.3.1 added the AwsVssConfig request tag that AWSEC2VssSnapshotPolicy's conditions need;
 * 2.2.1 added ec2:DescribeInstanceAttribute, which the legacy custom policy lacks.
 */
export type Generation = PackageGeneration;
export const GENERATIONS: readonly Generation[] = ['tagged', 'describe-attribute', 'legacy'];
export const GENERATION_NAMES: Record<Generation, string> = {
  tagged: 'AwsVssComponents 2.3.1 or later',
  'describe-attribute': 'AwsVssComponents 2.2.1 to 2.3.0',
  legacy: 'AwsVssComponents before 2.2.1',
};

/** One request the VSS script makes on the instance, with the role's credentials. */
export type VssRequest = LabeledRequest;

type Target = Pick<InstanceFacts, 'instanceId' | 'region' | 'accountId'>;

/**
 * The requests of the AWS Backup (CreateAmi) path of one package generation: for 'tagged', the
 * minimum set of AWSEC2VssSnapshotPolicy for AWS Backup (vss-facts §6, EC2-IAM). The context holds
 * the keys those requests carry, so the managed policy's conditions are decided as AWS would.
 * That older packages call ec2:DescribeInstances and tag without AwsVssConfig is inferred from the
 * legacy policy they were documented with (vss-facts §6, OLD).
 */
export function vssRequests(target: Target, generation: Generation = 'tagged'): VssRequest[] {
  const { instanceId, region, accountId } = target;
  const instanceArn = `arn:aws:ec2:${region}:${accountId}:instance/${instanceId}`;
  // AMI and snapshot ARNs have an empty account field.
  const image = `arn:aws:ec2:${region}::image/ami-0123456789abcdef0`;
  const snapshot = `arn:aws:ec2:${region}::snapshot/snap-0123456789abcdef0`;
  const onInstance = { 'ec2:SourceInstanceARN': instanceArn, 'ec2:InstanceId': instanceId };
  const tagged = generation === 'tagged';
  const create = tagged ? { ...onInstance, 'aws:RequestTag/AwsVssConfig': 'vss-preflight', 'aws:TagKeys': ['AwsVssConfig'] } : onInstance;
  const requests: VssRequest[] = [
    generation === 'legacy'
      ? { label: 'ec2:DescribeInstances', action: 'ec2:DescribeInstances', resource: '*', context: onInstance }
      : { label: 'ec2:DescribeInstanceAttribute on the instance', action: 'ec2:DescribeInstanceAttribute', resource: instanceArn, context: onInstance },
    { label: 'ec2:CreateImage on the instance', action: 'ec2:CreateImage', resource: instanceArn, context: create },
    { label: tagged ? 'ec2:CreateImage of a tagged image' : 'ec2:CreateImage of the image', action: 'ec2:CreateImage', resource: image, context: create },
    { label: tagged ? 'ec2:CreateImage of tagged snapshots' : 'ec2:CreateImage of its snapshots', action: 'ec2:CreateImage', resource: snapshot, context: create },
  ];
  if (tagged) {
    requests.push({
      label: 'ec2:CreateTags on the new image',
      action: 'ec2:CreateTags',
      resource: image,
      context: { ...create, 'ec2:CreateAction': 'CreateImage' },
    });
  }
  requests.push(
    {
      label: 'ec2:CreateTags AppConsistent on the image',
      action: 'ec2:CreateTags',
      resource: image,
      context: { ...onInstance, ...(tagged ? { 'ec2:ResourceTag/AwsVssConfig': 'vss-preflight' } : {}), 'aws:TagKeys': ['AppConsistent'] },
    },
    { label: 'ec2:DescribeImages', action: 'ec2:DescribeImages', resource: '*', context: onInstance },
  );
  return requests;
}

export type RequestResult = Judged;

/**
 * Does any statement name a concrete instance? Then results differ per instance and are not shared.
 * Asked once per role: serialising its policies for every instance cost more than evaluating them.
 */
const namesInstances = (role: RoleFacts): boolean =>
  JSON.stringify([role.attachedPolicies, role.inlinePolicies, role.permissionsBoundary]).includes('instance/i-');

/** A role's results by region, account, instance id ('' unless its policies name instances) and generation. */
interface RoleCache {
  namesInstances: boolean;
  byRegion: Map<string, Map<string, Map<string, Map<Generation, RequestResult[]>>>>;
}
const cache = new WeakMap<RoleFacts, RoleCache>();

/** Nested maps rather than one key spelled per call: this runs for every instance and generation. */
function resultsOf(role: RoleFacts, target: Target): Map<Generation, RequestResult[]> {
  let perRole = cache.get(role);
  if (!perRole) cache.set(role, (perRole = { namesInstances: namesInstances(role), byRegion: new Map() }));
  let byAccount = perRole.byRegion.get(target.region);
  if (!byAccount) perRole.byRegion.set(target.region, (byAccount = new Map()));
  let byInstance = byAccount.get(target.accountId);
  if (!byInstance) byAccount.set(target.accountId, (byInstance = new Map()));
  const id = perRole.namesInstances ? target.instanceId : '';
  let byGeneration = byInstance.get(id);
  if (!byGeneration) byInstance.set(id, (byGeneration = new Map()));
  return byGeneration;
}

/**
 * Stands for a role's results at a target: one object for every instance whose results are the
 * same, so a rule can remember what it made of them.
 */
export const resultsScope = (role: RoleFacts, target: Target): object => resultsOf(role, target);

/**
 * Evaluate one generation's requests against a role's policies. Results are shared by every
 * instance of the same role, region and account (the policy's instance conditions compare the
 * caller with itself).
 */
export function evaluateVssPermissions(role: RoleFacts, target: Target, generation: Generation = 'tagged'): RequestResult[] {
  const byGeneration = resultsOf(role, target);
  let results = byGeneration.get(generation);
  if (!results) {
    results = evaluateRole(role, vssRequests(target, generation));
    byGeneration.set(generation, results);
  }
  return results;
}

/** Does the role allow every request of the generation? */
export const grants = (results: RequestResult[]) => results.every((r) => r.evaluation.decision === 'allowed');
