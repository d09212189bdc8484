/**
 * The local evaluator against the decisions AWS documents for IAM's policy evaluation and for the
 * policy simulator (iam:SimulatePrincipalPolicy), row by row with the page each row comes from.
 * The expected decisions are read off the documentation, not from the fake endpoint's simulator,
 * which runs this same evaluator. iam-evaluate.test.ts covers the operators one by one; these
 * rows are the combinations the documentation spells out.
 *
 * How the simulator's answer maps onto ours (API_SimulatePrincipalPolicy.html, API_EvaluationResult.html):
 * EvalDecision allowed | explicitDeny | implicitDeny is our decision; a condition key the request
 * does not carry is listed in MissingContextValues, and "the reported results might be
 * untrustworthy": where such a key decides, our evaluator answers `undecided` instead of guessing.
 * Rows marked `at: 'request'` are the decision AWS makes when a real request lacks the key (no
 * simulation): every key is then known, present or absent.
 */
import { expect } from 'chai';
import { evaluate, type NamedPolicy, type Request } from '../../src/iam/evaluate.js';
import { VSS_POLICY } from '../fixtures/vss-policy.js';

type Json = Record<string, unknown>;
type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny';

const ACCOUNT = '111122223333';
const INSTANCE = `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-0abc`;
const OTHER_INSTANCE = `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-0def`;
const IMAGE = 'arn:aws:ec2:eu-west-1::image/ami-0abc'; // EC2 image and snapshot ARNs have an empty account
const SNAPSHOT = 'arn:aws:ec2:eu-west-1::snapshot/snap-0abc';
const VOLUME = `arn:aws:ec2:eu-west-1:${ACCOUNT}:volume/vol-0abc`;

interface Row {
  name: string;
  action: string;
  resource: string;
  context?: Request['context'];
  identity: Json[][]; // each entry: one policy's statements
  boundary?: Json[];
  /** The simulator's EvalDecision, or the condition key whose absence leaves it untrustworthy. */
  expected: Decision | { missing: string };
  at?: 'request';
}

const allow = (Action: unknown, Resource: unknown = '*', Condition?: Json): Json => ({ Effect: 'Allow', Action, Resource, ...(Condition ? { Condition } : {}) });
const deny = (Action: unknown, Resource: unknown = '*', Condition?: Json): Json => ({ ...allow(Action, Resource, Condition), Effect: 'Deny' });
const doc = (name: string, statements: Json[]): NamedPolicy => ({ name, document: { Version: '2012-10-17', Statement: statements } });

/** Marks the VSS policy in a row's identity list (its statements come from the fixture). */
const VSS: Json[] = [];

const groups: { source: string; rows: Row[] }[] = [
  {
    // "By default, all requests are implicitly denied"; "An explicit allow ... overrides this default";
    // "An explicit deny in any policy overrides any allows".
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html',
    rows: [
      { name: 'no statement applies: implicit deny', action: 'ec2:CreateImage', resource: INSTANCE, identity: [[allow('ec2:DescribeImages')]], expected: 'implicitDeny' },
      { name: 'an Allow', action: 'ec2:CreateImage', resource: INSTANCE, identity: [[allow('ec2:CreateImage')]], expected: 'allowed' },
      { name: 'a Deny in another policy beats the Allow', action: 'ec2:CreateImage', resource: INSTANCE, identity: [[allow('*')], [deny('ec2:CreateImage')]], expected: 'explicitDeny' },
      { name: 'a Deny first, an Allow after: order does not matter', action: 'ec2:CreateImage', resource: INSTANCE, identity: [[deny('ec2:*'), allow('ec2:CreateImage')]], expected: 'explicitDeny' },
      { name: 'a Deny of another action leaves the Allow', action: 'ec2:CreateImage', resource: INSTANCE, identity: [[allow('ec2:*'), deny('ec2:DeleteSnapshot')]], expected: 'allowed' },
      { name: 'a Deny whose condition does not match does not apply', action: 'ec2:CreateImage', resource: INSTANCE, context: { 'ec2:CreateAction': 'CreateImage' }, identity: [[allow('*'), deny('*', '*', { StringEquals: { 'ec2:CreateAction': 'RunInstances' } })]], expected: 'allowed' },
      { name: 'a Deny whose condition matches applies', action: 'ec2:CreateTags', resource: IMAGE, context: { 'ec2:CreateAction': 'RunInstances' }, identity: [[allow('*'), deny('*', '*', { StringEquals: { 'ec2:CreateAction': 'RunInstances' } })]], expected: 'explicitDeny' },
      { name: 'a Deny on a key the simulation lacks: cannot say', action: 'ec2:CreateImage', resource: INSTANCE, identity: [[allow('*'), deny('*', '*', { StringEquals: { 'ec2:CreateAction': 'RunInstances' } })]], expected: { missing: 'ec2:CreateAction' } },
      { name: 'a conditional Allow that fails, an unconditional one elsewhere', action: 'ec2:CreateImage', resource: IMAGE, context: { 'aws:RequestTag/AwsVssConfig': 'x' }, identity: [[allow('ec2:CreateImage', '*', { StringEquals: { 'aws:RequestTag/AwsVssConfig': 'y' } })], [allow('ec2:CreateImage', IMAGE)]], expected: 'allowed' },
    ],
  },
  {
    // "The prefix and the action name are case insensitive"; wildcards * and ? in action names.
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html',
    rows: [
      { name: 'upper-case action in the policy', action: 'ec2:DescribeImages', resource: '*', identity: [[allow('EC2:DESCRIBEIMAGES')]], expected: 'allowed' },
      { name: 'prefix wildcard', action: 'ec2:DescribeInstanceAttribute', resource: INSTANCE, identity: [[allow('ec2:Describe*')]], expected: 'allowed' },
      { name: 'leading wildcard in the name', action: 'ec2:CreateImage', resource: INSTANCE, identity: [[allow('ec2:*Image')]], expected: 'allowed' },
      { name: 'leading wildcard does not match a longer name', action: 'ec2:DescribeImages', resource: '*', identity: [[allow('ec2:*Image')]], expected: 'implicitDeny' },
      { name: '? is exactly one character', action: 'ec2:CreateImage', resource: INSTANCE, identity: [[allow('ec2:Create?mage')]], expected: 'allowed' },
      { name: '? is never zero characters', action: 'ec2:CreateImage', resource: INSTANCE, identity: [[allow('ec2:CreateImage?')]], expected: 'implicitDeny' },
      { name: '* may be zero characters', action: 'ec2:CreateImage', resource: INSTANCE, identity: [[allow('ec2:CreateImage*')]], expected: 'allowed' },
      { name: 'a list of actions: any one', action: 'ec2:CreateTags', resource: IMAGE, identity: [[allow(['ec2:CreateImage', 'ec2:CreateTags'])]], expected: 'allowed' },
    ],
  },
  {
    // ARNs are case sensitive; * and ? within segments; "If the * wildcard is the last character of
    // a resource ARN segment, it can expand to match beyond the colon boundaries."
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html',
    rows: [
      { name: 'wildcard region and account', action: 'ec2:CreateImage', resource: INSTANCE, identity: [[allow('ec2:CreateImage', 'arn:aws:ec2:*:*:instance/*')]], expected: 'allowed' },
      { name: 'resource type is case sensitive', action: 'ec2:CreateImage', resource: INSTANCE, identity: [[allow('ec2:CreateImage', 'arn:aws:ec2:*:*:Instance/*')]], expected: 'implicitDeny' },
      { name: 'resource id is case sensitive', action: 'ec2:CreateImage', resource: INSTANCE, identity: [[allow('ec2:CreateImage', 'arn:aws:ec2:*:*:instance/I-0ABC')]], expected: 'implicitDeny' },
      { name: 'a * ending a segment runs past colons', action: 'ec2:CreateImage', resource: INSTANCE, identity: [[allow('ec2:CreateImage', 'arn:aws:ec2:eu-west-1:*')]], expected: 'allowed' },
      { name: 'a * inside a segment stays in it', action: 'ec2:CreateImage', resource: 'arn:aws:ec2:eu-west-1:210987654321:instance/i-0abc', identity: [[allow('ec2:CreateImage', 'arn:aws:ec2:eu-*1:instance/*')]], expected: 'implicitDeny' },
      { name: 'a * inside a segment matches within it', action: 'ec2:CreateImage', resource: INSTANCE, identity: [[allow('ec2:CreateImage', `arn:aws:ec2:eu-*1:${ACCOUNT}:instance/*`)]], expected: 'allowed' },
      { name: '? within a segment', action: 'ec2:CreateImage', resource: INSTANCE, identity: [[allow('ec2:CreateImage', 'arn:aws:ec2:eu-west-?:*:instance/*')]], expected: 'allowed' },
      { name: '? never matches the colon between segments', action: 'ec2:CreateImage', resource: INSTANCE, identity: [[allow('ec2:CreateImage', `arn:aws:ec2:eu-west-1?${ACCOUNT}:instance/*`)]], expected: 'implicitDeny' },
      { name: 'an empty account segment', action: 'ec2:CreateImage', resource: IMAGE, identity: [[allow('ec2:CreateImage', 'arn:aws:ec2:*::image/*')]], expected: 'allowed' },
      { name: 'an account where the ARN has none', action: 'ec2:CreateImage', resource: IMAGE, identity: [[allow('ec2:CreateImage', `arn:aws:ec2:*:${ACCOUNT}:image/*`)]], expected: 'implicitDeny' },
      { name: 'another partition', action: 'ec2:CreateImage', resource: INSTANCE, identity: [[allow('ec2:CreateImage', 'arn:aws-cn:ec2:*:*:instance/*')]], expected: 'implicitDeny' },
    ],
  },
  {
    // Allow + NotAction allows every action not listed; Deny + NotAction denies every action not
    // listed and grants nothing.
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html',
    rows: [
      { name: 'Allow NotAction: an action not listed', action: 'ec2:CreateImage', resource: INSTANCE, identity: [[{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }]], expected: 'allowed' },
      { name: 'Allow NotAction: a listed action', action: 'ec2:CreateImage', resource: INSTANCE, identity: [[{ Effect: 'Allow', NotAction: ['iam:*', 'ec2:Create*'], Resource: '*' }]], expected: 'implicitDeny' },
      { name: 'Allow NotAction still limited by Resource', action: 'ec2:CreateImage', resource: IMAGE, identity: [[{ Effect: 'Allow', NotAction: 'iam:*', Resource: 'arn:aws:ec2:*:*:instance/*' }]], expected: 'implicitDeny' },
      { name: 'Deny NotAction grants nothing', action: 'ec2:DescribeImages', resource: '*', identity: [[{ Effect: 'Deny', NotAction: 'ec2:Describe*', Resource: '*' }]], expected: 'implicitDeny' },
      { name: 'Deny NotAction: an action not listed is denied', action: 'ec2:CreateImage', resource: INSTANCE, identity: [[allow('*'), { Effect: 'Deny', NotAction: 'ec2:Describe*', Resource: '*' }]], expected: 'explicitDeny' },
      { name: 'Deny NotAction: a listed action is spared', action: 'ec2:DescribeImages', resource: '*', identity: [[allow('*'), { Effect: 'Deny', NotAction: 'ec2:Describe*', Resource: '*' }]], expected: 'allowed' },
    ],
  },
  {
    // Allow + NotResource allows every resource not listed; Deny + NotResource denies them.
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html',
    rows: [
      { name: 'Allow NotResource: a resource not listed', action: 'ec2:CreateImage', resource: INSTANCE, identity: [[{ Effect: 'Allow', Action: 'ec2:*', NotResource: 'arn:aws:ec2:*:*:snapshot/*' }]], expected: 'allowed' },
      { name: 'Allow NotResource: a listed resource', action: 'ec2:CreateImage', resource: SNAPSHOT, identity: [[{ Effect: 'Allow', Action: 'ec2:*', NotResource: 'arn:aws:ec2:*:*:snapshot/*' }]], expected: 'implicitDeny' },
      { name: 'Deny NotResource: a resource not listed is denied', action: 'ec2:CreateImage', resource: INSTANCE, identity: [[allow('*'), { Effect: 'Deny', Action: 'ec2:CreateImage', NotResource: ['arn:aws:ec2:*:*:image/*'] }]], expected: 'explicitDeny' },
      { name: 'Deny NotResource: a listed resource is spared', action: 'ec2:CreateImage', resource: IMAGE, identity: [[allow('*'), { Effect: 'Deny', Action: 'ec2:CreateImage', NotResource: ['arn:aws:ec2:*:*:image/*'] }]], expected: 'allowed' },
      { name: 'Deny NotAction + NotResource: both must exclude', action: 'ec2:CreateTags', resource: IMAGE, identity: [[allow('*'), { Effect: 'Deny', NotAction: 'ec2:Describe*', NotResource: 'arn:aws:ec2:*:*:snapshot/*' }]], expected: 'explicitDeny' },
    ],
  },
  {
    // "The effective permissions ... are ... the intersection of both the policy types. An explicit
    // deny in either of these policies overrides the allow." A boundary grants nothing by itself.
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html',
    rows: [
      { name: 'both allow', action: 'ec2:CreateImage', resource: INSTANCE, identity: [[allow('ec2:CreateImage')]], boundary: [allow('ec2:*')], expected: 'allowed' },
      { name: 'the boundary lacks the action', action: 'ec2:CreateImage', resource: INSTANCE, identity: [[allow('ec2:*')]], boundary: [allow('ec2:Describe*')], expected: 'implicitDeny' },
      { name: 'the boundary lacks the resource', action: 'ec2:CreateImage', resource: IMAGE, identity: [[allow('ec2:*')]], boundary: [allow('ec2:*', 'arn:aws:ec2:*:*:instance/*')], expected: 'implicitDeny' },
      { name: 'only the boundary allows', action: 'ec2:CreateImage', resource: INSTANCE, identity: [], boundary: [allow('*')], expected: 'implicitDeny' },
      { name: 'a Deny in the boundary', action: 'ec2:CreateImage', resource: INSTANCE, identity: [[allow('*')]], boundary: [allow('*'), deny('ec2:CreateImage')], expected: 'explicitDeny' },
      { name: 'a Deny in the identity policy, the boundary allows', action: 'ec2:CreateImage', resource: INSTANCE, identity: [[allow('*'), deny('ec2:Create*')]], boundary: [allow('*')], expected: 'explicitDeny' },
      { name: 'a NotAction boundary', action: 'ec2:CreateImage', resource: INSTANCE, identity: [[allow('*')]], boundary: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }], expected: 'allowed' },
      { name: 'a NotAction boundary excludes the action', action: 'iam:PassRole', resource: '*', identity: [[allow('*')]], boundary: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }], expected: 'implicitDeny' },
      { name: 'a boundary Allow whose condition fails', action: 'ec2:CreateImage', resource: IMAGE, context: {}, identity: [[allow('*')]], boundary: [allow('ec2:*', '*', { StringLike: { 'aws:RequestTag/AwsVssConfig': '*' } })], expected: 'implicitDeny', at: 'request' },
    ],
  },
  {
    // A key the request lacks: the condition is false, except for negated operators (true),
    // ...IfExists (true), ForAllValues (true) and ForAnyValue (false).
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html',
    rows: [
      { name: 'Deny StringNotEquals on a missing key applies', action: 'ec2:CreateImage', resource: IMAGE, identity: [[allow('*'), deny('*', '*', { StringNotEquals: { 'aws:RequestTag/team': 'ops' } })]], expected: 'explicitDeny', at: 'request' },
      { name: 'Deny ForAllValues on a missing key applies', action: 'ec2:CreateTags', resource: IMAGE, identity: [[allow('*'), deny('ec2:CreateTags', '*', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['Owner'] } })]], expected: 'explicitDeny', at: 'request' },
      { name: 'Deny ForAnyValue on a missing key does not', action: 'ec2:CreateTags', resource: IMAGE, identity: [[allow('*'), deny('ec2:CreateTags', '*', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['Owner'] } })]], expected: 'allowed', at: 'request' },
      { name: 'Deny ...IfExists on a missing key applies', action: 'ec2:CreateImage', resource: IMAGE, identity: [[allow('*'), deny('*', '*', { StringEqualsIfExists: { 'aws:RequestTag/team': 'ops' } })]], expected: 'explicitDeny', at: 'request' },
      { name: 'Allow StringEquals on a missing key does not', action: 'ec2:CreateImage', resource: IMAGE, identity: [[allow('*', '*', { StringEquals: { 'aws:RequestTag/team': 'ops' } })]], expected: 'implicitDeny', at: 'request' },
      { name: 'the simulator lacks the key of a ForAllValues Deny', action: 'ec2:CreateTags', resource: IMAGE, identity: [[allow('*'), deny('ec2:CreateTags', '*', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['Owner'] } })]], expected: { missing: 'aws:TagKeys' } },
    ],
  },
  {
    // AWSEC2VssSnapshotPolicy's conditions: ArnLike ec2:SourceInstanceARN with ${ec2:InstanceId},
    // StringLike aws:RequestTag/AwsVssConfig, StringEquals ec2:CreateAction, ForAllValues:StringEquals
    // aws:TagKeys; condition operators as reference_policies_elements_condition_operators.html says.
    source: 'https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSEC2VssSnapshotPolicy.html',
    rows: [
      { name: 'CreateImage on the instance the credentials belong to', action: 'ec2:CreateImage', resource: INSTANCE, context: { 'ec2:SourceInstanceARN': INSTANCE, 'ec2:InstanceId': 'i-0abc' }, identity: [VSS], expected: 'allowed' },
      { name: 'CreateImage with another instance\'s credentials', action: 'ec2:CreateImage', resource: INSTANCE, context: { 'ec2:SourceInstanceARN': OTHER_INSTANCE, 'ec2:InstanceId': 'i-0abc' }, identity: [VSS], expected: 'implicitDeny' },
      { name: 'ArnLike: any region and account, same instance id', action: 'ec2:CreateImage', resource: INSTANCE, context: { 'ec2:SourceInstanceARN': 'arn:aws:ec2:us-east-1:444455556666:instance/i-0abc', 'ec2:InstanceId': 'i-0abc' }, identity: [VSS], expected: 'allowed' },
      { name: 'ArnLike: not an instance ARN', action: 'ec2:CreateImage', resource: INSTANCE, context: { 'ec2:SourceInstanceARN': 'arn:aws:ec2:eu-west-1:111122223333:volume/i-0abc', 'ec2:InstanceId': 'i-0abc' }, identity: [VSS], expected: 'implicitDeny' },
      { name: 'ec2:SourceInstanceARN not in the simulation', action: 'ec2:CreateImage', resource: INSTANCE, context: { 'ec2:InstanceId': 'i-0abc' }, identity: [VSS], expected: { missing: 'ec2:SourceInstanceARN' } },
      { name: 'ec2:SourceInstanceARN not in the request (not instance credentials)', action: 'ec2:CreateImage', resource: INSTANCE, context: { 'ec2:InstanceId': 'i-0abc' }, identity: [VSS], expected: 'implicitDeny', at: 'request' },
      { name: 'the image with the AwsVssConfig request tag', action: 'ec2:CreateImage', resource: IMAGE, context: { 'aws:RequestTag/AwsVssConfig': 'Version=2.5.1' }, identity: [VSS], expected: 'allowed' },
      { name: 'StringLike *: an empty tag value matches', action: 'ec2:CreateImage', resource: SNAPSHOT, context: { 'aws:RequestTag/AwsVssConfig': '' }, identity: [VSS], expected: 'allowed' },
      { name: 'the image without the tag, in the simulator', action: 'ec2:CreateImage', resource: IMAGE, identity: [VSS], expected: { missing: 'aws:RequestTag/AwsVssConfig' } },
      { name: 'the image without the tag (package < 2.3.1)', action: 'ec2:CreateImage', resource: IMAGE, identity: [VSS], expected: 'implicitDeny', at: 'request' },
      { name: 'the tag key is case-insensitive, as every condition key', action: 'ec2:CreateImage', resource: IMAGE, context: { 'AWS:REQUESTTAG/AWSVSSCONFIG': 'x' }, identity: [VSS], expected: 'allowed' },
      { name: 'CreateImage on a volume: no statement', action: 'ec2:CreateImage', resource: VOLUME, context: { 'aws:RequestTag/AwsVssConfig': 'x' }, identity: [VSS], expected: 'implicitDeny' },
      { name: 'CreateTags while creating the image', action: 'ec2:CreateTags', resource: IMAGE, context: { 'ec2:CreateAction': 'CreateImage', 'aws:TagKeys': ['AwsVssConfig'] }, identity: [VSS], expected: 'allowed' },
      { name: 'CreateTags while creating snapshots', action: 'ec2:CreateTags', resource: SNAPSHOT, context: { 'ec2:CreateAction': 'CreateSnapshots', 'aws:TagKeys': ['AwsVssConfig', 'Device'] }, identity: [VSS], expected: 'allowed' },
      { name: 'StringEquals ec2:CreateAction is case-sensitive', action: 'ec2:CreateTags', resource: IMAGE, context: { 'ec2:CreateAction': 'createimage', 'aws:TagKeys': ['AwsVssConfig'] }, identity: [VSS], expected: 'implicitDeny', at: 'request' },
      { name: 'CreateTags while running an instance', action: 'ec2:CreateTags', resource: IMAGE, context: { 'ec2:CreateAction': 'RunInstances', 'aws:TagKeys': ['Name'] }, identity: [VSS], expected: 'implicitDeny', at: 'request' },
      { name: 'CreateTags later, VSS tag keys only', action: 'ec2:CreateTags', resource: IMAGE, context: { 'ec2:ResourceTag/AwsVssConfig': 'x', 'aws:TagKeys': ['AppConsistent', 'Device'] }, identity: [VSS], expected: 'allowed', at: 'request' },
      { name: 'CreateTags later, another tag key', action: 'ec2:CreateTags', resource: IMAGE, context: { 'ec2:ResourceTag/AwsVssConfig': 'x', 'aws:TagKeys': ['AppConsistent', 'Owner'] }, identity: [VSS], expected: 'implicitDeny', at: 'request' },
      { name: 'CreateTags later, ForAllValues with no tag keys is true', action: 'ec2:CreateTags', resource: IMAGE, context: { 'ec2:ResourceTag/AwsVssConfig': 'x', 'aws:TagKeys': [] }, identity: [VSS], expected: 'allowed', at: 'request' },
      { name: 'CreateTags later, aws:TagKeys missing from the simulation', action: 'ec2:CreateTags', resource: IMAGE, context: { 'ec2:CreateAction': 'RunInstances', 'ec2:ResourceTag/AwsVssConfig': 'x' }, identity: [VSS], expected: { missing: 'aws:TagKeys' } },
      { name: 'CreateTags later on an image without the VSS tag', action: 'ec2:CreateTags', resource: IMAGE, context: { 'aws:TagKeys': ['AppConsistent'] }, identity: [VSS], expected: 'implicitDeny', at: 'request' },
      { name: 'CreateSnapshots on a volume needs no condition', action: 'ec2:CreateSnapshots', resource: VOLUME, identity: [VSS], expected: 'allowed' },
      { name: 'DescribeInstanceAttribute with another instance\'s credentials', action: 'ec2:DescribeInstanceAttribute', resource: INSTANCE, context: { 'ec2:SourceInstanceARN': OTHER_INSTANCE, 'ec2:InstanceId': 'i-0abc' }, identity: [VSS], expected: 'implicitDeny' },
      { name: 'ec2:InstanceId (the policy variable) missing', action: 'ec2:CreateImage', resource: INSTANCE, context: { 'ec2:SourceInstanceARN': INSTANCE }, identity: [VSS], expected: { missing: 'ec2:InstanceId' } },
      { name: 'a boundary without ec2:CreateTags', action: 'ec2:CreateTags', resource: IMAGE, context: { 'ec2:CreateAction': 'CreateImage', 'aws:TagKeys': ['AwsVssConfig'] }, identity: [VSS], boundary: [allow(['ec2:CreateImage', 'ec2:Describe*'])], expected: 'implicitDeny' },
    ],
  },
];

const identityOf = (row: Row): NamedPolicy[] => row.identity.map((statements, n) => (statements === VSS ? VSS_POLICY : doc(`P${n}`, statements)));

describe('iam evaluate, against the documented evaluation and simulator semantics', () => {
  for (const { source, rows } of groups) {
    describe(source, () => {
      for (const row of rows) {
        const want = typeof row.expected === 'string' ? row.expected : `undecided (${row.expected.missing} missing)`;
        it(`${want}: ${row.name}${row.at ? ' (at request time)' : ''}`, () => {
          const request: Request = { action: row.action, resource: row.resource, context: row.context ?? {} };
          const policies = { identity: identityOf(row), ...(row.boundary ? { boundary: doc('Boundary', row.boundary) } : {}) };
          // The simulator knows only what the request carries; at request time every key is known.
          const unknowableKeys = row.at === 'request' ? () => false : () => true;
          const got = evaluate(request, policies, { unknowableKeys });
          if (typeof row.expected === 'string') {
            expect(got.decision, JSON.stringify(got)).to.equal(row.expected);
          } else {
            expect(got.decision, JSON.stringify(got)).to.equal('undecided');
            expect(got.undecidedBecause?.toLowerCase()).to.contain(row.expected.missing.toLowerCase());
          }
        });
      }
    });
  }
});
