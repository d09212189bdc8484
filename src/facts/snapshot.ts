import { z } from 'zod';
import { known } from './known.js';

/**
 * The facts snapshot: everything the rules may look at, collected once and validated once.
 * Field names keep AWS's meaning; each comment names the API field it comes from.
 */
/**
 * 2: regionFacts keyed "account/region" (was region), so one snapshot can hold several accounts;
 * inventory may be presence-only (GetInventory listed the package, its version was not read) or
 * absence-only (GetInventory's filters showed inventory without the package).
 */
export const SNAPSHOT_SCHEMA_VERSION = 2;

const isoDate = z.string().datetime({ offset: true });

/** ssm:DescribeInstanceInformation → InstanceInformation (SSM-API). */
export const ssmInfo = z.object({
  pingStatus: z.string(), // Online | ConnectionLost | Inactive
  lastPingDateTime: isoDate.nullable(),
  agentVersion: z.string().nullable(),
  platformType: z.string().nullable(), // Windows | Linux | MacOS
  platformName: z.string().nullable(),
  platformVersion: z.string().nullable(),
  resourceType: z.string().nullable(),
  iamRole: z.string().nullable(), // only for DHMC/Quick Setup/hybrid nodes; not the instance profile
});
export type SsmInfo = z.infer<typeof ssmInfo>;

/** One inventory row that looks like AwsVssComponents (AWS:Application or AWS:AWSComponent). */
export const inventoryPackage = z.object({
  typeName: z.string(),
  name: z.string(),
  version: z.string().nullable(),
  publisher: z.string().nullable(),
});

/** ssm:ListInventoryEntries; captureTime null = the node never reported that inventory type. */
export const inventoryEntries = z.strictObject({
  captureTime: isoDate.nullable(),
  vssComponents: inventoryPackage.nullable(),
});
export type InventoryEntries = z.infer<typeof inventoryEntries>;

/**
 * AwsVssComponents generations, by the EC2 requests they make (src/iam/vss-requests.ts):
 * 2.3.1 or later, 2.2.1 to 2.3.0, before 2.2.1.
 */
export const packageGeneration = z.enum(['tagged', 'describe-attribute', 'legacy']);
export type PackageGeneration = z.infer<typeof packageGeneration>;

/**
 * ssm:GetInventory (a filter on <type>.Name) lists the package, and ListInventoryEntries was not
 * called: the version decides no verdict here, or GetInventory's Version filters told its
 * generation. The exact Version and CaptureTime are not known.
 */
export const inventoryPresence = z.strictObject({
  /** The inventory type whose Name filter matched: AWS:Application or AWS:AWSComponent. */
  listedUnder: z.string(),
  /** Why the entries (Version, CaptureTime) were not read. */
  versionNotRead: z.string().min(1),
  /** The generation the Version falls in, when GetInventory's <type>.Version filters told it. */
  generation: packageGeneration.optional(),
});
export type InventoryPresence = z.infer<typeof inventoryPresence>;

/**
 * ssm:GetInventory's filters found AWS:Application inventory for the node and no entry named like
 * the package under AWS:Application or AWS:AWSComponent, so ListInventoryEntries was not called:
 * the package is missing, and the CaptureTime is not known.
 */
export const inventoryAbsence = z.strictObject({
  /** How the filters showed it, for the finding. */
  notListed: z.string().min(1),
});
export type InventoryAbsence = z.infer<typeof inventoryAbsence>;

export const inventoryFacts = z.union([inventoryEntries, inventoryPresence, inventoryAbsence]);
export type InventoryFacts = z.infer<typeof inventoryFacts>;

/** One run of AWSEC2-CreateVssSnapshot (ssm:ListCommandInvocations). */
export const vssRun = z.object({
  commandId: z.string(),
  requestedDateTime: isoDate.nullable(),
  status: z.string(), // Success | Failed | TimedOut | Cancelled | InProgress | ...
  statusDetails: z.string().nullable(),
  output: z.string().nullable(), // the start of the plugin output
});
export type VssRun = z.infer<typeof vssRun>;

export const instanceFacts = z.object({
  instanceId: z.string().regex(/^i-[0-9a-f]+$/),
  accountId: z.string().regex(/^\d{12}$/),
  region: z.string().min(1),
  name: z.string().nullable(), // the Name tag
  tags: z.record(z.string(), z.string()),
  state: z.string(), // State.Name
  instanceType: z.string(),
  platform: z.string().nullable(), // Platform: 'windows' or absent
  platformDetails: z.string().nullable(), // PlatformDetails (billing), e.g. 'Windows BYOL'
  instanceProfileArn: z.string().nullable(), // IamInstanceProfile.Arn
  vpcId: z.string().nullable(), // VpcId
  subnetId: z.string().nullable(), // SubnetId
  /** value undefined-free: null = not listed by DescribeInstanceInformation (not managed). */
  ssm: known(ssmInfo.nullable()),
  /** Only collected where the verdict depends on it (Windows, SSM-managed); entries only where the version decides. */
  inventory: known(inventoryFacts),
  /** Read by diagnose only: the last VSS document runs on the instance. */
  vssRuns: known(z.array(vssRun)).optional(),
});
export type InstanceFacts = z.infer<typeof instanceFacts>;

/** iam:GetInstanceProfile → Roles[] (a profile holds at most one role). */
export const instanceProfileFacts = z.object({
  name: z.string(),
  roleArns: z.array(z.string()),
});
export type InstanceProfileFacts = z.infer<typeof instanceProfileFacts>;

export const policyFacts = z.object({
  name: z.string(),
  arn: z.string().nullable(), // null for inline policies
  document: z.unknown(), // the parsed (URL-decoded) policy JSON
});
export type PolicyFacts = z.infer<typeof policyFacts>;

/** The role's effective permission inputs: iam:GetRole, List/GetRolePolicy, ListAttachedRolePolicies, GetPolicyVersion. */
export const roleFacts = z.object({
  name: z.string(),
  arn: z.string(),
  attachedPolicies: z.array(policyFacts),
  inlinePolicies: z.array(policyFacts),
  permissionsBoundary: policyFacts.nullable(),
});
export type RoleFacts = z.infer<typeof roleFacts>;

export const regionFacts = z.object({
  /** ssm:GetServiceSetting(/ssm/managed-instance/default-ec2-instance-management-role): the role (path/)name, null = off. */
  defaultHostManagementRole: known(z.string().nullable()),
  /** ec2:DescribeVpcEndpoints (available): VpcId → ServiceName[], e.g. com.amazonaws.eu-west-1.ssm. */
  vpcEndpoints: known(z.record(z.string(), z.array(z.string()))),
  /** ec2:DescribeVolumes(multi-attach-enabled=true): InstanceId → VolumeId[] attached to it. */
  multiAttachVolumes: known(z.record(z.string(), z.array(z.string()))),
});
export type RegionFacts = z.infer<typeof regionFacts>;

export const scanError = z.object({
  service: z.string(),
  action: z.string(),
  region: z.string().nullable(), // null for global services (IAM)
  code: z.string(),
  message: z.string(),
  count: z.number().int().positive().optional(), // identical errors are listed once
  /** The account the call was made in; set when a snapshot holds several accounts (merge, --accounts). */
  accountId: z.string().regex(/^\d{12}$/).optional(),
});
export type ScanError = z.infer<typeof scanError>;

export const snapshot = z.object({
  schemaVersion: z.literal(SNAPSHOT_SCHEMA_VERSION),
  generatedAt: isoDate,
  /** Every account the snapshot covers, including one whose role could not be assumed (see errors). */
  accountIds: z.array(z.string()),
  regions: z.array(z.string()),
  /** Per "account/region" (regionFactsKey): region settings differ between accounts. */
  regionFacts: z.record(z.string(), regionFacts),
  instances: z.array(instanceFacts),
  instanceProfiles: z.record(z.string(), known(instanceProfileFacts)), // by profile ARN
  roles: z.record(z.string(), known(roleFacts)), // by role ARN: instance roles, DHMC roles, the backup role
  /**
   * Per "account/region": iam:SimulatePrincipalPolicy's OrganizationsDecisionDetail for the VSS EC2
   * actions (action → AllowedByOrganizations, null = no SCP detail), and the role it simulated.
   */
  scps: z.record(z.string(), known(z.object({ principal: z.string(), allowedByOrganizations: z.record(z.string(), z.boolean().nullable()) }))),
  /** The IAM role AWS Backup uses (a plan selection's IamRoleArn, or --backup-role); null when not known. */
  backupRoleArn: z.string().nullable(),
  /** Per instance, the role of the plan selection that covers it (check-plan); wins over backupRoleArn. */
  backupRoleArns: z.record(z.string(), z.string()).optional(),
  errors: z.array(scanError),
});
export type Snapshot = z.infer<typeof snapshot>;
export type ScpFacts = Snapshot['scps'][string];

/** The key of regionFacts and scps: `111122223333/eu-west-1`. */
export const regionFactsKey = (accountId: string, region: string) => `${accountId}/${region}`;

/** A snapshot with no facts yet: the start of a merge, or an account that could not be read at all. */
export const emptySnapshot = (generatedAt: string, accountIds: string[] = []): Snapshot => ({
  schemaVersion: SNAPSHOT_SCHEMA_VERSION,
  generatedAt,
  accountIds,
  regions: [],
  regionFacts: {},
  instances: [],
  instanceProfiles: {},
  roles: {},
  scps: {},
  backupRoleArn: null,
  errors: [],
});
