/**
 * The "world": the AWS account state the fake endpoint serves.
 * JSON-loadable (scenario folders can hold a world.json) and zod-validated.
 * Use `WorldInput` when authoring (defaults optional), `World` after parsing.
 */
import { z } from 'zod';
import { backupIssues, backupJobSchema, backupPlanSchema } from './backup-world.js';

/** ISO-8601 timestamp string, e.g. '2026-01-01T10:00:00Z'. */
const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), { message: 'expected an ISO-8601 timestamp' });
const strMap = z.record(z.string(), z.string());

export const instanceStates = ['pending', 'running', 'shutting-down', 'terminated', 'stopping', 'stopped'] as const;

export const instanceSchema = z.object({
  instanceId: z.string().regex(/^i-[0-9a-zA-Z]+$/, 'instance ids look like i-0123abcd'),
  instanceType: z.string().default('t3.medium'),
  /** EC2 reports `platform` only for Windows (lowercase 'windows'). */
  platform: z.literal('windows').optional(),
  /** Defaults to 'Windows' / 'Linux/UNIX' from `platform`. */
  platformDetails: z.string().optional(),
  /** Defaults from platformDetails (RunInstances:0002 for Windows, RunInstances for Linux/UNIX). */
  usageOperation: z.string().optional(),
  state: z.enum(instanceStates).default('running'),
  tags: strMap.optional(),
  iamInstanceProfileArn: z.string().startsWith('arn:').optional(),
  launchTime: isoTime.default('2026-01-01T00:00:00.000Z'),
  privateIpAddress: z.string().optional(),
  vpcId: z.string().default('vpc-0fake0000000000001'),
  subnetId: z.string().default('subnet-0fake000000000001'),
  imageId: z.string().default('ami-0fake000000000001'),
  architecture: z.enum(['x86_64', 'arm64', 'i386', 'x86_64_mac', 'arm64_mac']).default('x86_64'),
  /** Instances sharing a reservationId are grouped together; default: one reservation per instance. */
  reservationId: z.string().optional(),
});

export const ssmInstanceSchema = z.object({
  instanceId: z.string(),
  pingStatus: z.enum(['Online', 'ConnectionLost', 'Inactive']).default('Online'),
  lastPingDateTime: isoTime.default('2026-01-01T00:00:00Z'),
  agentVersion: z.string().default('3.3.1142.0'),
  isLatestVersion: z.boolean().default(false),
  platformType: z.enum(['Windows', 'Linux', 'MacOS']),
  platformName: z.string(),
  platformVersion: z.string(),
  /** Only reported when set (e.g. instance-profile role or DHMC role name). */
  iamRole: z.string().optional(),
  computerName: z.string().optional(),
  /** Defaults to the EC2 instance's privateIpAddress when known. */
  ipAddress: z.string().optional(),
  associationStatus: z.string().optional(),
  resourceType: z.enum(['EC2Instance', 'ManagedInstance']).default('EC2Instance'),
});

const inventoryValue = z.union([z.string(), z.number(), z.boolean()]);
export const inventoryTypeSchema = z.object({
  captureTime: isoTime,
  /** Default per type: AWS:Application 1.1, others 1.0. */
  schemaVersion: z.string().optional(),
  entries: z.array(z.record(z.string(), inventoryValue)).default([]),
});

export const serviceSettingSchema = z.object({
  value: z.string(),
  status: z.enum(['Default', 'Customized', 'PendingUpdate']).default('Customized'),
  lastModifiedDate: isoTime.default('2026-01-01T00:00:00Z'),
  lastModifiedUser: z.string().optional(),
});

export const commandInvocationSchema = z.object({
  commandId: z.string(),
  instanceId: z.string(),
  documentName: z.string(),
  documentVersion: z.string().default('$DEFAULT'),
  status: z.enum(['Pending', 'InProgress', 'Delayed', 'Success', 'Cancelled', 'TimedOut', 'Failed', 'Cancelling']),
  statusDetails: z.string().optional(),
  requestedDateTime: isoTime,
  comment: z.string().default(''),
  plugins: z
    .array(
      z.object({
        name: z.string(),
        status: z.enum(['Pending', 'InProgress', 'Success', 'TimedOut', 'Cancelled', 'Failed']),
        output: z.string().default(''),
        responseCode: z.number().int().default(0),
        responseStartDateTime: isoTime.optional(),
        responseFinishDateTime: isoTime.optional(),
      }),
    )
    .default([]),
});

export const volumeSchema = z.object({
  volumeId: z.string().regex(/^vol-[0-9a-f]+$/, 'volume ids look like vol-0123abcd'),
  /** GiB. */
  size: z.number().int().min(1).default(100),
  volumeType: z.enum(['gp2', 'gp3', 'io1', 'io2', 'st1', 'sc1', 'standard']).default('gp3'),
  multiAttachEnabled: z.boolean().default(false),
  /** Default: <region>a. */
  availabilityZone: z.string().optional(),
  encrypted: z.boolean().default(false),
  tags: strMap.optional(),
  /** State is derived: 'in-use' with attachments, 'available' without. */
  attachments: z
    .array(z.object({ instanceId: z.string(), device: z.string(), deleteOnTermination: z.boolean().default(false) }))
    .default([]),
});

export const vpcEndpointStates = ['pendingAcceptance', 'pending', 'available', 'deleting', 'deleted', 'rejected', 'failed', 'expired'] as const;

export const vpcEndpointSchema = z.object({
  vpcEndpointId: z.string().regex(/^vpce-[0-9a-z]+$/, 'endpoint ids look like vpce-0123abcd'),
  vpcId: z.string(),
  /** Service short name: 'ssm', 'ec2', 'ssmmessages', 'ec2messages', 's3', … → serviceName com.amazonaws.<region>.<service>. */
  service: z.string().min(1),
  /** Default: 'Gateway' for s3 and dynamodb, 'Interface' otherwise. */
  type: z.enum(['Interface', 'Gateway', 'GatewayLoadBalancer']).optional(),
  state: z.enum(vpcEndpointStates).default('available'),
  /** Default: true for Interface endpoints, false otherwise. */
  privateDnsEnabled: z.boolean().optional(),
  /** Default: ['subnet-0fake000000000001'] for Interface endpoints, [] otherwise. */
  subnetIds: z.array(z.string()).optional(),
});

export const optInStatuses = ['opt-in-not-required', 'opted-in', 'not-opted-in'] as const;

export const regionSchema = z.object({
  optInStatus: z.enum(optInStatuses).default('opt-in-not-required'),
  instances: z.array(instanceSchema).default([]),
  ssm: z.array(ssmInstanceSchema).default([]),
  /** instanceId -> inventory type name (AWS:Application, AWS:AWSComponent, AWS:PatchSummary, Custom:...) -> data. */
  inventory: z.record(z.string(), z.record(z.string(), inventoryTypeSchema)).default({}),
  /** SettingId (path form, e.g. /ssm/managed-instance/default-ec2-instance-management-role) -> value. */
  serviceSettings: z.record(z.string(), serviceSettingSchema).default({}),
  commandInvocations: z.array(commandInvocationSchema).default([]),
  volumes: z.array(volumeSchema).default([]),
  vpcEndpoints: z.array(vpcEndpointSchema).default([]),
  /** AWS Backup plans (each with its selections) and jobs: see backup-world.ts. */
  backupPlans: z.array(backupPlanSchema).default([]),
  backupJobs: z.array(backupJobSchema).default([]),
});

const policyDocument = z.record(z.string(), z.unknown());

export const iamSchema = z.object({
  instanceProfiles: z
    .array(z.object({ name: z.string(), path: z.string().default('/'), roles: z.array(z.string()).default([]) }))
    .default([]),
  roles: z
    .array(
      z.object({
        name: z.string(),
        path: z.string().default('/'),
        description: z.string().optional(),
        permissionsBoundaryArn: z.string().optional(),
        attachedPolicyArns: z.array(z.string()).default([]),
        inlinePolicies: z.record(z.string(), policyDocument).default({}),
        /** Default: trust policy allowing ec2.amazonaws.com. */
        assumeRolePolicyDocument: policyDocument.optional(),
        tags: strMap.optional(),
      }),
    )
    .default([]),
  /** Managed policies, customer (arn:aws:iam::<acct>:policy/...) and AWS (arn:aws:iam::aws:policy/...). */
  policies: z
    .array(
      z.object({
        arn: z.string().startsWith('arn:'),
        /** Default: last segment of the ARN. */
        name: z.string().optional(),
        defaultVersionId: z.string().default('v1'),
        document: policyDocument,
      }),
    )
    .default([]),
});

export const faultsSchema = z.object({
  /** action '*' matches every action of the service; region omitted = every region. */
  deny: z.array(z.object({ service: z.string(), action: z.string(), region: z.string().optional() })).default([]),
  /** The first `times` matching calls get the service's throttling error. */
  throttle: z
    .array(z.object({ service: z.string(), action: z.string(), times: z.number().int().min(1), region: z.string().optional() }))
    .default([]),
  /** Keyed by 'Action' or 'service:Action': cap items per page below what the client asked. */
  maxPageSize: z.record(z.string(), z.number().int().min(1)).default({}),
  /** GetAccountAuthorizationDetails leaves RoleDetail.PermissionsBoundary out, as reported in 2018 (awsdocs/iam-user-guide#81). */
  listingWithoutBoundaries: z.boolean().optional(),
});

/** Account states of organizations:ListAccounts (Account.State; the older Status was retired on 2026-09-09). */
export const accountStates = ['PENDING_ACTIVATION', 'ACTIVE', 'SUSPENDED', 'PENDING_CLOSURE', 'CLOSED'] as const;

/** One AWS account's state: the world's own (the caller's), and each of world.accounts. */
const accountFields = {
    accountId: z.string().regex(/^\d{12}$/, 'accountId must be 12 digits'),
    /** Identity returned by sts:GetCallerIdentity; default arn:aws:iam::<acct>:user/vss-preflight-test. */
    callerArn: z.string().startsWith('arn:').optional(),
    regions: z.record(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'region names look like eu-west-1'), regionSchema),
    iam: iamSchema.default({ instanceProfiles: [], roles: [], policies: [] }),
    /**
     * Service control policies for SimulatePrincipalPolicy, applied to every role. Each entry stands for one
     * level of the account's OU path (root, OUs, account: the SCPs attached there, merged): every entry must
     * Allow the request, and a Deny in any entry denies it. A deny-list level needs its Allow * too.
     */
    organizations: z.object({ scps: z.array(z.object({ name: z.string(), document: policyDocument })).default([]) }).optional(),
    faults: faultsSchema.default({ deny: [], throttle: [], maxPageSize: {} }),
};

const accountId = z.string().regex(/^\d{12}$/, 'account ids are 12 digits');

/** The caller's organization, for organizations:ListAccounts. */
export const organizationSchema = z.object({
  /** Default: the world's own account. */
  managementAccountId: accountId.optional(),
  /** Member accounts registered as delegated administrator for AWS Organizations: they may list accounts too. */
  delegatedAdministrators: z.array(accountId).default([]),
  /** Every account of the organization, the management account included (ListAccounts lists it too). */
  accounts: z
    .array(
      z.object({
        id: accountId,
        name: z.string().min(1),
        email: z.string().default('aws@example.com'),
        state: z.enum(accountStates).default('ACTIVE'),
        joinedTimestamp: isoTime.default('2025-01-01T00:00:00Z'),
      }),
    )
    .default([]),
});

export const accountSchema = z.object(accountFields);

export const worldSchema = z
  .object({
    ...accountFields,
    /** Further accounts the endpoint serves; reached with credentials from sts:AssumeRole into one of their roles. */
    accounts: z.array(accountSchema).default([]),
    organization: organizationSchema.optional(),
    /**
     * How GetInventory applies several filters on one inventory type, which its API reference does
     * not say: 'per-node' (the default), each filter by any entry of the node; 'per-entry', all of
     * them by one entry, as ListInventoryEntries' filters are.
     */
    inventoryFilterMatch: z.enum(['per-node', 'per-entry']).default('per-node'),
  })
  .superRefine((w, ctx) => {
    const ids = new Set<string>();
    [w, ...w.accounts].forEach((account, n) => {
      const at = n === 0 ? [] : ['accounts', n - 1];
      if (ids.has(account.accountId)) ctx.addIssue({ code: 'custom', path: [...at, 'accountId'], message: `duplicate account ${account.accountId}` });
      ids.add(account.accountId);
      for (const { path, message } of accountIssues(account)) ctx.addIssue({ code: 'custom', path: [...at, ...path], message });
    });
  });

function accountIssues(w: z.infer<typeof accountSchema>): { path: string[]; message: string }[] {
  const issues: { path: string[]; message: string }[] = [];
  const issue = (path: string[], message: string) => issues.push({ path, message });
  for (const [region, r] of Object.entries(w.regions)) {
    const seen = new Set<string>();
    for (const i of r.instances) {
      if (seen.has(i.instanceId)) issue(['regions', region], `duplicate instance ${i.instanceId}`);
      seen.add(i.instanceId);
    }
    const vols = new Set<string>();
    for (const v of r.volumes) {
      if (vols.has(v.volumeId)) issue(['regions', region], `duplicate volume ${v.volumeId}`);
      vols.add(v.volumeId);
      if (!v.multiAttachEnabled && v.attachments.length > 1) issue(['regions', region], `volume ${v.volumeId} has several attachments but multiAttachEnabled is false`);
    }
    for (const message of backupIssues(r.backupPlans, r.backupJobs)) issue(['regions', region], message);
  }
  const roleNames = new Set(w.iam.roles.map((r) => r.name));
  for (const p of w.iam.instanceProfiles) {
    for (const role of p.roles) if (!roleNames.has(role)) issue(['iam', 'instanceProfiles'], `profile ${p.name} references unknown role ${role}`);
    if (p.roles.length > 1) issue(['iam', 'instanceProfiles'], `profile ${p.name}: an instance profile holds at most one role`);
  }
  return issues;
}

export type World = z.infer<typeof worldSchema>;
export type Account = z.infer<typeof accountSchema>;
export type WorldInput = z.input<typeof worldSchema>;
export type Region = World['regions'][string];
export type Instance = Region['instances'][number];
export type SsmInstance = Region['ssm'][number];
export type Volume = Region['volumes'][number];
export type VpcEndpoint = Region['vpcEndpoints'][number];
export type InventoryType = z.infer<typeof inventoryTypeSchema>;
export type IamRole = World['iam']['roles'][number];

/**
 * The world as one account sees it: that account's regions, IAM and faults, the organization
 * shared. Handlers read `ctx.world`, so serving another account is serving its view.
 */
export function accountView(world: World, accountId: string, callerArn?: string): World {
  const account = accountId === world.accountId ? world : world.accounts.find((a) => a.accountId === accountId);
  if (!account) throw new Error(`fake-aws: no account ${accountId} in the world`);
  return { ...account, accounts: world.accounts, organization: world.organization, inventoryFilterMatch: world.inventoryFilterMatch, ...(callerArn ? { callerArn } : {}) };
}

/** Parse and validate (throws a readable ZodError on bad input). */
export function parseWorld(input: unknown): World {
  return worldSchema.parse(input);
}

/** Regions the account has: the world's, plus us-east-1 always (opt-in-not-required). */
export function accountRegions(world: World): Array<[string, Region]> {
  const out = Object.entries(world.regions);
  if (!world.regions['us-east-1']) out.push(['us-east-1', regionSchema.parse({})]);
  return out.sort(([a], [b]) => a.localeCompare(b));
}

const emptyRegion: Region = regionSchema.parse({});
/** The region's state; a region absent from the world is served as an empty region. */
export function regionOf(world: World, region: string): Region {
  return world.regions[region] ?? emptyRegion;
}
