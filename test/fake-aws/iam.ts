/** IAM (awsQuery, 2010-05-08) and STS (awsQuery, 2011-06-15). */
import { callerArn, fakeId, type Ctx, type QueryHandler } from './context.js';
import { ApiError, checkRange, validationError } from './errors.js';
import { paginate } from './paginate.js';
import { str } from './query.js';
import type { IamRole, World } from './world.js';
import { members, type XmlValue } from './xml.js';

export const CREATED = new Date('2025-06-01T00:00:00Z');
const EC2_TRUST = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

/** IAM returns policy documents URL-encoded (RFC 3986), as stored (here: pretty-printed JSON). */
export const encodePolicy = (doc: unknown): string => encodeURIComponent(JSON.stringify(doc, null, 2));

export const roleArn = (world: World, r: IamRole): string => `arn:aws:iam::${world.accountId}:role${r.path}${r.name}`;

export function required(ctx: Ctx, key: string): string {
  const v = str(ctx.params, key);
  if (v === undefined || v === '') {
    const lower = key.charAt(0).toLowerCase() + key.slice(1);
    throw validationError('iam', `1 validation error detected: Value null at '${lower}' failed to satisfy constraint: Member must not be null`);
  }
  return v;
}

export const noSuchEntity = (message: string): ApiError => new ApiError('NoSuchEntity', message, 404);

/** IAM names are unique case-insensitively and looked up that way. */
function findRole(ctx: Ctx, name: string): IamRole {
  const role = ctx.world.iam.roles.find((r) => r.name.toLowerCase() === name.toLowerCase());
  if (!role) throw noSuchEntity(`The role with name ${name} cannot be found.`);
  return role;
}

export function roleXml(ctx: Ctx, r: IamRole, full: boolean): XmlValue {
  const tags = Object.entries(r.tags ?? {});
  return {
    Path: r.path,
    RoleName: r.name,
    RoleId: fakeId('AROA', roleArn(ctx.world, r)),
    Arn: roleArn(ctx.world, r),
    CreateDate: CREATED,
    AssumeRolePolicyDocument: encodePolicy(r.assumeRolePolicyDocument ?? EC2_TRUST),
    Description: full ? r.description : undefined,
    MaxSessionDuration: full ? 3600 : undefined,
    PermissionsBoundary:
      full && r.permissionsBoundaryArn ? { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: r.permissionsBoundaryArn } : undefined,
    Tags: full && tags.length ? members(tags.map(([Key, Value]) => ({ Key, Value }))) : undefined,
    RoleLastUsed: full ? {} : undefined,
  };
}

/** MaxItems (1–1000, default 100) / Marker paging shared by the List* calls. */
export function page<T>(ctx: Ctx, all: T[]) {
  const maxItems = checkRange('iam', 'MaxItems', ctx.params.MaxItems, 1, 1000);
  const p = paginate(all, {
    token: str(ctx.params, 'Marker'),
    requested: maxItems,
    defaultSize: 100,
    cap: ctx.cap,
    params: ctx.params,
    badToken: () => validationError('iam', 'Invalid Marker.'),
  });
  return { items: p.items, tail: { IsTruncated: p.nextToken !== undefined, Marker: p.nextToken } };
}

function findPolicy(ctx: Ctx) {
  const arn = required(ctx, 'PolicyArn');
  if (!/^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\//.test(arn)) throw new ApiError('InvalidInput', `ARN ${arn} is not valid.`);
  const policy = ctx.world.iam.policies.find((p) => p.arn === arn);
  if (!policy) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
  return policy;
}

type IamPolicy = World['iam']['policies'][number];

/** How many roles attach each managed policy, and use it as their boundary (the world has no users or groups). */
export function attachments(world: World): { attached: Map<string, number>; boundaries: Map<string, number> } {
  const attached = new Map<string, number>();
  const boundaries = new Map<string, number>();
  for (const r of world.iam.roles) {
    for (const a of new Set(r.attachedPolicyArns)) attached.set(a, (attached.get(a) ?? 0) + 1);
    if (r.permissionsBoundaryArn) boundaries.set(r.permissionsBoundaryArn, (boundaries.get(r.permissionsBoundaryArn) ?? 0) + 1);
  }
  return { attached, boundaries };
}

/** The Policy shape of GetPolicy; GetAccountAuthorizationDetails adds PolicyVersionList (ManagedPolicyDetail). */
export function managedPolicyXml(p: IamPolicy, counts: ReturnType<typeof attachments>): { [key: string]: XmlValue } {
  return {
    PolicyName: p.name ?? p.arn.slice(p.arn.lastIndexOf('/') + 1),
    PolicyId: fakeId('ANPA', p.arn),
    Arn: p.arn,
    Path: p.arn.slice(p.arn.indexOf(':policy') + 7, p.arn.lastIndexOf('/') + 1),
    DefaultVersionId: p.defaultVersionId,
    AttachmentCount: counts.attached.get(p.arn) ?? 0,
    PermissionsBoundaryUsageCount: counts.boundaries.get(p.arn) ?? 0,
    IsAttachable: true,
    CreateDate: CREATED,
    UpdateDate: CREATED,
  };
}

type IamProfile = World['iam']['instanceProfiles'][number];

/** The InstanceProfile shape (GetInstanceProfile, and RoleDetail.InstanceProfileList), its roles in the short Role shape. */
export function instanceProfileXml(ctx: Ctx, p: IamProfile, role: (name: string) => IamRole): XmlValue {
  const arn = `arn:aws:iam::${ctx.world.accountId}:instance-profile${p.path}${p.name}`;
  return {
    Path: p.path,
    InstanceProfileName: p.name,
    InstanceProfileId: fakeId('AIPA', arn),
    Arn: arn,
    CreateDate: CREATED,
    Roles: members(p.roles.map((r) => roleXml(ctx, role(r), false))),
    Tags: members([]),
  };
}

export const policyNameOf = (world: World, arn: string): string =>
  world.iam.policies.find((p) => p.arn === arn)?.name ?? arn.slice(arn.lastIndexOf('/') + 1);

const iam: Record<string, QueryHandler> = {
  GetInstanceProfile: (ctx) => {
    const name = required(ctx, 'InstanceProfileName');
    const p = ctx.world.iam.instanceProfiles.find((x) => x.name.toLowerCase() === name.toLowerCase());
    if (!p) throw noSuchEntity(`Instance Profile ${name} cannot be found.`);
    return { InstanceProfile: instanceProfileXml(ctx, p, (n) => findRole(ctx, n)) };
  },
  GetRole: (ctx) => ({ Role: roleXml(ctx, findRole(ctx, required(ctx, 'RoleName')), true) }),
  ListAttachedRolePolicies: (ctx) => {
    const role = findRole(ctx, required(ctx, 'RoleName'));
    const prefix = str(ctx.params, 'PathPrefix') ?? '/';
    const arns = role.attachedPolicyArns.filter((a) => a.slice(a.indexOf(':policy') + 7).startsWith(prefix));
    const { items, tail } = page(ctx, arns);
    return { AttachedPolicies: members(items.map((a) => ({ PolicyName: policyNameOf(ctx.world, a), PolicyArn: a }))), ...tail };
  },
  ListRolePolicies: (ctx) => {
    const role = findRole(ctx, required(ctx, 'RoleName'));
    const { items, tail } = page(ctx, Object.keys(role.inlinePolicies));
    return { PolicyNames: members(items), ...tail };
  },
  GetRolePolicy: (ctx) => {
    const role = findRole(ctx, required(ctx, 'RoleName'));
    const name = required(ctx, 'PolicyName');
    const doc = role.inlinePolicies[name];
    if (!doc) throw noSuchEntity(`The role policy with name ${name} cannot be found.`);
    return { RoleName: role.name, PolicyName: name, PolicyDocument: encodePolicy(doc) };
  },
  GetPolicy: (ctx) => ({ Policy: managedPolicyXml(findPolicy(ctx), attachments(ctx.world)) }),
  GetPolicyVersion: (ctx) => {
    const p = findPolicy(ctx);
    const version = required(ctx, 'VersionId');
    if (version !== p.defaultVersionId) throw noSuchEntity(`Policy ${p.arn} version ${version} does not exist or is not attachable.`);
    return { PolicyVersion: { Document: encodePolicy(p.document), VersionId: version, IsDefaultVersion: true, CreateDate: CREATED } };
  },
};

const sts: Record<string, QueryHandler> = {
  GetCallerIdentity: (ctx) => {
    const arn = callerArn(ctx.world);
    const assumed = /:assumed-role\/[^/]+\/(.+)$/.exec(arn);
    const userId = arn.endsWith(':root')
      ? ctx.world.accountId
      : assumed
        ? `${fakeId('AROA', arn.replace(/\/[^/]+$/, ''))}:${assumed[1]}`
        : fakeId('AIDA', arn);
    return { UserId: userId, Account: ctx.world.accountId, Arn: arn };
  },
};

export const iamHandlers = iam;
export const stsHandlers = sts;
