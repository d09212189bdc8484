import {
  DescribeRegionsCommand,
  paginateDescribeInstances,
  paginateDescribeVolumes,
  paginateDescribeVpcEndpoints,
  type EC2Client,
  type Instance,
} from '@aws-sdk/client-ec2';
import type { InstanceFacts } from '../facts/snapshot.js';
import { interner, type Intern } from './intern.js';

/** Every state but terminated (EC2 instance lifecycle). */
const LIVE_STATES = ['pending', 'running', 'shutting-down', 'stopping', 'stopped'];

/** Instance facts that come from EC2 alone; SSM and inventory are filled in later. */
export type Ec2Instance = Omit<InstanceFacts, 'ssm' | 'inventory'>;

/** One instance, by id or by Name tag (diagnose): the other reads narrow to what it finds. */
export interface Scope {
  instanceId?: string;
  name?: string;
}

/** ec2:DescribeInstances in pages of 1000 (the maximum), terminated instances filtered server-side. */
export async function listInstances(ec2: EC2Client, region: string, scope?: Scope): Promise<Ec2Instance[]> {
  const out: Ec2Instance[] = [];
  // Filters rather than InstanceIds: an unknown id is then an empty answer, not InvalidInstanceID.NotFound.
  const Filters = [
    { Name: 'instance-state-name', Values: LIVE_STATES },
    ...(scope?.instanceId ? [{ Name: 'instance-id', Values: [scope.instanceId] }] : []),
    ...(scope?.name ? [{ Name: 'tag:Name', Values: [scope.name] }] : []),
  ];
  const intern = interner();
  const pages = paginateDescribeInstances({ client: ec2, pageSize: 1000 }, { Filters });
  for await (const page of pages) {
    for (const reservation of page.Reservations ?? []) {
      for (const instance of reservation.Instances ?? []) {
        out.push(toFacts(instance, reservation.OwnerId ?? '', region, intern));
      }
    }
  }
  return out;
}

/** The facts of one instance; `intern` shares the values instances have in common (all but the id and name, as a rule). */
function toFacts(i: Instance, ownerId: string, region: string, intern: Intern): Ec2Instance {
  const tags = Object.fromEntries((i.Tags ?? []).map((t) => [intern(t.Key ?? ''), intern(t.Value ?? '')]));
  return {
    instanceId: i.InstanceId ?? '',
    accountId: intern(ownerId),
    region,
    name: tags['Name'] ?? null,
    tags,
    state: intern(i.State?.Name ?? 'unknown'),
    instanceType: intern(i.InstanceType ?? 'unknown'),
    platform: intern(i.Platform ?? null),
    platformDetails: intern(i.PlatformDetails ?? null),
    instanceProfileArn: intern(i.IamInstanceProfile?.Arn ?? null),
    vpcId: intern(i.VpcId ?? null),
    subnetId: intern(i.SubnetId ?? null),
  };
}

/** ec2:DescribeVpcEndpoints (available ones), by VPC: which AWS services the VPC reaches privately. */
export async function listVpcEndpoints(ec2: EC2Client, vpcIds?: string[]): Promise<Record<string, string[]>> {
  const byVpc: Record<string, string[]> = {};
  const Filters = [{ Name: 'vpc-endpoint-state', Values: ['available'] }, ...(vpcIds ? [{ Name: 'vpc-id', Values: vpcIds }] : [])];
  const pages = paginateDescribeVpcEndpoints({ client: ec2, pageSize: 1000 }, { Filters });
  for await (const page of pages) {
    for (const e of page.VpcEndpoints ?? []) {
      if (e.VpcId && e.ServiceName) (byVpc[e.VpcId] ??= []).push(e.ServiceName);
    }
  }
  return byVpc;
}

/**
 * ec2:DescribeVolumes(multi-attach-enabled=true) once per region, by attached instance: a Windows
 * failover cluster's shared disks, where VSS succeeds on one node only (vss-facts §4, EC2-DOC).
 */
export async function listMultiAttachVolumes(ec2: EC2Client, instanceIds?: string[]): Promise<Record<string, string[]>> {
  const byInstance: Record<string, string[]> = {};
  const Filters = [{ Name: 'multi-attach-enabled', Values: ['true'] }, ...(instanceIds ? [{ Name: 'attachment.instance-id', Values: instanceIds }] : [])];
  const pages = paginateDescribeVolumes({ client: ec2, pageSize: 500 }, { Filters });
  for await (const page of pages) {
    for (const v of page.Volumes ?? []) {
      for (const a of v.Attachments ?? []) {
        if (a.InstanceId && v.VolumeId) (byInstance[a.InstanceId] ??= []).push(v.VolumeId);
      }
    }
  }
  return byInstance;
}

export interface RegionInfo {
  name: string;
  enabled: boolean; // opt-in-not-required or opted-in
}

/** The OptInStatus values of a region the account may use (the others: not-opted-in). */
const ENABLED = new Set(['opt-in-not-required', 'opted-in']);

/** ec2:DescribeRegions with AllRegions, so opted-out regions are known too. */
export async function describeRegions(ec2: EC2Client): Promise<RegionInfo[]> {
  const { Regions = [] } = await ec2.send(new DescribeRegionsCommand({ AllRegions: true }));
  return Regions.map((r) => ({ name: r.RegionName ?? '', enabled: ENABLED.has(r.OptInStatus ?? '') }));
}
