/**
 * A facts snapshot built straight from a generated world, as `collect` would write it after a
 * clean scan: the input of the offline benchmark (`scan --facts`), without 100,000 instances
 * going through the fake endpoint first. Validated against the snapshot schema.
 */
import { findVssComponents } from '../../src/collect/vss-package.js';
import { VSS_EC2_ACTIONS } from '../../src/collect/organizations.js';
import { dhmcRoleArn } from '../../src/facts/arn.js';
import { SNAPSHOT_SCHEMA_VERSION, snapshot, type InstanceFacts, type PolicyFacts, type RegionFacts, type RoleFacts, type Snapshot } from '../../src/facts/snapshot.js';
import type { WorldInput } from '../fake-aws/world.js';
import { dhmcRoleOf } from './worlds.js';

const iso = (s: string) => new Date(s).toISOString();
const asRows = (entries: Record<string, string | number | boolean>[] = []) =>
  entries.map((e) => Object.fromEntries(Object.entries(e).map(([k, v]) => [k, String(v)])));

export function snapshotOf(world: WorldInput, generatedAt: string): Snapshot {
  const account = world.accountId;
  const iam = world.iam ?? {};
  const policies = new Map((iam.policies ?? []).map((p) => [p.arn, p]));
  const roleByName = new Map((iam.roles ?? []).map((r) => [r.name, r]));
  const profileByArn = new Map((iam.instanceProfiles ?? []).map((p) => [`arn:aws:iam::${account}:instance-profile${p.path ?? '/'}${p.name}`, p]));
  const roleArnOf = (name: string) => `arn:aws:iam::${account}:role${roleByName.get(name)?.path ?? '/'}${name}`;

  const instances: InstanceFacts[] = [];
  const regionFacts: Record<string, RegionFacts> = {};
  const profileArns = new Set<string>();
  const roleArns = new Set<string>();
  const scpRegions: string[] = [];
  for (const [region, r] of Object.entries(world.regions)) {
    const dhmcRole = dhmcRoleOf(r);
    const vpcEndpoints: Record<string, string[]> = {};
    for (const e of r.vpcEndpoints ?? []) (vpcEndpoints[e.vpcId] ??= []).push(`com.amazonaws.${region}.${e.service}`);
    regionFacts[`${account}/${region}`] = {
      defaultHostManagementRole: { known: true, value: dhmcRole },
      vpcEndpoints: { known: true, value: vpcEndpoints },
      multiAttachVolumes: { known: true, value: {} },
    };
    const nodes = new Map((r.ssm ?? []).map((s) => [s.instanceId, s]));
    let windowsHere = false;
    for (const i of r.instances ?? []) {
      const s = nodes.get(i.instanceId);
      const ssm: InstanceFacts['ssm'] = {
        known: true,
        value: s
          ? {
              pingStatus: s.pingStatus ?? 'Online',
              lastPingDateTime: s.lastPingDateTime ? iso(s.lastPingDateTime) : null,
              agentVersion: s.agentVersion ?? null,
              platformType: s.platformType,
              platformName: s.platformName,
              platformVersion: s.platformVersion,
              resourceType: s.resourceType ?? 'EC2Instance',
              iamRole: s.iamRole ?? null,
            }
          : null,
      };
      const windows = s ? s.platformType === 'Windows' : i.platform === 'windows';
      let inventory: InstanceFacts['inventory'];
      if (!windows) inventory = { known: false, reason: 'not read: the instance is not Windows' };
      else if (!s) inventory = { known: false, reason: 'not read: SSM does not manage the instance, so it reports no inventory' };
      else {
        const types = r.inventory?.[i.instanceId] ?? {};
        const apps = types['AWS:Application'];
        const captureTime = apps ? iso(apps.captureTime) : null;
        const hit = findVssComponents('AWS:Application', asRows(apps?.entries)) ?? findVssComponents('AWS:AWSComponent', asRows(types['AWS:AWSComponent']?.entries));
        inventory = { known: true, value: { captureTime, vssComponents: captureTime ? hit : null } };
      }
      if (windows) {
        windowsHere = true;
        if (i.iamInstanceProfileArn) profileArns.add(i.iamInstanceProfileArn);
        else if (dhmcRole) roleArns.add(dhmcRoleArn(account, dhmcRole));
      }
      instances.push({
        instanceId: i.instanceId,
        accountId: account,
        region,
        name: i.tags?.['Name'] ?? null,
        tags: i.tags ?? {},
        state: i.state ?? 'running',
        instanceType: i.instanceType ?? 't3.medium',
        platform: i.platform ?? null,
        platformDetails: i.platformDetails ?? (i.platform === 'windows' ? 'Windows' : 'Linux/UNIX'),
        instanceProfileArn: i.iamInstanceProfileArn ?? null,
        vpcId: i.vpcId ?? null,
        subnetId: i.subnetId ?? null,
        ssm,
        inventory,
      });
    }
    if (windowsHere) scpRegions.push(region);
  }

  const instanceProfiles: Snapshot['instanceProfiles'] = {};
  for (const arn of profileArns) {
    const p = profileByArn.get(arn);
    if (!p) throw new Error(`world has no instance profile ${arn}`);
    const roles = (p.roles ?? []).map(roleArnOf);
    roles.forEach((a) => roleArns.add(a));
    instanceProfiles[arn] = { known: true, value: { name: p.name, roleArns: roles } };
  }
  const managed = (arn: string): PolicyFacts => {
    const p = policies.get(arn);
    if (!p) throw new Error(`world has no managed policy ${arn}`);
    return { name: p.name ?? arn.slice(arn.lastIndexOf('/') + 1), arn, document: p.document };
  };
  const roles: Snapshot['roles'] = {};
  for (const arn of roleArns) {
    const role = roleByName.get(arn.slice(arn.lastIndexOf('/') + 1));
    if (!role) throw new Error(`world has no role ${arn}`);
    const value: RoleFacts = {
      name: role.name,
      arn,
      attachedPolicies: (role.attachedPolicyArns ?? []).map(managed),
      inlinePolicies: Object.entries(role.inlinePolicies ?? {}).map(([name, document]) => ({ name, arn: null, document })),
      permissionsBoundary: role.permissionsBoundaryArn ? managed(role.permissionsBoundaryArn) : null,
    };
    roles[arn] = { known: true, value };
  }
  // No SCPs in a generated world: the simulator reports no Organizations detail (null) for each action.
  const principal = [...roleArns][0];
  const scps: Snapshot['scps'] = {};
  for (const region of principal ? scpRegions : []) {
    scps[`${account}/${region}`] = { known: true, value: { principal: principal!, allowedByOrganizations: Object.fromEntries(VSS_EC2_ACTIONS.map((a) => [a, null])) } };
  }

  return snapshot.parse({
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    generatedAt,
    accountIds: [account],
    regions: Object.keys(world.regions),
    regionFacts,
    instances,
    instanceProfiles,
    roles,
    scps,
    backupRoleArn: null,
    errors: [],
  });
}
