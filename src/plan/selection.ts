/**
 * Which EC2 instances an AWS Backup selection (resource assignment) covers, as documented:
 *   [SEL]  https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupSelection.html
 *   [COND] https://docs.aws.amazon.com/aws-backup/latest/devguide/API_Conditions.html
 *   [TAG]  https://docs.aws.amazon.com/aws-backup/latest/devguide/API_Condition.html
 *   [CLI]  https://docs.aws.amazon.com/aws-backup/latest/devguide/assigning-resources-json.html
 *   [ASN]  https://docs.aws.amazon.com/aws-backup/latest/devguide/assigning-resources.html
 *   [CBS]  https://docs.aws.amazon.com/aws-backup/latest/devguide/API_CreateBackupSelection.html
 *   [KC]   https://repost.aws/knowledge-center/backup-assign-resources
 *
 * covers = (any Resources ARN matches OR any ListOfTags entry matches)
 *          AND every Conditions entry matches
 *          AND no NotResources ARN matches
 *
 * Not modelled: service opt-in. [ASN]: "If resource assignments are only based on tags, then
 * service opt-in settings are applied", so a tag-only or Resources ["*"] selection reaches EC2
 * only while EC2 is opted in (DescribeRegionSettings); a caller must check that separately.
 */
import { z } from 'zod';

const conditionParameter = z.object({ ConditionKey: z.string(), ConditionValue: z.string() });

/** The resource-choosing part of a BackupSelection (GetBackupSelection → BackupSelection), AWS spelling. */
export const backupSelectionFacts = z.object({
  Resources: z.array(z.string()).optional(),
  NotResources: z.array(z.string()).optional(),
  ListOfTags: z
    .array(
      z.object({
        // The wire enum is STRINGEQUALS; [CLI] writes "StringEquals". [SEL]: "ListOfTags supports only StringEquals."
        ConditionType: z.string().refine((t) => t.toUpperCase() === 'STRINGEQUALS', { message: 'ListOfTags only supports STRINGEQUALS' }),
        ConditionKey: z.string(),
        ConditionValue: z.string(),
      }),
    )
    .optional(),
  Conditions: z
    .object({
      StringEquals: z.array(conditionParameter).optional(),
      StringNotEquals: z.array(conditionParameter).optional(),
      StringLike: z.array(conditionParameter).optional(),
      StringNotLike: z.array(conditionParameter).optional(),
    })
    .optional(),
});
export type BackupSelectionFacts = z.infer<typeof backupSelectionFacts>;

/**
 * [CLI]: "The wildcard * represents zero or more non-whitespace characters." Taken literally, so
 * `prod*` does not match the tag value `prod east` (IAM's StringLike would); `?` is not a wildcard
 * in any Backup page, so it is literal. Matching is case-sensitive ([COND]: "Conditions are case
 * sensitive"; [ASN]: "Be aware that tags are case-sensitive").
 *
 * Unclear: [SEL] (Resources) says "the asterisk (*) must appear at the end of the ARN string (prefix
 * pattern) ... arn:aws:s3:::*-logs is not supported", yet [CLI]'s own examples
 * (arn:aws:ec2:*:*:instance/*, arn:aws:rds:*:*:db:*) put it mid-string and say "You can use the
 * wildcard character at the start, end, and middle of a string". We follow [CLI]: `*` matches anywhere.
 */
function wildcardMatch(pattern: string, value: string): boolean {
  const re = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('\\S*');
  return new RegExp(`^${re}$`, 's').test(value);
}

const TAG_PREFIX = 'aws:ResourceTag/';

/**
 * The tag a condition key names. Conditions keys are written `aws:ResourceTag/Key` in every example
 * ([SEL], [CLI]); ListOfTags keys are the bare tag key in [TAG] ("in the tag Department: Accounting,
 * Department is the key") and [CLI], but `aws:ResourceTag/Key` in the CloudFormation docs and in what
 * aws-cdk generates. Unclear which the service accepts where, so both spellings name the same tag.
 */
const tagKey = (conditionKey: string) => (conditionKey.startsWith(TAG_PREFIX) ? conditionKey.slice(TAG_PREFIX.length) : conditionKey);

type Tags = Record<string, string>;
const tagValue = (tags: Tags, conditionKey: string) => {
  const key = tagKey(conditionKey);
  return Object.hasOwn(tags, key) ? tags[key] : undefined;
};

/**
 * [SEL] Conditions: "If you specify multiple conditions, the resources much match all conditions (AND
 * logic)": every entry, of every operator, even two entries for one key. A missing tag fails the
 * positive operators and passes the negated ones: [CLI] says "The Boolean arithmetic is similar to that
 * in IAM policies", its "Select all resources tagged with a tag "backup" and any value" uses StringLike
 * "*" (so an untagged resource is out), and its "... except for resources tagged with "stage":"test""
 * uses StringNotEquals (so a resource without a stage tag stays in).
 */
function conditionsHold(conditions: BackupSelectionFacts['Conditions'], tags: Tags): boolean {
  const c = conditions ?? {};
  const each = (list: Array<z.infer<typeof conditionParameter>> | undefined, test: (value: string | undefined, want: string) => boolean) =>
    (list ?? []).every((p) => test(tagValue(tags, p.ConditionKey), p.ConditionValue));
  return (
    each(c.StringEquals, (v, want) => v !== undefined && v === want) &&
    each(c.StringNotEquals, (v, want) => v === undefined || v !== want) &&
    // [COND] StringLike: "with the use of a wildcard character (*) anywhere in the string".
    each(c.StringLike, (v, want) => v !== undefined && wildcardMatch(want, v)) &&
    each(c.StringNotLike, (v, want) => v === undefined || !wildcardMatch(want, v))
  );
}

export function selectionCovers(selection: BackupSelectionFacts, instance: { arn: string; tags: Record<string, string> }): boolean {
  const resources = selection.Resources ?? [];
  const listOfTags = selection.ListOfTags ?? [];
  // AWS refuses a selection with neither: "Invalid backup selection. Either 'ListOfTags' or 'Resources'
  // section must be non-empty." (InvalidParameterValueException; hashicorp/terraform-provider-aws#24235,
  // #25436). [SEL] says instead that without conditions, tags or resources "Backup attempts to select all
  // supported and opted-in storage resources"; unclear, so such a selection covers nothing here.
  if (resources.length === 0 && listOfTags.length === 0) return false;

  // [SEL] Resources: "If you specify multiple ARNs, the resources much match any of the ARNs (OR logic)."
  // [CLI] "Select all resources in my account" is Resources ["*"]: `*` matches every ARN.
  const byArn = resources.some((pattern) => wildcardMatch(pattern, instance.arn));
  // [SEL] ListOfTags: "supports only StringEquals ... the resources much match any of the conditions (OR logic)."
  const byTag = listOfTags.some((t) => tagValue(instance.tags, t.ConditionKey) === t.ConditionValue);
  // Resources and ListOfTags are ORed: [CBS] "Resources and conditions are additive ... The matching patterns
  // are logically put together using the OR operator" (written before Conditions existed: "conditions"
  // there is ListOfTags); [CLI] "Select all FSx file systems, the Aurora cluster ..., and all resources
  // tagged with "backup":"true"" = Resources + ListOfTags; [KC] example 2, "Resources and ListOfTags are
  // combined using the boolean value OR" (seen in the page's Korean edition).
  if (!byArn && !byTag) return false;

  // Conditions are ANDed with the rest: [CLI] "those in "Resources" combined using a Boolean OR and those
  // in "Conditions" combined with a Boolean AND"; [KC] "Resources and Conditions are combined using the
  // boolean value AND". The same [CLI] example's "except for resources tagged with "stage":"test"" applies
  // the Conditions to the ListOfTags matches too. So Conditions alone cannot widen a selection, which is
  // why [CLI] writes "all resources tagged with ..." as Resources ["*"] plus Conditions.
  if (!conditionsHold(selection.Conditions, instance.tags)) return false;

  // [SEL] NotResources: "ARNs of the resources to exclude from a backup plan"; [CLI] "Items in NotResources
  // are combined using the Boolean OR". No page says whether NotResources also removes a ListOfTags match;
  // "exclude from a backup plan" is read as: whatever included it.
  return !(selection.NotResources ?? []).some((pattern) => wildcardMatch(pattern, instance.arn));
}
