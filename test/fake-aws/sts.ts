/**
 * sts:AssumeRole (awsQuery, 2011-06-15) across the world's accounts. The credentials it issues
 * are remembered by access key id, so later requests signed with them (the Credential= part of
 * SigV4) are served from the role's account, as that role's session.
 */
import { randomBytes } from 'node:crypto';
import { callerArn, fakeId, type Ctx, type QueryHandler } from './context.js';
import { ApiError, validationError } from './errors.js';
import { str } from './query.js';
import type { IamRole, World } from './world.js';

export interface Session {
  accountId: string;
  /** arn:aws:sts::<acct>:assumed-role/<name>/<session>: what GetCallerIdentity answers. */
  arn: string;
  /** The role's ARN (the principal a trust policy names for this session). */
  roleArn: string;
  expiration: Date;
  externalId: string | undefined;
}

/** Sessions by access key id, per fake endpoint. */
export type Sessions = Map<string, Session>;

// Constraints of the STS API model (AssumeRoleRequest).
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const ROLE_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):role(\/(?:[\w+=,.@-]+\/)*)([\w+=,.@-]{1,64})$/;
/** GetRole's MaxSessionDuration in this fake (iam.ts); AWS's default for a new role. */
const MAX_SESSION_SECONDS = 3600;

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** Whether a trust policy principal names the caller: '*', its account id or root, or its exact ARN. */
function principalMatches(principal: unknown, caller: { accountId: string; arns: string[] }): boolean {
  if (principal === '*') return true;
  const aws = typeof principal === 'object' && principal !== null ? (principal as Record<string, unknown>)['AWS'] : undefined;
  return asList(aws).some((p) => p === '*' || p === caller.accountId || p === `arn:aws:iam::${caller.accountId}:root` || caller.arns.includes(String(p)));
}

const actionMatches = (action: unknown) => asList(action).some((a) => a === '*' || a === 'sts:*' || a === 'sts:AssumeRole');

/**
 * The trust policy's answer for this caller. Conditions: StringEquals on sts:ExternalId is
 * evaluated (the cross-account pattern AWS documents); any other condition is treated as unmet,
 * so a world that needs one gets a denial rather than a silent allow.
 */
function trusts(doc: Record<string, unknown>, caller: { accountId: string; arns: string[] }, externalId: string | undefined): boolean {
  const statements = asList(doc['Statement']) as Record<string, unknown>[];
  const applies = (s: Record<string, unknown>) => {
    if (!actionMatches(s['Action']) || !principalMatches(s['Principal'], caller)) return false;
    const condition = (s['Condition'] ?? {}) as Record<string, Record<string, unknown>>;
    return Object.entries(condition).every(([op, keys]) => {
      if (op !== 'StringEquals') return false;
      return Object.entries(keys).every(([key, want]) => key.toLowerCase() === 'sts:externalid' && externalId !== undefined && asList(want).includes(externalId));
    });
  };
  if (statements.some((s) => s['Effect'] === 'Deny' && applies(s))) return false;
  return statements.some((s) => s['Effect'] === 'Allow' && applies(s));
}

function assumeRole(ctx: Ctx, sessions: Sessions, root: World): Record<string, unknown> {
  const roleArn = str(ctx.params, 'RoleArn');
  const sessionName = str(ctx.params, 'RoleSessionName');
  const externalId = str(ctx.params, 'ExternalId');
  const duration = str(ctx.params, 'DurationSeconds');
  if (!roleArn) throw validationError('sts', "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null");
  if (!sessionName) throw validationError('sts', "1 validation error detected: Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null");
  if (!SESSION_NAME.test(sessionName)) {
    throw validationError('sts', `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`);
  }
  if (externalId !== undefined && !EXTERNAL_ID.test(externalId)) {
    throw validationError('sts', `1 validation error detected: Value '${externalId}' at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*`);
  }
  const seconds = duration === undefined ? 3600 : Number(duration);
  if (!Number.isInteger(seconds) || seconds < 900 || seconds > 43200) {
    throw validationError('sts', `1 validation error detected: Value '${duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value ${seconds < 900 ? 'greater than or equal to 900' : 'less than or equal to 43200'}`);
  }
  const parsed = ROLE_ARN.exec(roleArn);
  if (!parsed) throw validationError('sts', `${roleArn} is invalid`);
  const [, , accountId, path, name] = parsed as unknown as [string, string, string, string, string];
  const caller = { accountId: ctx.world.accountId, arns: [callerArn(ctx.world), ...(ctx.session ? [ctx.session.roleArn] : [])] };
  const denied = new ApiError('AccessDenied', `User: ${callerArn(ctx.world)} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);
  // AWS does not say whether the role is missing or does not trust the caller: both are AccessDenied.
  const account = accountId === root.accountId ? root : root.accounts.find((a) => a.accountId === accountId);
  const role: IamRole | undefined = account?.iam.roles.find((r) => r.name.toLowerCase() === name.toLowerCase() && r.path === path);
  if (!role?.assumeRolePolicyDocument || !trusts(role.assumeRolePolicyDocument, caller, externalId)) throw denied;
  if (seconds > MAX_SESSION_SECONDS) throw validationError('sts', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');

  const accessKeyId = `ASIA${randomBytes(8).toString('hex').toUpperCase()}`;
  const expiration = new Date(Math.floor(Date.now() / 1000) * 1000 + seconds * 1000);
  const arn = `arn:aws:sts::${accountId}:assumed-role/${role.name}/${sessionName}`;
  sessions.set(accessKeyId, { accountId, arn, roleArn: `arn:aws:iam::${accountId}:role${role.path}${role.name}`, expiration, externalId });
  return {
    Credentials: {
      AccessKeyId: accessKeyId,
      SecretAccessKey: randomBytes(20).toString('base64'),
      SessionToken: randomBytes(48).toString('base64'),
      Expiration: expiration,
    },
    // The same role id GetCallerIdentity gives this session as its UserId (iam.ts).
    AssumedRoleUser: { AssumedRoleId: `${fakeId('AROA', arn.replace(/\/[^/]+$/, ''))}:${sessionName}`, Arn: arn },
  };
}

/** AssumeRole needs the endpoint's sessions and the whole world (the role may be in any account). */
export const assumeRoleHandler = (sessions: Sessions, world: World): QueryHandler => (ctx) => assumeRole(ctx, sessions, world) as never;
