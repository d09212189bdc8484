/**
 * selectionCovers: one row per documented rule, each chosen so that the opposite reading (OR for
 * AND, prefix-only for anywhere, ...) would flip the result. Quotes are from the pages listed at the
 * top of src/plan/selection.ts.
 */
import { expect } from 'chai';
import { backupSelectionFacts, selectionCovers, type BackupSelectionFacts } from '../../src/plan/selection.js';

const ARN = 'arn:aws:ec2:eu-west-1:111122223333:instance/i-0a1b2c3d4e5f60001';
const OTHER = 'arn:aws:ec2:eu-west-1:111122223333:instance/i-0ffffffffffffffff';
const TAGS = { Backup: 'vss', Stage: 'prod', Name: 'sql-prod-1', Owner: 'alice temp' };

const eq = (ConditionKey: string, ConditionValue: string) => ({ ConditionKey, ConditionValue });
const tag = (ConditionKey: string, ConditionValue: string) => ({ ConditionType: 'STRINGEQUALS', ConditionKey, ConditionValue });
const all = (Conditions: BackupSelectionFacts['Conditions']): BackupSelectionFacts => ({ Resources: ['*'], Conditions });

interface Row {
  rule: string;
  selection: BackupSelectionFacts;
  tags?: Record<string, string>;
  covers: boolean;
}

const rows: Row[] = [
  // Resources
  { rule: 'Resources ["*"]: "Select all resources in my account"', selection: { Resources: ['*'] }, covers: true },
  { rule: 'Resources: "must match any of the ARNs (OR logic)" (second ARN matches)', selection: { Resources: [OTHER, ARN] }, covers: true },
  { rule: 'Resources: an exact ARN of another instance', selection: { Resources: [OTHER] }, covers: false },
  { rule: 'Resources: "wildcard character at the start, end, and middle" (arn:aws:ec2:*:*:instance/*)', selection: { Resources: ['arn:aws:ec2:*:*:instance/*'] }, covers: true },
  { rule: 'Resources: a mid-string wildcard for another type (volume) does not match', selection: { Resources: ['arn:aws:ec2:*:*:volume/*'] }, covers: false },
  { rule: 'Resources: selection by service name, arn:aws:ec2:*', selection: { Resources: ['arn:aws:ec2:*'] }, covers: true },
  { rule: 'Resources: ARNs are matched case-sensitively', selection: { Resources: ['arn:aws:ec2:*:*:Instance/*'] }, covers: false },
  // NotResources
  { rule: 'NotResources: "resources to exclude from a backup plan" beats Resources ["*"]', selection: { Resources: ['*'], NotResources: [ARN] }, covers: false },
  { rule: 'NotResources: "Items in NotResources are combined using the Boolean OR"', selection: { Resources: ['*'], NotResources: [OTHER, ARN] }, covers: false },
  { rule: 'NotResources: wildcards exclude a whole type', selection: { Resources: ['*'], NotResources: ['arn:aws:ec2:*:*:instance/*'] }, covers: false },
  { rule: 'NotResources: excluding another type keeps the instance', selection: { Resources: ['*'], NotResources: ['arn:aws:ec2:*:*:volume/*'] }, covers: true },
  { rule: 'NotResources also removes a ListOfTags match (undocumented, see selection.ts)', selection: { ListOfTags: [tag('Backup', 'vss')], NotResources: [ARN] }, covers: false },
  // ListOfTags
  { rule: 'ListOfTags: "must match any of the conditions (OR logic)"', selection: { ListOfTags: [tag('Backup', 'daily'), tag('Backup', 'vss')] }, covers: true },
  { rule: 'ListOfTags alone: an instance without the tag is not covered', selection: { ListOfTags: [tag('Team', 'dba')] }, covers: false },
  { rule: 'ListOfTags: "supports only StringEquals" (no wildcard)', selection: { ListOfTags: [tag('Backup', 'v*')] }, covers: false },
  { rule: 'ListOfTags: "tags are case-sensitive" (value)', selection: { ListOfTags: [tag('Backup', 'VSS')] }, covers: false },
  { rule: 'ListOfTags: "tags are case-sensitive" (key)', selection: { ListOfTags: [tag('backup', 'vss')] }, covers: false },
  { rule: 'ListOfTags: the aws:ResourceTag/ spelling of the key names the same tag (unclear, see selection.ts)', selection: { ListOfTags: [tag('aws:ResourceTag/Backup', 'vss')] }, covers: true },
  // Resources OR ListOfTags
  { rule: 'Resources OR ListOfTags: "Resources and conditions are additive" (tag matches, ARN does not)', selection: { Resources: [OTHER], ListOfTags: [tag('Backup', 'vss')] }, covers: true },
  { rule: 'Resources OR ListOfTags: ARN matches, tag does not', selection: { Resources: [ARN], ListOfTags: [tag('Backup', 'daily')] }, covers: true },
  { rule: 'Resources ["*"] with ListOfTags: the OR keeps everything', selection: { Resources: ['*'], ListOfTags: [tag('Backup', 'daily')] }, covers: true },
  // Conditions
  { rule: 'Conditions: "must match all conditions (AND logic)" across keys', selection: all({ StringEquals: [eq('aws:ResourceTag/Backup', 'vss'), eq('aws:ResourceTag/Stage', 'test')] }), covers: false },
  { rule: 'Conditions: AND even for two entries on one key (not IAM\'s OR of values)', selection: all({ StringEquals: [eq('aws:ResourceTag/Backup', 'vss'), eq('aws:ResourceTag/Backup', 'daily')] }), covers: false },
  { rule: 'Conditions: AND across operators', selection: all({ StringEquals: [eq('aws:ResourceTag/Backup', 'vss')], StringNotEquals: [eq('aws:ResourceTag/Stage', 'prod')] }), covers: false },
  { rule: 'Resources ["*"] + Conditions: "Select all resources tagged with "backup":"true""', selection: all({ StringEquals: [eq('aws:ResourceTag/Backup', 'vss')] }), covers: true },
  { rule: 'Resources AND Conditions: "Resources and Conditions are combined using the boolean value AND"', selection: { Resources: [ARN], Conditions: { StringEquals: [eq('aws:ResourceTag/Backup', 'daily')] } }, covers: false },
  { rule: 'Resources AND Conditions: the ARN must match too', selection: { Resources: [OTHER], Conditions: { StringEquals: [eq('aws:ResourceTag/Backup', 'vss')] } }, covers: false },
  { rule: 'ListOfTags AND Conditions: "... and all resources tagged with backup:true, except for resources tagged with stage:test"', selection: { ListOfTags: [tag('Backup', 'vss')], Conditions: { StringNotEquals: [eq('aws:ResourceTag/Stage', 'prod')] } }, covers: false },
  { rule: 'Conditions alone: "Either \'ListOfTags\' or \'Resources\' section must be non-empty"', selection: { Conditions: { StringEquals: [eq('aws:ResourceTag/Backup', 'vss')] } }, covers: false },
  { rule: 'an empty selection covers nothing (unclear, see selection.ts)', selection: {}, covers: false },
  { rule: 'Conditions: "Condition operators are case sensitive"', selection: all({ StringEquals: [eq('aws:ResourceTag/Backup', 'VSS')] }), covers: false },
  // StringLike / StringNotLike / missing tags
  { rule: 'StringLike: "prod*" matches "production"-style values', selection: all({ StringLike: [eq('aws:ResourceTag/Name', 'sql-*')] }), covers: true },
  { rule: 'StringLike: wildcard "anywhere in the string" (*rod*)', selection: all({ StringLike: [eq('aws:ResourceTag/Name', '*rod*')] }), covers: true },
  { rule: 'StringLike: a non-matching pattern', selection: all({ StringLike: [eq('aws:ResourceTag/Name', 'web-*')] }), covers: false },
  { rule: 'StringLike: "* represents zero or more non-whitespace characters"', selection: all({ StringLike: [eq('aws:ResourceTag/Owner', 'alice*')] }), covers: false },
  { rule: 'StringLike "*": "all resources tagged with a tag "backup" and any value" (tag missing)', selection: all({ StringLike: [eq('aws:ResourceTag/Team', '*')] }), covers: false },
  { rule: 'StringLike "*" with the tag present', selection: all({ StringLike: [eq('aws:ResourceTag/Backup', '*')] }), covers: true },
  { rule: 'StringNotEquals: a missing tag passes ("except for resources tagged with "stage":"test"")', selection: all({ StringNotEquals: [eq('aws:ResourceTag/Team', 'dba')] }), covers: true },
  { rule: 'StringNotEquals: the excluded value', selection: all({ StringNotEquals: [eq('aws:ResourceTag/Stage', 'prod')] }), covers: false },
  { rule: 'StringNotLike: "*exclude*"-style exclusion of a matching value', selection: all({ StringNotLike: [eq('aws:ResourceTag/Name', '*prod*')] }), covers: false },
  { rule: 'StringNotLike: a missing tag passes', selection: all({ StringNotLike: [eq('aws:ResourceTag/Team', '*')] }), covers: true },
  { rule: 'StringLike: "?" is not a wildcard', selection: all({ StringLike: [eq('aws:ResourceTag/Backup', 'v?s')] }), covers: false },
];

describe('selectionCovers (AWS Backup resource assignment)', () => {
  for (const r of rows) {
    it(`${r.covers ? 'covers' : 'skips'}: ${r.rule}`, () => {
      expect(selectionCovers(backupSelectionFacts.parse(r.selection), { arn: ARN, tags: r.tags ?? TAGS })).to.equal(r.covers);
    });
  }

  it('the doc example "all EBS volumes and RDS instances tagged backup:true but not stage:test" picks volumes, not instances', () => {
    const selection = {
      Resources: ['arn:aws:ec2:*:*:volume/*', 'arn:aws:rds:*:*:db:*'],
      Conditions: { StringEquals: [eq('aws:ResourceTag/backup', 'true')], StringNotEquals: [eq('aws:ResourceTag/stage', 'test')] },
    };
    const volume = 'arn:aws:ec2:eu-west-1:111122223333:volume/vol-0123';
    expect(selectionCovers(selection, { arn: volume, tags: { backup: 'true' } })).to.equal(true);
    expect(selectionCovers(selection, { arn: volume, tags: { backup: 'true', stage: 'test' } })).to.equal(false);
    expect(selectionCovers(selection, { arn: ARN, tags: { backup: 'true' } })).to.equal(false);
  });
});

describe('backupSelectionFacts schema', () => {
  it('accepts GetBackupSelection output (extra fields dropped) and refuses ListOfTags types other than STRINGEQUALS', () => {
    const parsed = backupSelectionFacts.parse({
      SelectionName: 'by-tag',
      IamRoleArn: 'arn:aws:iam::111122223333:role/service-role/AWSBackupDefaultServiceRole',
      Resources: [],
      ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'Backup', ConditionValue: 'vss' }],
      Conditions: { StringEquals: [], StringNotEquals: [], StringLike: [], StringNotLike: [] },
    });
    expect(parsed).to.not.have.property('SelectionName');
    expect(selectionCovers(parsed, { arn: ARN, tags: TAGS })).to.equal(true);
    expect(backupSelectionFacts.safeParse({ ListOfTags: [{ ConditionType: 'StringEquals', ConditionKey: 'k', ConditionValue: 'v' }] }).success).to.equal(true);
    expect(backupSelectionFacts.safeParse({ ListOfTags: [{ ConditionType: 'STRINGNOTEQUALS', ConditionKey: 'k', ConditionValue: 'v' }] }).success).to.equal(false);
  });
});
