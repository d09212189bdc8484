import { BackupClient } from '@aws-sdk/client-backup';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient, type STSClientConfig } from '@aws-sdk/client-sts';
import { RateLimiter } from './rate-limit.js';

/**
 * How to reach AWS: a profile (or an assumed role's credentials) and a request budget. Region,
 * credentials, endpoints (AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>) and retry settings
 * otherwise come from the SDK's standard chain, so whatever works for the AWS CLI works here.
 */
export interface AwsAccess {
  profile?: string;
  /** Credentials of an assumed role (--accounts): replaces the profile's for every client. */
  credentials?: STSClientConfig['credentials'];
  /** The account these credentials reach, when known before any call (--accounts). */
  accountId?: string;
  /**
   * The request budget of these credentials' account (rate-limit.ts): every client built from
   * this access takes its tokens here. Give each account its own (`limiter.forAccount(id)`);
   * left out, the process shares one limiter per profile, with the default limits.
   */
  limiter?: RateLimiter;
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
  // Resolve each command's middleware stack once per client, not per request: the per-request
  // copies (a stack clone and context per call) were a third of the garbage the 50k scan
  // promoted to the old generation. Safe here: our only middleware (the rate limit) is added at
  // construction, and the concurrent calls that then share a context share its region and credentials.
  cacheMiddleware: true,
});

/** For an access without a limiter: one budget per profile for the whole process, never none. */
const shared = new RateLimiter();
const limiterOf = (access: AwsAccess) => access.limiter ?? shared.forAccount(access.profile ?? '');

/**
 * Every request waits for a token in the finalizeRequest step, after the retry middleware (so
 * each retry takes a token too) and before signing (so a long wait never sends a signature
 * past its time window): the stack runs retryMiddleware, then this, then httpSigningMiddleware.
 */
const RATE_LIMIT_STEP = { name: 'vssPreflightRateLimit', relation: 'before', toMiddleware: 'httpSigningMiddleware', override: true } as const;

/** The part of an SDK client's middleware stack a plugin touches (Smithy's Pluggable, structurally). */
interface Stack {
  addRelativeTo(middleware: never, options: typeof RATE_LIMIT_STEP): void;
}

/** The middleware that makes each request of a client wait for its token, as an SDK plugin. */
export function rateLimitPlugin(access: AwsAccess, service: string, region: () => Promise<string>): { applyToStack(stack: Stack): void } {
  const limiter = limiterOf(access);
  const middleware =
    <A, R>(next: (args: A) => Promise<R>) =>
    async (args: A): Promise<R> => {
      await limiter.acquire(service, await region());
      return next(args);
    };
  return { applyToStack: (stack) => stack.addRelativeTo(middleware as never, RATE_LIMIT_STEP) };
}

function limited<C extends EC2Client | SSMClient | BackupClient | STSClient | IAMClient | OrganizationsClient>(client: C, access: AwsAccess, service: string): C {
  // The region the client signs for: the one given, else the SDK's configured one.
  rateLimitPlugin(access, service, () => client.config.region()).applyToStack(client.middlewareStack);
  return client;
}

/**
 * What an STS client that the SDK builds for us (fromTemporaryCredentials' AssumeRole) needs to
 * behave as ours: the retry settings and the caller's request budget.
 */
export const stsClientSettings = (access: AwsAccess, region: string) => ({
  clientConfig: { region, ...retries(process.env) },
  clientPlugins: [rateLimitPlugin(access, 'sts', async () => region)],
});

export const ec2Client = (access: AwsAccess, region: string) => limited(new EC2Client(base(access, region)), access, 'ec2');
export const ssmClient = (access: AwsAccess, region: string) => limited(new SSMClient(base(access, region)), access, 'ssm');
export const backupClient = (access: AwsAccess, region: string) => limited(new BackupClient(base(access, region)), access, 'backup');
export const stsClient = (access: AwsAccess, region?: string) => limited(new STSClient(base(access, region)), access, 'sts');
export const organizationsClient = (access: AwsAccess, region: string) => limited(new OrganizationsClient(base(access, region)), access, 'organizations');
/** IAM is global; its endpoint lives in us-east-1 for the aws partition. */
export const iamClient = (access: AwsAccess) => limited(new IAMClient(base(access, 'us-east-1')), access, 'iam');

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
