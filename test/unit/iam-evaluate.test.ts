import { expect } from 'chai';
import { evaluate, type Evaluation, type NamedPolicy, type Request } from '../../src/iam/evaluate.js';
import { SOURCE_INSTANCE, VSS_POLICY } from '../fixtures/vss-policy.js';

type Json = Record<string, unknown>;

const REGION = 'eu-west-1';
const ACCOUNT = '111122223333';
const INSTANCE = `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0abc`;
const OTHER_INSTANCE = `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0def`;
const IMAGE = `arn:aws:ec2:${REGION}::image/ami-1`; // AMI ARNs have an empty account field
const SNAPSHOT = `arn:aws:ec2:${REGION}::snapshot/snap-1`;

const policy = (name: string, ...statements: Json[]): NamedPolicy => ({
  name,
  document: { Version: '2012-10-17', Statement: statements },
});
const allow = (Action: unknown, Resource: unknown = '*', Condition?: Json): Json => ({
  Effect: 'Allow',
  Action,
  Resource,
  ...(Condition ? { Condition } : {}),
});
const deny = (Action: unknown, Resource: unknown = '*', Condition?: Json): Json => ({
  ...allow(Action, Resource, Condition),
  Effect: 'Deny',
});
const sid = (Sid: string, statement: Json): Json => ({ Sid, ...statement });

/** AWSEC2VssSnapshotPolicy v2 (test/fixtures/vss-policy.ts). */
const VSS_CONTEXT = {
  'ec2:SourceInstanceARN': INSTANCE,
  'ec2:InstanceId': 'i-0abc',
  'aws:RequestTag/AwsVssConfig': 'x',
  'aws:TagKeys': ['AwsVssConfig'],
};
const { 'aws:RequestTag/AwsVssConfig': _tag, ...VSS_CONTEXT_UNTAGGED } = VSS_CONTEXT;
const vssRef = (sidName: string, index: number) => ({ policy: 'AWSEC2VssSnapshotPolicy', sid: sidName, index });

interface Case {
  name: string;
  request: Partial<Request>;
  identity: NamedPolicy[];
  boundary?: NamedPolicy;
  unknowableKeys?: (key: string) => boolean;
  expected: Evaluation;
}
const req = (action: string, resource = '*', context: Request['context'] = {}): Partial<Request> => ({
  action,
  resource,
  context,
});
const allowedBy = (p: string, index: number, sidName?: string): Evaluation => ({
  decision: 'allowed',
  allowedBy: sidName === undefined ? { policy: p, index } : { policy: p, sid: sidName, index },
});
const implicitDeny = (side: 'identity' | 'boundary' = 'identity'): Evaluation => ({
  decision: 'implicitDeny',
  notAllowedBy: side,
});
const undecided = (because: string): Evaluation => ({ decision: 'undecided', undecidedBecause: because });
const TAG_KEYS_ALL = { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['AppConsistent', 'Device'] } };
const TAG_KEYS_ANY = { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['AppConsistent', 'Device'] } };
const withCondition = (Condition: Json) => [policy('P', allow('ec2:CreateImage', '*', Condition))];

const cases: Case[] = [
  // Allow, implicit and explicit deny
  { name: 'Allow', request: req('ec2:CreateImage', INSTANCE), identity: [policy('P', allow('ec2:CreateImage'))], expected: allowedBy('P', 0) },
  { name: 'no statement: implicit deny', request: req('ec2:CreateImage'), identity: [policy('P', allow('ec2:DescribeImages'))], expected: implicitDeny() },
  { name: 'no policies at all', request: req('ec2:CreateImage'), identity: [], expected: implicitDeny() },
  {
    name: 'explicit Deny beats Allow in the same policy',
    request: req('ec2:CreateImage'),
    identity: [policy('P', allow('ec2:*'), sid('NoImages', deny('ec2:CreateImage')))],
    expected: { decision: 'explicitDeny', deniedBy: { policy: 'P', sid: 'NoImages', index: 1, in: 'identity' }, allowedBy: { policy: 'P', index: 0 } },
  },
  {
    name: 'managed Allow, inline Deny',
    request: req('ec2:CreateTags', IMAGE),
    identity: [policy('Managed', allow('ec2:CreateTags')), policy('inline-deny', deny('ec2:CreateTags', 'arn:aws:ec2:*:*:image/*'))],
    expected: { decision: 'explicitDeny', deniedBy: { policy: 'inline-deny', index: 0, in: 'identity' }, allowedBy: { policy: 'Managed', index: 0 } },
  },
  {
    name: 'inline Allow, managed Deny on another resource',
    request: req('ec2:CreateTags', IMAGE),
    identity: [policy('inline', allow('ec2:CreateTags')), policy('Managed', deny('ec2:CreateTags', 'arn:aws:ec2:*:*:snapshot/*'))],
    expected: allowedBy('inline', 0),
  },
  // Actions
  { name: 'ec2:*', request: req('ec2:CreateImage'), identity: [policy('P', allow('ec2:*'))], expected: allowedBy('P', 0) },
  { name: 'ec2:Create*', request: req('ec2:CreateImage'), identity: [policy('P', allow('ec2:Create*'))], expected: allowedBy('P', 0) },
  { name: 'ec2:Create* does not match Describe', request: req('ec2:DescribeImages'), identity: [policy('P', allow('ec2:Create*'))], expected: implicitDeny() },
  { name: '? matches one character', request: req('ec2:CreateImage'), identity: [policy('P', allow('ec2:CreateImag?'))], expected: allowedBy('P', 0) },
  { name: '*', request: req('ec2:CreateImage'), identity: [policy('P', allow('*'))], expected: allowedBy('P', 0) },
  { name: 'action case-insensitive', request: req('EC2:createimage'), identity: [policy('P', allow('ec2:CREATEIMAGE'))], expected: allowedBy('P', 0) },
  { name: 'array Action', request: req('ec2:CreateImage'), identity: [policy('P', allow(['ec2:DescribeImages', 'ec2:CreateImage']))], expected: allowedBy('P', 0) },
  { name: 'other service prefix', request: req('ec2:CreateImage'), identity: [policy('P', allow('ec2messages:*'))], expected: implicitDeny() },
  { name: 'NotAction Allow', request: req('ec2:CreateImage'), identity: [policy('P', { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })], expected: allowedBy('P', 0) },
  { name: 'NotAction Allow excludes listed', request: req('iam:PassRole'), identity: [policy('P', { Effect: 'Allow', NotAction: ['iam:*'], Resource: '*' })], expected: implicitDeny() },
  {
    name: 'NotAction Deny',
    request: req('ec2:CreateImage'),
    identity: [policy('P', allow('*'), { Effect: 'Deny', NotAction: ['ec2:Describe*'], Resource: '*' })],
    expected: { decision: 'explicitDeny', deniedBy: { policy: 'P', index: 1, in: 'identity' }, allowedBy: { policy: 'P', index: 0 } },
  },
  { name: 'NotAction Deny spares listed', request: req('ec2:DescribeImages'), identity: [policy('P', allow('*'), { Effect: 'Deny', NotAction: 'ec2:Describe*', Resource: '*' })], expected: allowedBy('P', 0) },
  // Resources
  { name: 'empty account segment matches *', request: req('ec2:CreateImage', IMAGE), identity: [policy('P', allow('ec2:CreateImage', 'arn:aws:ec2:*:*:image/*'))], expected: allowedBy('P', 0) },
  { name: 'resource type mismatch', request: req('ec2:CreateImage', SNAPSHOT), identity: [policy('P', allow('ec2:CreateImage', 'arn:aws:ec2:*:*:image/*'))], expected: implicitDeny() },
  { name: 'resource is case-sensitive', request: req('ec2:CreateImage', IMAGE), identity: [policy('P', allow('ec2:CreateImage', 'arn:aws:ec2:*:*:IMAGE/*'))], expected: implicitDeny() },
  { name: 'resource * spans colons', request: req('ec2:CreateImage', INSTANCE), identity: [policy('P', allow('ec2:CreateImage', 'arn:aws:ec2:*'))], expected: allowedBy('P', 0) },
  { name: 'resource ? wildcard', request: req('ec2:CreateImage', INSTANCE), identity: [policy('P', allow('ec2:CreateImage', `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0ab?`))], expected: allowedBy('P', 0) },
  { name: 'NotResource Allow', request: req('ec2:CreateImage', IMAGE), identity: [policy('P', { Effect: 'Allow', Action: 'ec2:*', NotResource: 'arn:aws:ec2:*:*:snapshot/*' })], expected: allowedBy('P', 0) },
  { name: 'NotResource Allow excludes listed', request: req('ec2:CreateImage', SNAPSHOT), identity: [policy('P', { Effect: 'Allow', Action: 'ec2:*', NotResource: ['arn:aws:ec2:*:*:snapshot/*'] })], expected: implicitDeny() },
  {
    name: 'NotResource Deny',
    request: req('ec2:CreateImage', IMAGE),
    identity: [policy('P', allow('*'), { Effect: 'Deny', Action: '*', NotResource: 'arn:aws:ec2:*:*:instance/*' })],
    expected: { decision: 'explicitDeny', deniedBy: { policy: 'P', index: 1, in: 'identity' }, allowedBy: { policy: 'P', index: 0 } },
  },
  // Document shapes
  {
    name: 'single-statement document',
    request: req('ec2:CreateImage'),
    identity: [{ name: 'Single', document: { Version: '2012-10-17', Statement: { Sid: 'One', Effect: 'Allow', Action: 'ec2:CreateImage', Resource: '*' } } }],
    expected: allowedBy('Single', 0, 'One'),
  },
  { name: 'Principal is ignored', request: req('ec2:CreateImage'), identity: [policy('P', { ...allow('ec2:CreateImage'), Principal: '*' })], expected: allowedBy('P', 0) },
  { name: 'malformed: no Effect', request: req('ec2:CreateImage'), identity: [policy('Good', allow('*')), policy('Broken', allow('*'), { Action: '*', Resource: '*' })], expected: { ...undecided('policy Broken is not a valid policy document (Statement.1.Effect: Invalid option: expected one of "Allow"|"Deny")'), allowedBy: { policy: 'Good', index: 0 } } },
  { name: 'malformed: Action and NotAction', request: req('ec2:CreateImage'), identity: [policy('Broken', { ...allow('*'), NotAction: 'iam:*' })], expected: undecided('policy Broken is not a valid policy document (Statement.0: needs exactly one of Action and NotAction)') },
  { name: 'malformed: not an object', request: req('ec2:CreateImage'), identity: [policy('Good', allow('*')), { name: 'Text', document: 'not json' }], expected: { ...undecided('policy Text is not a valid policy document (document: Invalid input: expected object, received string)'), allowedBy: { policy: 'Good', index: 0 } } },
  {
    name: 'malformed policy cannot override a sure Deny',
    request: req('ec2:CreateImage'),
    identity: [policy('Deny', deny('*')), { name: 'Broken', document: {} }],
    expected: { decision: 'explicitDeny', deniedBy: { policy: 'Deny', index: 0, in: 'identity' } },
  },
  // Permissions boundary
  { name: 'boundary allows', request: req('ec2:CreateImage'), identity: [policy('P', allow('ec2:CreateImage'))], boundary: policy('B', allow('ec2:*')), expected: allowedBy('P', 0) },
  { name: 'boundary lacks the action', request: req('ec2:CreateImage'), identity: [policy('P', allow('ec2:CreateImage'))], boundary: policy('B', allow('ec2:Describe*')), expected: { ...implicitDeny('boundary'), allowedBy: { policy: 'P', index: 0 } } },
  { name: 'boundary alone grants nothing', request: req('ec2:CreateImage'), identity: [], boundary: policy('B', allow('*')), expected: implicitDeny('identity') },
  {
    name: 'boundary Deny',
    request: req('ec2:CreateImage'),
    identity: [policy('P', allow('ec2:CreateImage'))],
    boundary: policy('B', allow('*'), sid('NoAmi', deny('ec2:CreateImage'))),
    expected: { decision: 'explicitDeny', deniedBy: { policy: 'B', sid: 'NoAmi', index: 1, in: 'boundary' }, allowedBy: { policy: 'P', index: 0 } },
  },
  { name: 'malformed boundary', request: req('ec2:CreateImage'), identity: [policy('P', allow('*'))], boundary: { name: 'B', document: { Statement: [] , Version: 7 } }, expected: { ...undecided('policy B is not a valid policy document (Version: Invalid input: expected string, received number)'), allowedBy: { policy: 'P', index: 0 } } },
  // String conditions
  { name: 'StringEquals', request: req('ec2:CreateImage', '*', { 'ec2:CreateAction': 'CreateImage' }), identity: withCondition({ StringEquals: { 'ec2:CreateAction': ['CreateSnapshots', 'CreateImage'] } }), expected: allowedBy('P', 0) },
  { name: 'StringEquals is case-sensitive', request: req('ec2:CreateImage', '*', { 'ec2:CreateAction': 'createimage' }), identity: withCondition({ StringEquals: { 'ec2:CreateAction': 'CreateImage' } }), expected: implicitDeny() },
  { name: 'StringEquals treats * literally', request: req('ec2:CreateImage', '*', { 'ec2:CreateAction': 'CreateImage' }), identity: withCondition({ StringEquals: { 'ec2:CreateAction': 'Create*' } }), expected: implicitDeny() },
  { name: 'condition key name case-insensitive', request: req('ec2:CreateImage', '*', { 'EC2:CREATEACTION': 'CreateImage' }), identity: withCondition({ StringEquals: { 'ec2:createAction': 'CreateImage' } }), expected: allowedBy('P', 0) },
  { name: 'missing key: condition false', request: req('ec2:CreateImage'), identity: withCondition({ StringEquals: { 'ec2:CreateAction': 'CreateImage' } }), expected: implicitDeny() },
  { name: 'StringNotEquals, value none of several', request: req('ec2:CreateImage', '*', { 'aws:ResourceTag/env': 'dev' }), identity: withCondition({ StringNotEquals: { 'aws:ResourceTag/env': ['prod', 'staging'] } }), expected: allowedBy('P', 0) },
  { name: 'StringNotEquals, value one of several', request: req('ec2:CreateImage', '*', { 'aws:ResourceTag/env': 'staging' }), identity: withCondition({ StringNotEquals: { 'aws:ResourceTag/env': ['prod', 'staging'] } }), expected: implicitDeny() },
  { name: 'StringNotEquals, missing key is true', request: req('ec2:CreateImage'), identity: withCondition({ StringNotEquals: { 'aws:ResourceTag/env': 'prod' } }), expected: allowedBy('P', 0) },
  { name: 'StringEqualsIgnoreCase', request: req('ec2:CreateImage', '*', { 'aws:ResourceTag/env': 'PROD' }), identity: withCondition({ StringEqualsIgnoreCase: { 'aws:ResourceTag/env': 'prod' } }), expected: allowedBy('P', 0) },
  { name: 'StringNotEqualsIgnoreCase', request: req('ec2:CreateImage', '*', { 'aws:ResourceTag/env': 'PROD' }), identity: withCondition({ StringNotEqualsIgnoreCase: { 'aws:ResourceTag/env': ['dev', 'prod'] } }), expected: implicitDeny() },
  { name: 'StringLike', request: req('ec2:CreateImage', '*', { 'aws:ResourceTag/name': 'web-01' }), identity: withCondition({ StringLike: { 'aws:ResourceTag/name': ['db-*', 'web-??'] } }), expected: allowedBy('P', 0) },
  { name: 'StringNotLike, several values', request: req('ec2:CreateImage', '*', { 'aws:ResourceTag/name': 'web-01' }), identity: withCondition({ StringNotLike: { 'aws:ResourceTag/name': ['db-*', 'web-*'] } }), expected: implicitDeny() },
  { name: 'StringLikeIfExists, key missing', request: req('ec2:CreateImage'), identity: withCondition({ StringLikeIfExists: { 'aws:ResourceTag/name': 'web-*' } }), expected: allowedBy('P', 0) },
  { name: 'StringLikeIfExists, key present, no match', request: req('ec2:CreateImage', '*', { 'aws:ResourceTag/name': 'db-1' }), identity: withCondition({ StringLikeIfExists: { 'aws:ResourceTag/name': 'web-*' } }), expected: implicitDeny() },
  { name: 'all operators ANDed', request: req('ec2:CreateImage', '*', { 'ec2:CreateAction': 'CreateImage' }), identity: withCondition({ StringEquals: { 'ec2:CreateAction': 'CreateImage' }, StringLike: { 'aws:ResourceTag/name': '*' } }), expected: implicitDeny() },
  { name: 'all keys ANDed', request: req('ec2:CreateImage', '*', { 'aws:ResourceTag/a': '1' }), identity: withCondition({ StringEquals: { 'aws:ResourceTag/a': '1', 'aws:ResourceTag/b': '2' } }), expected: implicitDeny() },
  // ARN conditions
  { name: 'ArnLike per ARN part', request: req('ec2:CreateImage', '*', { 'ec2:SourceInstanceARN': INSTANCE }), identity: withCondition({ ArnLike: { 'ec2:SourceInstanceARN': 'arn:aws:ec2:*:*:instance/*' } }), expected: allowedBy('P', 0) },
  { name: 'ArnLike * stays within its part', request: req('ec2:CreateImage', '*', { 'ec2:SourceInstanceARN': `arn:aws:ec2:${REGION}:extra:${ACCOUNT}:instance/i-0abc` }), identity: withCondition({ ArnLike: { 'ec2:SourceInstanceARN': 'arn:aws:ec2:*:*:instance/*' } }), expected: implicitDeny() },
  { name: 'ArnLike pattern of five parts never matches', request: req('ec2:CreateImage', '*', { 'ec2:SourceInstanceARN': INSTANCE }), identity: withCondition({ ArnLike: { 'ec2:SourceInstanceARN': 'arn:aws:ec2:*:instance/*' } }), expected: implicitDeny() },
  { name: 'ArnLike *', request: req('ec2:CreateImage', '*', { 'ec2:SourceInstanceARN': INSTANCE }), identity: withCondition({ ArnLike: { 'ec2:SourceInstanceARN': '*' } }), expected: allowedBy('P', 0) },
  { name: 'ArnLike resource part keeps its colons', request: req('ec2:CreateImage', '*', { 'aws:SourceArn': 'arn:aws:lambda:eu-west-1:111122223333:function:f:1' }), identity: withCondition({ ArnLike: { 'aws:SourceArn': 'arn:aws:lambda:*:*:function:f:*' } }), expected: allowedBy('P', 0) },
  { name: 'plain operator on a list: any value matches', request: req('ec2:CreateImage', '*', { 'aws:TagKeys': ['Owner', 'Device'] }), identity: withCondition({ StringEquals: { 'aws:TagKeys': 'Device' } }), expected: allowedBy('P', 0) },
  { name: 'plain negated operator on a list: no value may match', request: req('ec2:CreateImage', '*', { 'aws:TagKeys': ['Owner', 'Device'] }), identity: withCondition({ StringNotEquals: { 'aws:TagKeys': 'Device' } }), expected: implicitDeny() },
  { name: 'ArnEquals', request: req('ec2:CreateImage', '*', { 'ec2:SourceInstanceARN': INSTANCE }), identity: withCondition({ ArnEquals: { 'ec2:SourceInstanceARN': INSTANCE } }), expected: allowedBy('P', 0) },
  { name: 'ArnNotLike, several values', request: req('ec2:CreateImage', '*', { 'ec2:SourceInstanceARN': INSTANCE }), identity: withCondition({ ArnNotLike: { 'ec2:SourceInstanceARN': ['arn:aws:ec2:*:*:instance/i-0def', 'arn:aws:ec2:*:*:instance/i-0abc'] } }), expected: implicitDeny() },
  { name: 'ArnNotEquals, none matches', request: req('ec2:CreateImage', '*', { 'ec2:SourceInstanceARN': INSTANCE }), identity: withCondition({ ArnNotEquals: { 'ec2:SourceInstanceARN': [OTHER_INSTANCE] } }), expected: allowedBy('P', 0) },
  { name: 'ArnLike on a non-ARN value', request: req('ec2:CreateImage', '*', { 'ec2:SourceInstanceARN': 'i-0abc' }), identity: withCondition({ ArnLike: { 'ec2:SourceInstanceARN': 'arn:aws:ec2:*:*:instance/*' } }), expected: implicitDeny() },
  // Numeric, Date, Bool, Null
  { name: 'NumericLessThan', request: req('ec2:CreateImage', '*', { 'ec2:VolumeSize': '100' }), identity: withCondition({ NumericLessThan: { 'ec2:VolumeSize': 200 } }), expected: allowedBy('P', 0) },
  { name: 'NumericGreaterThanEquals false', request: req('ec2:CreateImage', '*', { 'ec2:VolumeSize': '100' }), identity: withCondition({ NumericGreaterThanEquals: { 'ec2:VolumeSize': '101' } }), expected: implicitDeny() },
  { name: 'NumericEquals, one of several', request: req('ec2:CreateImage', '*', { 'ec2:VolumeSize': '8' }), identity: withCondition({ NumericEquals: { 'ec2:VolumeSize': [4, 8] } }), expected: allowedBy('P', 0) },
  { name: 'NumericNotEquals, one of several', request: req('ec2:CreateImage', '*', { 'ec2:VolumeSize': '8' }), identity: withCondition({ NumericNotEquals: { 'ec2:VolumeSize': [4, 8] } }), expected: implicitDeny() },
  { name: 'NumericEquals on a non-number', request: req('ec2:CreateImage', '*', { 'ec2:VolumeSize': 'big' }), identity: withCondition({ NumericLessThanEquals: { 'ec2:VolumeSize': 8 } }), expected: implicitDeny() },
  { name: 'DateLessThan ISO', request: req('ec2:CreateImage', '*', { 'aws:TokenIssueTime': '2024-01-01T00:00:00Z' }), identity: withCondition({ DateLessThan: { 'aws:TokenIssueTime': '2024-06-01T00:00:00Z' } }), expected: allowedBy('P', 0) },
  { name: 'DateGreaterThan epoch seconds', request: req('ec2:CreateImage', '*', { 'aws:TokenIssueTime': '2024-01-01T00:00:00Z' }), identity: withCondition({ DateGreaterThan: { 'aws:TokenIssueTime': 1717200000 } }), expected: implicitDeny() },
  { name: 'DateNotEquals', request: req('ec2:CreateImage', '*', { 'aws:TokenIssueTime': '2024-01-01T00:00:00Z' }), identity: withCondition({ DateNotEquals: { 'aws:TokenIssueTime': ['2024-01-01T00:00:00.000Z'] } }), expected: implicitDeny() },
  { name: 'DateLessThanEquals, equal', request: req('ec2:CreateImage', '*', { 'aws:TokenIssueTime': '1704067200' }), identity: withCondition({ DateLessThanEquals: { 'aws:TokenIssueTime': '2024-01-01T00:00:00Z' } }), expected: allowedBy('P', 0) },
  { name: 'DateGreaterThanEquals', request: req('ec2:CreateImage', '*', { 'aws:TokenIssueTime': '2024-01-02T00:00:00Z' }), identity: withCondition({ DateGreaterThanEquals: { 'aws:TokenIssueTime': '2024-01-01T00:00:00Z' } }), expected: allowedBy('P', 0) },
  { name: 'Bool with boolean value', request: req('ec2:CreateImage', '*', { 'ec2:Encrypted': 'true' }), identity: withCondition({ Bool: { 'ec2:Encrypted': true } }), expected: allowedBy('P', 0) },
  { name: 'Bool mismatch', request: req('ec2:CreateImage', '*', { 'ec2:Encrypted': 'false' }), identity: withCondition({ Bool: { 'ec2:Encrypted': 'true' } }), expected: implicitDeny() },
  { name: 'BoolIfExists, key missing', request: req('ec2:CreateImage'), identity: withCondition({ BoolIfExists: { 'ec2:Encrypted': 'true' } }), expected: allowedBy('P', 0) },
  { name: 'Null true, key absent', request: req('ec2:CreateImage'), identity: withCondition({ Null: { 'aws:RequestTag/owner': 'true' } }), expected: allowedBy('P', 0) },
  { name: 'Null true, key present', request: req('ec2:CreateImage', '*', { 'aws:RequestTag/owner': 'me' }), identity: withCondition({ Null: { 'aws:RequestTag/owner': true } }), expected: implicitDeny() },
  { name: 'Null false, key present', request: req('ec2:CreateImage', '*', { 'aws:RequestTag/owner': 'me' }), identity: withCondition({ Null: { 'aws:RequestTag/owner': 'false' } }), expected: allowedBy('P', 0) },
  { name: 'unsupported operator', request: req('ec2:CreateImage'), identity: withCondition({ BinaryEquals: { 'aws:x': 'QQ==' } }), expected: undecided('statement 0 of policy P uses condition operator BinaryEquals, which this check does not support') },
  // Multivalued keys
  { name: 'ForAllValues, subset', request: req('ec2:CreateTags', '*', { 'aws:TagKeys': ['AppConsistent'] }), identity: [policy('P', allow('ec2:CreateTags', '*', TAG_KEYS_ALL))], expected: allowedBy('P', 0) },
  { name: 'ForAllValues, one outside', request: req('ec2:CreateTags', '*', { 'aws:TagKeys': ['AppConsistent', 'Owner'] }), identity: [policy('P', allow('ec2:CreateTags', '*', TAG_KEYS_ALL))], expected: implicitDeny() },
  { name: 'ForAllValues, key absent is true', request: req('ec2:CreateTags'), identity: [policy('P', allow('ec2:CreateTags', '*', TAG_KEYS_ALL))], expected: allowedBy('P', 0) },
  { name: 'ForAllValues, empty list is true', request: req('ec2:CreateTags', '*', { 'aws:TagKeys': [] }), identity: [policy('P', allow('ec2:CreateTags', '*', TAG_KEYS_ALL))], expected: allowedBy('P', 0) },
  { name: 'ForAnyValue, one inside', request: req('ec2:CreateTags', '*', { 'aws:TagKeys': ['Owner', 'Device'] }), identity: [policy('P', allow('ec2:CreateTags', '*', TAG_KEYS_ANY))], expected: allowedBy('P', 0) },
  { name: 'ForAnyValue, none inside', request: req('ec2:CreateTags', '*', { 'aws:TagKeys': ['Owner'] }), identity: [policy('P', allow('ec2:CreateTags', '*', TAG_KEYS_ANY))], expected: implicitDeny() },
  { name: 'ForAnyValue, key absent is false', request: req('ec2:CreateTags'), identity: [policy('P', allow('ec2:CreateTags', '*', TAG_KEYS_ANY))], expected: implicitDeny() },
  { name: 'ForAnyValue, empty list is false', request: req('ec2:CreateTags', '*', { 'aws:TagKeys': [] }), identity: [policy('P', allow('ec2:CreateTags', '*', TAG_KEYS_ANY))], expected: implicitDeny() },
  { name: 'ForAllValues:StringNotEquals', request: req('ec2:CreateTags', '*', { 'aws:TagKeys': ['Owner', 'Env'] }), identity: [policy('P', allow('ec2:CreateTags', '*', { 'ForAllValues:StringNotEquals': { 'aws:TagKeys': ['AwsVssConfig', 'Name'] } }))], expected: allowedBy('P', 0) },
  { name: 'ForAnyValue:StringLike', request: req('ec2:CreateTags', '*', { 'aws:TagKeys': ['Owner', 'AppX'] }), identity: [policy('P', allow('ec2:CreateTags', '*', { 'ForAnyValue:StringLike': { 'aws:TagKeys': 'App*' } }))], expected: allowedBy('P', 0) },
  // Policy variables
  { name: 'variable in Resource', request: req('ec2:CreateImage', INSTANCE, { 'ec2:InstanceId': 'i-0abc' }), identity: [policy('P', allow('ec2:CreateImage', 'arn:aws:ec2:*:*:instance/${ec2:InstanceId}'))], expected: allowedBy('P', 0) },
  { name: 'variable in Resource, other value', request: req('ec2:CreateImage', OTHER_INSTANCE, { 'ec2:InstanceId': 'i-0abc' }), identity: [policy('P', allow('ec2:CreateImage', 'arn:aws:ec2:*:*:instance/${ec2:InstanceId}'))], expected: implicitDeny() },
  { name: 'variable key name case-insensitive', request: req('ec2:CreateImage', INSTANCE, { 'ec2:instanceid': 'i-0abc' }), identity: [policy('P', allow('ec2:CreateImage', 'arn:aws:ec2:*:*:instance/${EC2:InstanceID}'))], expected: allowedBy('P', 0) },
  { name: 'variable missing: undecided', request: req('ec2:CreateImage', INSTANCE), identity: [policy('P', sid('Own', allow('ec2:CreateImage', 'arn:aws:ec2:*:*:instance/${ec2:InstanceId}')))], expected: undecided('statement "Own" of policy P uses policy variable ${ec2:InstanceId}, which the request context does not carry') },
  { name: 'variable missing, resource cannot match anyway', request: req('ec2:CreateImage', IMAGE), identity: [policy('P', allow('ec2:CreateImage', 'arn:aws:ec2:*:*:instance/${ec2:InstanceId}'))], expected: implicitDeny() },
  { name: 'variable default', request: req('ec2:CreateImage', `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/none`), identity: [policy('P', allow('ec2:CreateImage', "arn:aws:ec2:*:*:instance/${ec2:InstanceId, 'none'}"))], expected: allowedBy('P', 0) },
  { name: 'escape ${*} is a literal star', request: req('ec2:CreateImage', INSTANCE), identity: [policy('P', allow('ec2:CreateImage', 'arn:aws:ec2:*:*:instance/${*}'))], expected: implicitDeny() },
  { name: 'escape ${*} matches a star', request: req('s3:GetObject', 'arn:aws:s3:::b/*'), identity: [policy('P', allow('s3:GetObject', 'arn:aws:s3:::b/${*}'))], expected: allowedBy('P', 0) },
  { name: 'Version 2008: ${...} is literal', request: req('ec2:CreateImage', INSTANCE, { 'ec2:InstanceId': 'i-0abc' }), identity: [{ name: 'Old', document: { Version: '2008-10-17', Statement: allow('ec2:CreateImage', 'arn:aws:ec2:*:*:instance/${ec2:InstanceId}') } }], expected: implicitDeny() },
  { name: 'variable in ArnLike value', request: req('ec2:CreateImage', '*', { 'ec2:SourceInstanceARN': INSTANCE, 'ec2:InstanceId': 'i-0abc' }), identity: withCondition(SOURCE_INSTANCE), expected: allowedBy('P', 0) },
  { name: 'variable in ArnLike value, other instance', request: req('ec2:CreateImage', '*', { 'ec2:SourceInstanceARN': OTHER_INSTANCE, 'ec2:InstanceId': 'i-0abc' }), identity: withCondition(SOURCE_INSTANCE), expected: implicitDeny() },
  { name: 'variable in StringEquals value', request: req('ec2:CreateImage', '*', { 'aws:ResourceTag/owner': 'alice', 'aws:username': 'alice' }), identity: withCondition({ StringEquals: { 'aws:ResourceTag/owner': '${aws:username}' } }), expected: allowedBy('P', 0) },
  // Unknowable keys
  { name: 'aws:SourceIp unknowable', request: req('ec2:CreateImage'), identity: [policy('P', sid('Office', allow('ec2:CreateImage', '*', { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } })))], expected: undecided('statement "Office" of policy P has condition key aws:SourceIp, which this check cannot know') },
  { name: 'unknowable key on an irrelevant statement', request: req('ec2:CreateImage'), identity: [policy('P', allow('ec2:CreateImage'), deny('s3:*', '*', { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }))], expected: allowedBy('P', 0) },
  { name: 'unknowable key: definite false elsewhere in the AND', request: req('ec2:CreateImage'), identity: withCondition({ StringEquals: { 'ec2:CreateAction': 'x' }, Bool: { 'aws:SecureTransport': 'true' } }), expected: implicitDeny() },
  { name: 'unknowable key: OR with a true value', request: req('ec2:CreateImage', '*', { 'aws:ResourceTag/a': '1' }), identity: [policy('P', allow('ec2:CreateImage', '*', { Bool: { 'aws:MultiFactorAuthPresent': 'true' } }), allow('ec2:CreateImage', '*', { StringEquals: { 'aws:ResourceTag/a': '1' } }))], expected: allowedBy('P', 1) },
  { name: 'unknowable key supplied in context', request: req('ec2:CreateImage', '*', { 'aws:SecureTransport': 'true' }), identity: withCondition({ Bool: { 'aws:SecureTransport': 'true' } }), expected: allowedBy('P', 0) },
  { name: 'unknowable key: IfExists is unknown too', request: req('ec2:CreateImage'), identity: withCondition({ StringEqualsIfExists: { 'aws:RequestedRegion': 'eu-west-1' } }), expected: undecided('statement 0 of policy P has condition key aws:RequestedRegion, which this check cannot know') },
  { name: 'unknowable key in a Deny, sure Allow', request: req('ec2:CreateImage'), identity: [policy('P', allow('*'), sid('Vpc', deny('*', '*', { StringNotEquals: { 'aws:SourceVpc': 'vpc-1' } })))], expected: { ...undecided('statement "Vpc" of policy P has condition key aws:SourceVpc, which this check cannot know'), allowedBy: { policy: 'P', index: 0 } } },
  { name: 'unknowable key in a Deny, no Allow', request: req('ec2:CreateImage'), identity: [policy('P', deny('*', '*', { StringNotEquals: { 'aws:SourceVpc': 'vpc-1' } }))], expected: implicitDeny() },
  { name: 'unknown identity Allow, boundary lacks the action', request: req('ec2:CreateImage'), identity: withCondition({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }), boundary: policy('B', allow('s3:*')), expected: implicitDeny('boundary') },
  { name: 'unknown boundary Allow', request: req('ec2:CreateImage'), identity: [policy('P', allow('*'))], boundary: policy('B', allow('*', '*', { StringEquals: { 'aws:PrincipalTag/team': 'ops' } })), expected: { ...undecided('statement 0 of policy B has condition key aws:PrincipalTag/team, which this check cannot know'), allowedBy: { policy: 'P', index: 0 } } },
  { name: 'custom unknowableKeys', request: req('ec2:CreateImage'), identity: withCondition({ StringEquals: { 'ec2:CreateAction': 'CreateImage' } }), unknowableKeys: (k) => k.toLowerCase() === 'ec2:createaction', expected: undecided('statement 0 of policy P has condition key ec2:CreateAction, which this check cannot know') },
  // AWSEC2VssSnapshotPolicy v2
  { name: 'VSS: CreateImage on the instance', request: req('ec2:CreateImage', INSTANCE, VSS_CONTEXT), identity: [VSS_POLICY], expected: { decision: 'allowed', allowedBy: vssRef('CreateImageAccessInstance', 5) } },
  { name: 'VSS: CreateImage on an image', request: req('ec2:CreateImage', IMAGE, VSS_CONTEXT), identity: [VSS_POLICY], expected: { decision: 'allowed', allowedBy: vssRef('CreateImageWithTag', 4) } },
  { name: 'VSS: CreateImage on a snapshot', request: req('ec2:CreateImage', SNAPSHOT, VSS_CONTEXT), identity: [VSS_POLICY], expected: { decision: 'allowed', allowedBy: vssRef('CreateImageWithTag', 4) } },
  { name: 'VSS: DescribeImages', request: req('ec2:DescribeImages', '*', VSS_CONTEXT), identity: [VSS_POLICY], expected: { decision: 'allowed', allowedBy: vssRef('DescribeImagesAndSnapshots', 8) } },
  { name: 'VSS: DescribeInstanceAttribute', request: req('ec2:DescribeInstanceAttribute', INSTANCE, VSS_CONTEXT), identity: [VSS_POLICY], expected: { decision: 'allowed', allowedBy: vssRef('DescribeInstanceInfo', 0) } },
  { name: 'VSS: CreateImage on an image without the tag', request: req('ec2:CreateImage', IMAGE, VSS_CONTEXT_UNTAGGED), identity: [VSS_POLICY], expected: implicitDeny() },
  { name: 'VSS: CreateImage on an image without the tag, boundary allows', request: req('ec2:CreateImage', IMAGE, VSS_CONTEXT_UNTAGGED), identity: [VSS_POLICY], boundary: policy('B', allow('ec2:*')), expected: implicitDeny() },
  { name: 'VSS: CreateImage from another instance', request: req('ec2:CreateImage', INSTANCE, { ...VSS_CONTEXT, 'ec2:SourceInstanceARN': OTHER_INSTANCE }), identity: [VSS_POLICY], expected: implicitDeny() },
  { name: 'VSS: ec2:InstanceId not supplied', request: req('ec2:CreateImage', INSTANCE, { 'ec2:SourceInstanceARN': INSTANCE }), identity: [VSS_POLICY], expected: undecided('statement "CreateImageAccessInstance" of policy AWSEC2VssSnapshotPolicy uses policy variable ${ec2:InstanceId}, which the request context does not carry') },
  { name: 'VSS: CreateTags on creation', request: req('ec2:CreateTags', IMAGE, { ...VSS_CONTEXT, 'ec2:CreateAction': 'CreateImage' }), identity: [VSS_POLICY], expected: { decision: 'allowed', allowedBy: vssRef('CreateTagsOnResourceCreation', 6) } },
  { name: 'VSS: CreateTags after creation', request: req('ec2:CreateTags', IMAGE, { 'ec2:ResourceTag/AwsVssConfig': 'x', 'aws:TagKeys': ['AppConsistent'] }), identity: [VSS_POLICY], expected: { decision: 'allowed', allowedBy: vssRef('CreateTagsAfterResourceCreation', 7) } },
  { name: 'VSS: CreateTags after creation, other tag key', request: req('ec2:CreateTags', IMAGE, { 'ec2:ResourceTag/AwsVssConfig': 'x', 'aws:TagKeys': ['Owner'] }), identity: [VSS_POLICY], expected: implicitDeny() },
  { name: 'VSS: CreateTags on an untagged image', request: req('ec2:CreateTags', IMAGE, { 'aws:TagKeys': ['AppConsistent'] }), identity: [VSS_POLICY], expected: implicitDeny() },
  { name: 'VSS: not CreateSnapshot (singular)', request: req('ec2:CreateSnapshot', SNAPSHOT, VSS_CONTEXT), identity: [VSS_POLICY], expected: implicitDeny() },
];

describe('iam evaluate', () => {
  for (const c of cases) {
    it(`${c.expected.decision}: ${c.name}`, () => {
      const request: Request = { action: '', resource: '*', context: {}, ...c.request };
      const policies = { identity: c.identity, ...(c.boundary ? { boundary: c.boundary } : {}) };
      const result = evaluate(request, policies, c.unknowableKeys ? { unknowableKeys: c.unknowableKeys } : undefined);
      expect(result).to.deep.equal(c.expected);
    });
  }

  it('gives the same answer from the compiled cache', () => {
    const request: Request = { action: 'ec2:CreateImage', resource: INSTANCE, context: VSS_CONTEXT };
    const first = evaluate(request, { identity: [VSS_POLICY] });
    const other = evaluate({ ...request, context: { ...VSS_CONTEXT, 'ec2:InstanceId': 'i-0def' } }, { identity: [VSS_POLICY] });
    expect(evaluate(request, { identity: [VSS_POLICY] })).to.deep.equal(first);
    expect(other.decision).to.equal('implicitDeny');
  });
});
