import { expect } from 'chai';
import { mergeSnapshots } from '../../src/facts/merge.js';
import { emptySnapshot, snapshot as snapshotSchema, type Snapshot } from '../../src/facts/snapshot.js';
import { UserError } from '../../src/errors.js';
import { denied, linuxInstance, region, vssRole, windowsInstance } from '../fixtures/facts.js';

const A = '111122223333';
const B = '444455556666';

function shard(account: string, regionName: string, over: Partial<Snapshot> = {}): Snapshot {
  return {
    ...emptySnapshot('2026-11-25T08:00:00.000Z', [account]),
    regions: [regionName],
    regionFacts: { [`${account}/${regionName}`]: region() },
    ...over,
  };
}

const roleArn = (account: string) => `arn:aws:iam::${account}:role/WindowsBackupRole`;

describe('mergeSnapshots', () => {
  it('unions accounts, regions, region facts and instances in shard order, and validates as a snapshot', () => {
    const a = shard(A, 'eu-west-1', { instances: [windowsInstance({ instanceId: 'i-0a', accountId: A })] });
    const b = shard(B, 'us-east-1', { instances: [linuxInstance({ instanceId: 'i-0b', accountId: B, region: 'us-east-1' })] });
    const merged = mergeSnapshots([{ source: 'a.json', snapshot: a }, { source: 'b.json', snapshot: b }]);
    expect(merged.accountIds).to.deep.equal([A, B]);
    expect(merged.regions).to.deep.equal(['eu-west-1', 'us-east-1']);
    expect(Object.keys(merged.regionFacts)).to.deep.equal([`${A}/eu-west-1`, `${B}/us-east-1`]);
    expect(merged.instances.map((i) => i.instanceId)).to.deep.equal(['i-0a', 'i-0b']);
    expect(snapshotSchema.safeParse(merged).success).to.equal(true);
  });

  it('dates the merge by its oldest shard', () => {
    const a = shard(A, 'eu-west-1', { generatedAt: '2026-11-25T09:00:00.000Z' });
    const b = shard(B, 'eu-west-1', { generatedAt: '2026-11-24T23:00:00.000Z' });
    const c = shard('777788889999', 'eu-west-1', { generatedAt: '2026-11-25T10:00:00.000Z' });
    const merged = mergeSnapshots([a, b, c].map((snapshot, n) => ({ source: `s${n}`, snapshot })));
    expect(merged.generatedAt).to.equal('2026-11-24T23:00:00.000Z');
  });

  it('refuses overlapping shards, naming both files', () => {
    const a = shard(A, 'eu-west-1');
    const again = shard(A, 'eu-west-1');
    expect(() => mergeSnapshots([{ source: 'a.json', snapshot: a }, { source: 'a-again.json', snapshot: again }]))
      .to.throw(UserError, /a\.json and a-again\.json both hold account\/region 111122223333\/eu-west-1/);
    const i = windowsInstance({ instanceId: 'i-0dup', accountId: A });
    const one = shard(A, 'eu-west-1', { instances: [i] });
    const other = shard(A, 'us-east-1', { regionFacts: {}, instances: [i] });
    expect(() => mergeSnapshots([{ source: 'one.json', snapshot: one }, { source: 'other.json', snapshot: other }]))
      .to.throw(UserError, /one\.json and other\.json both hold instance i-0dup \(account 111122223333, eu-west-1\)/);
  });

  it('keeps a role known when one shard read it and another was denied; of two reads, the newer', () => {
    const arn = roleArn(A);
    const older = shard(A, 'eu-west-1', { generatedAt: '2026-11-25T07:00:00.000Z', roles: { [arn]: { known: true, value: vssRole({ name: 'old' }) } } });
    const deniedShard = shard(A, 'us-east-1', { generatedAt: '2026-11-25T08:00:00.000Z', roles: { [arn]: denied('GetRole') } });
    const newer = shard(A, 'ap-south-1', { generatedAt: '2026-11-25T09:00:00.000Z', roles: { [arn]: { known: true, value: vssRole({ name: 'new' }) } } });
    const merged = mergeSnapshots([newer, deniedShard, older].map((snapshot, n) => ({ source: `s${n}`, snapshot })));
    const role = merged.roles[arn]!;
    expect(role.known && role.value.name).to.equal('new');
    const onlyDenied = mergeSnapshots([{ source: 'x', snapshot: deniedShard }, { source: 'y', snapshot: older }]);
    expect(onlyDenied.roles[arn]!.known).to.equal(true);
  });

  it('concatenates errors, tagging those of a one-account shard with its account', () => {
    const error = { service: 'ssm', action: 'DescribeInstanceInformation', region: 'eu-west-1', code: 'AccessDeniedException', message: 'no', count: 1 };
    const a = shard(A, 'eu-west-1', { errors: [error] });
    const b = shard(B, 'eu-west-1', { errors: [error, { ...error, accountId: A }] });
    const unknownAccount = shard(A, 'us-east-1', { accountIds: [], errors: [error] });
    const merged = mergeSnapshots([a, b, unknownAccount].map((snapshot, n) => ({ source: `s${n}`, snapshot })));
    expect(merged.errors.map((e) => e.accountId)).to.deep.equal([A, B, A, undefined]);
  });

  it('keeps each shard\'s backup role for its own instances when the shards disagree', () => {
    const a = shard(A, 'eu-west-1', { backupRoleArn: roleArn(A), instances: [windowsInstance({ instanceId: 'i-0a', accountId: A })] });
    const b = shard(B, 'eu-west-1', { backupRoleArn: roleArn(B), instances: [windowsInstance({ instanceId: 'i-0b', accountId: B })] });
    const merged = mergeSnapshots([{ source: 'a', snapshot: a }, { source: 'b', snapshot: b }]);
    expect(merged.backupRoleArn).to.equal(null);
    expect(merged.backupRoleArns).to.deep.equal({ 'i-0a': roleArn(A), 'i-0b': roleArn(B) });
    const same = mergeSnapshots([{ source: 'a', snapshot: a }, { source: 'b', snapshot: { ...b, backupRoleArn: roleArn(A) } }]);
    expect(same.backupRoleArn).to.equal(roleArn(A));
    expect(same.backupRoleArns).to.equal(undefined);
  });

  it('needs at least one shard', () => {
    expect(() => mergeSnapshots([])).to.throw(UserError, /nothing to merge/);
  });
});
