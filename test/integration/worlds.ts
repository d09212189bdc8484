import type { WorldInput } from '../fake-aws/world.js';

/** Small scenario worlds, built from the same parts as examples/world.json. */
export const ACCOUNT = '111122223333';
const SSM_CORE = 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore';
const VSS = 'arn:aws:iam::aws:policy/AWSEC2VssSnapshotPolicy';

const example = (await import('../../examples/world.json', { with: { type: 'json' } })).default as unknown as WorldInput;
const policy = (arn: string) => example.iam!.policies!.find((p) => p.arn === arn)!;

type Os = 'windows' | 'linux';

export interface Box {
  id: string;
  os: Os;
  managed?: boolean;
  profile?: boolean;
  pkg?: boolean;
  /** false: a managed node that never sent inventory. */
  inventory?: boolean;
  state?: 'running' | 'stopped';
}

/** A world of one account: a good VSS role, and instances described by a few flags. */
export function world(regions: Record<string, Box[]>, faults: WorldInput['faults'] = {}): WorldInput {
  const build = (boxes: Box[]) => ({
    instances: boxes.map((b) => ({
      instanceId: b.id,
      state: b.state ?? 'running',
      tags: { Name: `${b.os}-${b.id.slice(-4)}` },
      ...(b.os === 'windows' ? { platform: 'windows' as const } : {}),
      ...(b.profile !== false && b.os === 'windows' ? { iamInstanceProfileArn: `arn:aws:iam::${ACCOUNT}:instance-profile/VssProfile` } : {}),
    })),
    ssm: boxes
      .filter((b) => b.managed !== false)
      .map((b) => ({
        instanceId: b.id,
        platformType: b.os === 'windows' ? ('Windows' as const) : ('Linux' as const),
        platformName: b.os === 'windows' ? 'Microsoft Windows Server 2022 Datacenter' : 'Amazon Linux',
        platformVersion: b.os === 'windows' ? '10.0.20348' : '2023',
      })),
    inventory: Object.fromEntries(
      boxes
        .filter((b) => b.os === 'windows' && b.managed !== false && b.inventory !== false)
        .map((b) => [
          b.id,
          {
            'AWS:Application': {
              captureTime: '2026-11-24T10:00:00Z',
              entries: [
                { Name: 'Amazon SSM Agent', Version: '3.3.1345.0', Publisher: 'Amazon Web Services' },
                ...(b.pkg === false ? [] : [{ Name: 'AwsVssComponents', Version: '2.5.1', Publisher: 'Amazon Web Services' }]),
              ],
            },
          },
        ]),
    ),
  });
  return {
    accountId: ACCOUNT,
    regions: Object.fromEntries(Object.entries(regions).map(([name, boxes]) => [name, build(boxes)])),
    iam: {
      instanceProfiles: [{ name: 'VssProfile', roles: ['VssRole'] }],
      roles: [{ name: 'VssRole', attachedPolicyArns: [SSM_CORE, VSS] }],
      policies: [policy(SSM_CORE), policy(VSS)],
    },
    faults,
  };
}

/** n instance ids with a distinguishing prefix digit. */
export const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, k) => `i-0${prefix}${String(k + 1).padStart(15, '0')}`);
