/**
 * IAM GetAccountAuthorizationDetails (awsQuery): the account's users, groups, roles and managed
 * policies in one paged listing, as the IAM API reference describes it:
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html
 */
import type { Ctx, QueryHandler } from './context.js';
import { validationError } from './errors.js';
import { attachments, CREATED, encodePolicy, instanceProfileXml, managedPolicyXml, noSuchEntity, page, roleXml } from './iam.js';
import { strList } from './query.js';
import type { IamRole, World } from './world.js';
import { members, type XmlValue } from './xml.js';

const ENTITY_TYPES = ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'] as const;
type EntityType = (typeof ENTITY_TYPES)[number];

type IamPolicy = World['iam']['policies'][number];
type Entity = { kind: 'role'; role: IamRole } | { kind: 'policy'; policy: IamPolicy };

const isAwsManaged = (arn: string) => /^arn:aws[a-z-]*:iam::aws:policy\//.test(arn);

/** Filter.member.N, checked against the EntityType enum; no filter means every type. */
function entityTypes(ctx: Ctx): Set<EntityType> {
  const asked = strList(ctx.params, 'Filter');
  const bad = asked.find((t) => !(ENTITY_TYPES as readonly string[]).includes(t));
  if (bad !== undefined) {
    throw validationError(
      'iam',
      `1 validation error detected: Value '[${asked.join(', ')}]' at 'filter' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [${ENTITY_TYPES.join(', ')}]]`,
    );
  }
  return new Set(asked.length ? (asked as EntityType[]) : ENTITY_TYPES);
}

/**
 * The entities a request lists, in a stable order (users, groups, roles, policies: the world has
 * no users or groups). LocalManagedPolicy is every customer managed policy. AWSManagedPolicy is
 * only the AWS managed policies attached to something in the account, not AWS's whole catalogue:
 * the CLI reference's example lists AmazonEC2FullAccess with AttachmentCount 1, and tools that
 * need the catalogue add iam:ListPolicies (joshlarsen/aws-recon#21: "in-use" policies come from
 * this call). AWS does not document it; moto, in contrast, returns the whole catalogue.
 */
function entities(world: World, types: Set<EntityType>, attached: Map<string, number>): Entity[] {
  const out: Entity[] = [];
  if (types.has('Role')) for (const role of world.iam.roles) out.push({ kind: 'role', role });
  for (const policy of world.iam.policies) {
    const aws = isAwsManaged(policy.arn);
    if (aws ? types.has('AWSManagedPolicy') && (attached.get(policy.arn) ?? 0) > 0 : types.has('LocalManagedPolicy')) {
      out.push({ kind: 'policy', policy });
    }
  }
  return out;
}

/** Built once per request, so a page of 1000 roles costs one pass over the world. */
interface Index {
  roles: Map<string, IamRole>; // by lower-cased name: IAM names are unique case-insensitively
  profiles: Map<string, World['iam']['instanceProfiles']>; // by lower-cased role name
  policyNames: Map<string, string>; // by ARN
}

function indexOf(world: World): Index {
  const profiles = new Map<string, World['iam']['instanceProfiles']>();
  for (const p of world.iam.instanceProfiles) {
    for (const name of p.roles) profiles.set(name.toLowerCase(), [...(profiles.get(name.toLowerCase()) ?? []), p]);
  }
  return {
    roles: new Map(world.iam.roles.map((r) => [r.name.toLowerCase(), r])),
    profiles,
    policyNames: new Map(world.iam.policies.flatMap((p) => (p.name ? [[p.arn, p.name] as const] : []))),
  };
}

/** RoleDetail: the role with its instance profiles, inline and attached policies, boundary and tags. */
function roleDetail(ctx: Ctx, r: IamRole, index: Index): XmlValue {
  const role = (name: string) => {
    const found = index.roles.get(name.toLowerCase());
    if (!found) throw noSuchEntity(`The role with name ${name} cannot be found.`);
    return found;
  };
  const { Description: _d, MaxSessionDuration: _m, PermissionsBoundary, ...base } = roleXml(ctx, r, true) as Record<string, XmlValue>;
  const policyName = (arn: string) => index.policyNames.get(arn) ?? arn.slice(arn.lastIndexOf('/') + 1);
  return {
    ...base,
    ...(ctx.world.faults.listingWithoutBoundaries ? {} : { PermissionsBoundary }),
    // RoleDetail has no Description or MaxSessionDuration (API_RoleDetail.html); the rest as GetRole.
    InstanceProfileList: members((index.profiles.get(r.name.toLowerCase()) ?? []).map((p) => instanceProfileXml(ctx, p, role))),
    RolePolicyList: members(Object.entries(r.inlinePolicies).map(([PolicyName, doc]) => ({ PolicyName, PolicyDocument: encodePolicy(doc) }))),
    AttachedManagedPolicies: members(r.attachedPolicyArns.map((a) => ({ PolicyName: policyName(a), PolicyArn: a }))),
  };
}

/** ManagedPolicyDetail: GetPolicy's shape plus every version (the world keeps one, the default). */
function policyDetail(p: IamPolicy, counts: ReturnType<typeof attachments>): XmlValue {
  return {
    ...managedPolicyXml(p, counts),
    PolicyVersionList: members([{ Document: encodePolicy(p.document), VersionId: p.defaultVersionId, IsDefaultVersion: true, CreateDate: CREATED }]),
  };
}

export const iamAuthorizationHandlers: Record<string, QueryHandler> = {
  GetAccountAuthorizationDetails: (ctx) => {
    const types = entityTypes(ctx);
    const counts = attachments(ctx.world);
    // MaxItems 1–1000 (default 100) and Marker, as the other IAM listings; each entity counts as an item.
    const { items, tail } = page(ctx, entities(ctx.world, types, counts.attached));
    const index = indexOf(ctx.world);
    const roles: XmlValue[] = [];
    const policies: XmlValue[] = [];
    for (const e of items) {
      if (e.kind === 'role') roles.push(roleDetail(ctx, e.role, index));
      else policies.push(policyDetail(e.policy, counts));
    }
    return { UserDetailList: members([]), GroupDetailList: members([]), RoleDetailList: members(roles), Policies: members(policies), ...tail };
  },
};
