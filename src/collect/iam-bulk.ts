import { paginateGetAccountAuthorizationDetails, type IAMClient, type ManagedPolicyDetail, type RoleDetail } from '@aws-sdk/client-iam';
import type { InstanceProfileFacts, PolicyFacts } from '../facts/snapshot.js';
import { nameFromArn } from '../facts/arn.js';
import { parseDocument } from './iam.js';

/** The part of a role the snapshot keeps; its managed policies are looked up separately. */
export interface BulkRole {
  arn: string;
  attachedPolicyArns: string[];
  inlinePolicies: PolicyFacts[];
  boundaryArn: string | undefined;
}

/**
 * The account's roles, instance profiles and customer managed policies from
 * iam:GetAccountAuthorizationDetails, looked up the way the per-item reads would find them.
 */
export interface AccountAuthorization {
  /** undefined: not listed (a profile without a role, another account's profile): read it on its own. */
  instanceProfile(arn: string): InstanceProfileFacts | undefined;
  role(arn: string): BulkRole | undefined;
  /** A customer managed policy's default version; undefined when not listed (AWS managed policies never are). */
  customerPolicy(arn: string): PolicyFacts | undefined;
  /**
   * False when the listing looks as if it left the roles' permissions boundaries out: some
   * customer managed policy is used as a boundary (PermissionsBoundaryUsageCount) yet no listed
   * role names one. RoleDetail documents PermissionsBoundary, but in 2018 the listing was reported
   * to omit it (awsdocs/iam-user-guide#81); a boundary read as absent would let a role pass that
   * AWS refuses, so then each role's boundary is read with iam:GetRole.
   */
  boundariesListed: boolean;
}

/**
 * IAM names are unique within an account whatever their case, and the per-item reads look
 * roles and profiles up by name (GetRole, GetInstanceProfile): so do we, within the account.
 */
const keyOf = (arn: string) => `${arn.split(':')[4] ?? ''}|${nameFromArn(arn).toLowerCase()}`;

/**
 * Pages of 1000 (MaxItems' maximum) filtered to Role and LocalManagedPolicy. AWSManagedPolicy
 * is left out on purpose: it returns every version of every AWS managed policy attached to any
 * user, group or role of the account, most unrelated to instance roles, while the roles the scan
 * needs attach a handful of AWS managed policies that GetPolicy + GetPolicyVersion read once each.
 * RoleDetail carries the permissions boundary (which ListRoles does not), the inline policies
 * (URL-encoded, RFC 3986) and the instance profiles with their roles; instance profiles without a
 * role appear nowhere in the response.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html
 */
export async function readAccountAuthorization(iam: IAMClient): Promise<AccountAuthorization> {
  const roles = new Map<string, RoleDetail>();
  const profiles = new Map<string, InstanceProfileFacts>();
  const policies = new Map<string, ManagedPolicyDetail>();
  let boundaryUses = 0;
  let rolesWithBoundary = 0;
  const pages = paginateGetAccountAuthorizationDetails({ client: iam, pageSize: 1000 }, { Filter: ['Role', 'LocalManagedPolicy'] });
  for await (const page of pages) {
    for (const r of page.RoleDetailList ?? []) {
      if (!r.Arn) continue;
      roles.set(keyOf(r.Arn), r);
      if (r.PermissionsBoundary?.PermissionsBoundaryArn) rolesWithBoundary++;
      for (const p of r.InstanceProfileList ?? []) {
        if (p.Arn) profiles.set(keyOf(p.Arn), { name: nameFromArn(p.Arn), roleArns: (p.Roles ?? []).map((x) => x.Arn ?? '').filter(Boolean) });
      }
    }
    for (const p of page.Policies ?? []) {
      if (!p.Arn) continue;
      policies.set(p.Arn, p);
      boundaryUses += p.PermissionsBoundaryUsageCount ?? 0;
    }
  }
  const parsed = new Map<string, PolicyFacts | undefined>();
  return {
    boundariesListed: boundaryUses === 0 || rolesWithBoundary > 0,
    // Named as the instance references it, as GetInstanceProfile by that name would be.
    instanceProfile: (arn) => {
      const found = profiles.get(keyOf(arn));
      return found && { ...found, name: nameFromArn(arn) };
    },
    role: (arn) => {
      const r = roles.get(keyOf(arn));
      return (
        r && {
          arn: r.Arn ?? arn,
          attachedPolicyArns: (r.AttachedManagedPolicies ?? []).map((p) => p.PolicyArn ?? '').filter(Boolean),
          inlinePolicies: (r.RolePolicyList ?? []).map((p) => ({ name: p.PolicyName ?? '', arn: null, document: parseDocument(p.PolicyDocument) })),
          boundaryArn: r.PermissionsBoundary?.PermissionsBoundaryArn,
        }
      );
    },
    // Parsed once per ARN, so every role attaching it shares one document (and one compiled policy).
    customerPolicy: (arn) => {
      if (!parsed.has(arn)) parsed.set(arn, defaultVersion(policies.get(arn)));
      return parsed.get(arn);
    },
  };
}

function defaultVersion(p: ManagedPolicyDetail | undefined): PolicyFacts | undefined {
  const version = p?.PolicyVersionList?.find((v) => v.IsDefaultVersion ?? v.VersionId === p.DefaultVersionId);
  if (!p?.Arn || !version) return undefined;
  return { name: p.PolicyName ?? nameFromArn(p.Arn), arn: p.Arn, document: parseDocument(version.Document) };
}
