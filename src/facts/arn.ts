/** The last path segment of an IAM ARN (role, instance profile) is its name. */
export const nameFromArn = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);

/** The DHMC setting holds a role name, possibly with a path (service-role/Name); its ARN follows. */
export const dhmcRoleArn = (accountId: string, value: string) => `arn:aws:iam::${accountId}:role/${value.replace(/^\/+/, '')}`;
