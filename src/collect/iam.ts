import {
  GetInstanceProfileCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  paginateListAttachedRolePolicies,
  paginateListRolePolicies,
  type IAMClient,
} from '@aws-sdk/client-iam';
import pLimit from 'p-limit';
import type { Known } from '../facts/known.js';
import type { InstanceProfileFacts, PolicyFacts, RoleFacts } from '../facts/snapshot.js';
import { nameFromArn } from '../facts/arn.js';
import type { ErrorLog } from './aws-error.js';
import { simulateScps } from './organizations.js';

/** IAM is global with low request limits (vss-facts §7): a few calls at a time. */
const IAM_CONCURRENCY = 4;

/** IAM returns policy documents URL-encoded (RFC 3986); an unparsable one is kept as text for the rule to report. */
export function parseDocument(encoded: string | undefined): unknown {
  const text = decodeURIComponent(encoded ?? '{}');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Reads each distinct instance profile, role and managed policy once, however many instances
 * share them. A refused call makes the affected profile or role unknown, with the action named.
 */
export class IamCollector {
  private readonly limit = pLimit(IAM_CONCURRENCY);
  private readonly policies = new Map<string, Promise<Known<PolicyFacts>>>();

  constructor(
    private readonly iam: IAMClient,
    private readonly errors: ErrorLog,
  ) {}

  private call<T>(action: string, fn: () => Promise<T>): Promise<Known<T>> {
    return this.limit(() => this.errors.attempt({ service: 'iam', action, region: null }, fn));
  }

  async instanceProfile(arn: string): Promise<Known<InstanceProfileFacts>> {
    const name = nameFromArn(arn);
    const got = await this.call('GetInstanceProfile', () => this.iam.send(new GetInstanceProfileCommand({ InstanceProfileName: name })));
    if (!got.known) return got;
    const roles = got.value.InstanceProfile?.Roles ?? [];
    return { known: true, value: { name, roleArns: roles.map((r) => r.Arn ?? '').filter(Boolean) } };
  }

  /** The role's permissions boundary ARN (null: none) by iam:GetRole, where a listing may have left it out. */
  async boundaryOf(arn: string): Promise<Known<string | null>> {
    const got = await this.call('GetRole', () => this.iam.send(new GetRoleCommand({ RoleName: nameFromArn(arn) })));
    return got.known ? { known: true, value: got.value.Role?.PermissionsBoundary?.PermissionsBoundaryArn ?? null } : got;
  }

  async role(arn: string): Promise<Known<RoleFacts>> {
    const RoleName = nameFromArn(arn);
    const [role, attached, inlineNames] = await Promise.all([
      this.call('GetRole', () => this.iam.send(new GetRoleCommand({ RoleName }))),
      this.call('ListAttachedRolePolicies', async () => {
        const arns: string[] = [];
        for await (const page of paginateListAttachedRolePolicies({ client: this.iam, pageSize: 1000 }, { RoleName })) {
          arns.push(...(page.AttachedPolicies ?? []).map((p) => p.PolicyArn ?? '').filter(Boolean));
        }
        return arns;
      }),
      this.call('ListRolePolicies', async () => {
        const names: string[] = [];
        for await (const page of paginateListRolePolicies({ client: this.iam, pageSize: 1000 }, { RoleName })) {
          names.push(...(page.PolicyNames ?? []));
        }
        return names;
      }),
    ]);
    if (!role.known) return role;
    if (!attached.known) return attached;
    if (!inlineNames.known) return inlineNames;

    const boundaryArn = role.value.Role?.PermissionsBoundary?.PermissionsBoundaryArn;
    const [attachedPolicies, inlinePolicies, boundary] = await Promise.all([
      Promise.all(attached.value.map((p) => this.managedPolicy(p))),
      Promise.all(inlineNames.value.map((n) => this.inlinePolicy(RoleName, n))),
      boundaryArn ? this.managedPolicy(boundaryArn) : Promise.resolve(undefined),
    ]);
    const unread = [...attachedPolicies, ...inlinePolicies, ...(boundary ? [boundary] : [])].find((p) => !p.known);
    if (unread && !unread.known) return unread;
    const value = (k: Known<PolicyFacts>) => (k as { value: PolicyFacts }).value;
    return {
      known: true,
      value: {
        name: RoleName,
        arn: role.value.Role?.Arn ?? arn,
        attachedPolicies: attachedPolicies.map(value),
        inlinePolicies: inlinePolicies.map(value),
        permissionsBoundary: boundary ? value(boundary) : null,
      },
    };
  }

  /** SCP decisions for the VSS EC2 actions, simulated with this role as the principal. */
  simulateScps(roleArn: string, region: string): Promise<Known<Record<string, boolean | null>>> {
    return this.call('SimulatePrincipalPolicy', () => simulateScps(this.iam, roleArn, region));
  }

  private async inlinePolicy(RoleName: string, PolicyName: string): Promise<Known<PolicyFacts>> {
    const got = await this.call('GetRolePolicy', () => this.iam.send(new GetRolePolicyCommand({ RoleName, PolicyName })));
    if (!got.known) return got;
    return { known: true, value: { name: PolicyName, arn: null, document: parseDocument(got.value.PolicyDocument) } };
  }

  /** A managed policy's default version, read once per ARN for the whole scan. */
  managedPolicy(PolicyArn: string): Promise<Known<PolicyFacts>> {
    let cached = this.policies.get(PolicyArn);
    if (!cached) {
      cached = this.readManagedPolicy(PolicyArn);
      this.policies.set(PolicyArn, cached);
    }
    return cached;
  }

  private async readManagedPolicy(PolicyArn: string): Promise<Known<PolicyFacts>> {
    const policy = await this.call('GetPolicy', () => this.iam.send(new GetPolicyCommand({ PolicyArn })));
    if (!policy.known) return policy;
    const VersionId = policy.value.Policy?.DefaultVersionId;
    const version = await this.call('GetPolicyVersion', () => this.iam.send(new GetPolicyVersionCommand({ PolicyArn, VersionId })));
    if (!version.known) return version;
    const name = policy.value.Policy?.PolicyName ?? nameFromArn(PolicyArn);
    return { known: true, value: { name, arn: PolicyArn, document: parseDocument(version.value.PolicyVersion?.Document) } };
  }
}
