/** The last path segment of an IAM ARN (role, instance profile) is its name. */
export const nameFromArn = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);
