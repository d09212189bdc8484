import { BackupClient } from '@aws-sdk/client-backup';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient, type STSClientConfig } from '@aws-sdk/client-sts';

/**
 * How to reach AWS. Only `profile` is set here: region, credentials, endpoints
 * (AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>) and retry settings come from the SDK's
 * standard chain, so whatever works for the AWS CLI works here.
 */
export interface AwsAccess {
  profile?: string;
  /** Credentials of an assumed role (--accounts): replaces the profile's for every client. */
  credentials?: STSClientConfig['credentials'];
  /** The account these credentials reach, when known before any call (--accounts). */
  accountId?: string;
}

/**
 * Retries: the SDK's adaptive mode rate-limits on the client after a throttle, and 10 attempts
 * ride out IAM's and SSM's low per-second limits on large fleets (the bench showed 3 standard
 * attempts leave throttling errors). AWS_RETRY_MODE / AWS_MAX_ATTEMPTS, when set, win.
 */
const retries = (env: NodeJS.ProcessEnv) => ({
  ...(env['AWS_RETRY_MODE'] ? {} : { retryMode: 'adaptive' }),
  ...(env['AWS_MAX_ATTEMPTS'] ? {} : { maxAttempts: 10 }),
});

const base = (access: AwsAccess, region?: string) => ({
  ...(access.profile ? { profile: access.profile } : {}),
  ...(access.credentials ? { credentials: access.credentials } : {}),
  ...(region ? { region } : {}),
  ...retries(process.env),
});

export const ec2Client = (access: AwsAccess, region: string) => new EC2Client(base(access, region));
export const ssmClient = (access: AwsAccess, region: string) => new SSMClient(base(access, region));
export const backupClient = (access: AwsAccess, region: string) => new BackupClient(base(access, region));
export const stsClient = (access: AwsAccess, region?: string) => new STSClient(base(access, region));
export const organizationsClient = (access: AwsAccess, region: string) => new OrganizationsClient(base(access, region));
/** IAM is global; its endpoint lives in us-east-1 for the aws partition. */
export const iamClient = (access: AwsAccess) => new IAMClient(base(access, 'us-east-1'));

/** The region the SDK would use (AWS_REGION, the profile's region), or undefined. */
export async function configuredRegion(access: AwsAccess): Promise<string | undefined> {
  const client = stsClient(access);
  try {
    return await client.config.region();
  } catch {
    return undefined;
  } finally {
    client.destroy();
  }
}
