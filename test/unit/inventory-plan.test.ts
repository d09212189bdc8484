import { expect } from 'chai';
import { RULES } from '../../rules/index.js';
import { planFromAbsence, planFromGeneration, planInventory, type PlanInput } from '../../src/collect/inventory-plan.js';
import { runRules } from '../../src/engine/run.js';
import { verdictOf } from '../../src/engine/verdict.js';
import type { Known } from '../../src/facts/known.js';
import type { InstanceFacts, RoleFacts } from '../../src/facts/snapshot.js';
import { ACCOUNT, inventoryOf, linuxInstance, region, subject, VSS_POLICY_ARN, VSS_POLICY_DOCUMENT, vssRole, windowsInstance } from '../fixtures/facts.js';

const doc = (Statement: object[]) => ({ Version: '2012-10-17', Statement });
const MANAGED = { name: 'AWSEC2VssSnapshotPolicy', arn: VSS_POLICY_ARN, document: VSS_POLICY_DOCUMENT };
const EVERYTHING = { name: 'ec2-all', arn: null, document: doc([{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }]) };
const SSM_ONLY = { name: 'ssm-only', arn: null, document: doc([{ Effect: 'Allow', Action: 'ssm:*', Resource: '*' }]) };
const DENY_IMAGES = { name: 'deny-images', arn: null, document: doc([{ Effect: 'Deny', Action: 'ec2:CreateImage', Resource: '*' }]) };
const SOURCE_IP = { name: 'office-only', arn: null, document: doc([{ Effect: 'Allow', Action: 'ec2:*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }]) };
/** The legacy custom policy (vss-facts §6): no DescribeInstanceAttribute, so only packages before 2.2.1. */
const LEGACY = {
  name: 'legacy',
  arn: null,
  document: doc([
    { Effect: 'Allow', Action: 'ec2:CreateTags', Resource: ['arn:aws:ec2:*::snapshot/*', 'arn:aws:ec2:*::image/*'] },
    { Effect: 'Allow', Action: ['ec2:DescribeInstances', 'ec2:CreateSnapshot', 'ec2:CreateImage', 'ec2:DescribeImages', 'ec2:DescribeSnapshots'], Resource: '*' },
  ]),
};

const PROFILE = `arn:aws:iam::${ACCOUNT}:instance-profile/WindowsBackupProfile`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/WindowsBackupRole`;
const LISTED: Known<ReadonlyMap<string, string>> = { known: true, value: new Map([[windowsInstance().instanceId, 'AWS:Application']]) };

const withRole = (policies: RoleFacts['attachedPolicies'] | Known<RoleFacts>): PlanInput['iam'] => ({
  instanceProfiles: { [PROFILE]: { known: true, value: { name: 'WindowsBackupProfile', roleArns: [ROLE] } } },
  roles: { [ROLE]: Array.isArray(policies) ? { known: true, value: vssRole({ attachedPolicies: policies }) } : policies },
});
const input = (over: Partial<PlanInput> = {}): PlanInput => ({
  instance: windowsInstance(),
  presence: LISTED,
  dhmc: { known: true, value: null },
  iam: withRole([MANAGED]),
  ...over,
});
const noProfile = windowsInstance({ instanceProfileArn: null });
const DHMC_ROLE = `arn:aws:iam::${ACCOUNT}:role/DhmcRole`;
const dhmcOn = (policies: RoleFacts['attachedPolicies']) =>
  input({
    instance: noProfile,
    dhmc: { known: true, value: 'DhmcRole' },
    iam: { instanceProfiles: {}, roles: { [DHMC_ROLE]: { known: true, value: vssRole({ name: 'DhmcRole', arn: DHMC_ROLE, attachedPolicies: policies }) } } },
  });

/** `verdict`: what every version gives where that is not a definite outcome (an undecided role). */
type Row = { name: string; in: PlanInput; read: boolean; says: string; verdict?: 'unknown' };
const rows: Row[] = [
  { name: 'AWSEC2VssSnapshotPolicy allows only 2.3.1 and later', in: input(), read: true, says: 'some AwsVssComponents versions only' },
  { name: 'the legacy policy allows only packages before 2.2.1', in: input({ iam: withRole([LEGACY]) }), read: true, says: 'some AwsVssComponents versions only' },
  { name: 'a role allowing every generation', in: input({ iam: withRole([EVERYTHING]) }), read: false, says: 'allows the requests of every AwsVssComponents version' },
  { name: 'a role allowing none (no EC2 permission)', in: input({ iam: withRole([SSM_ONLY]) }), read: false, says: 'allows the requests of no AwsVssComponents version' },
  { name: 'an explicit Deny refuses every generation', in: input({ iam: withRole([EVERYTHING, DENY_IMAGES]) }), read: false, says: 'allows the requests of no' },
  { name: 'a condition undecided for every generation: unknown whatever is installed', in: input({ iam: withRole([SOURCE_IP]) }), read: false, says: 'cannot be decided for any', verdict: 'unknown' },
  { name: 'an unreadable role', in: input({ iam: withRole({ known: false, reason: 'iam:GetRole was denied' }) }), read: true, says: 'was not read' },
  {
    name: 'an unreadable instance profile',
    in: input({ iam: { instanceProfiles: { [PROFILE]: { known: false, reason: 'iam:GetInstanceProfile was denied' } }, roles: {} } }),
    read: true,
    says: 'instance profile was not read',
  },
  {
    name: 'a profile without a role',
    in: input({ iam: { instanceProfiles: { [PROFILE]: { known: true, value: { name: 'WindowsBackupProfile', roleArns: [] } } }, roles: {} } }),
    read: false,
    says: 'holds no role',
  },
  { name: 'no profile, DHMC off', in: input({ instance: noProfile }), read: false, says: 'Default Host Management is off' },
  { name: 'no profile, DHMC on, its role unread', in: input({ instance: noProfile, dhmc: { known: true, value: 'DhmcRole' } }), read: true, says: 'DhmcRole was not read' },
  { name: 'no profile, DHMC role with AWSEC2VssSnapshotPolicy (judged per version)', in: dhmcOn([MANAGED]), read: true, says: 'judged differently for some' },
  { name: 'no profile, DHMC role allowing every generation', in: dhmcOn([EVERYTHING]), read: false, says: 'DhmcRole (Default Host Management) allows the requests of every' },
  { name: 'no profile, DHMC role allowing none', in: dhmcOn([SSM_ONLY]), read: false, says: 'allows the requests of no' },
  { name: 'no profile, DHMC setting unreadable', in: input({ instance: noProfile, dhmc: { known: false, reason: 'denied' } }), read: true, says: 'is unknown' },
  { name: 'not listed by GetInventory: no inventory and a missing package look alike', in: input({ presence: { known: true, value: new Map() } }), read: true, says: 'or its filters, tell no inventory from a missing package' },
  { name: 'GetInventory denied: every instance is read', in: input({ presence: { known: false, reason: 'ssm:GetInventory was denied' } }), read: true, says: 'ssm:GetInventory was denied' },
  { name: 'a scoped read (diagnose)', in: input({ presence: undefined }), read: true, says: 'diagnose' },
];

describe('inventory plan: read the entries only where the version can change a verdict', () => {
  for (const r of rows) {
    it(`${r.read ? 'read' : 'skip'}: ${r.name}`, () => {
      const plan = planInventory(r.in);
      expect(plan.read).to.equal(r.read);
      expect(plan.read ? plan.because : JSON.stringify(plan.inventory)).to.contain(r.says);
    });
  }

  it('reads nothing for Linux or unmanaged Windows, saying why', () => {
    const linux = planInventory(input({ instance: linuxInstance() }));
    expect(linux).to.deep.equal({ read: false, inventory: { known: false, reason: 'not read: the instance is not Windows' } });
    const unmanaged = planInventory(input({ instance: windowsInstance({ ssm: { known: true, value: null } }) }));
    expect(unmanaged.read === false && !unmanaged.inventory.known && unmanaged.inventory.reason).to.contain('SSM does not manage');
  });

  // The plan's promise, checked with the real rules: wherever it skips the entries, the verdict
  // from the presence-only fact is the verdict every installed version would give.
  const VERSIONS = ['1.3.1', '2.2.1', '2.3.0', '2.5.1', null];
  const verdictWith = (r: Row, inventory: InstanceFacts['inventory']) => {
    const role = r.in.iam.roles[ROLE];
    const profile = r.in.iam.instanceProfiles[PROFILE];
    const hasProfile = !!r.in.instance.instanceProfileArn;
    const s = subject({
      instance: { ...(r.in.instance as InstanceFacts), inventory },
      region: region(r.in.dhmc?.known ? r.in.dhmc.value : null),
      instanceProfile: hasProfile ? profile : undefined,
      role: hasProfile ? (profile?.known && profile.value.roleArns.length ? role : undefined) : undefined,
      dhmcRole: !hasProfile && r.in.dhmc?.known && r.in.dhmc.value ? r.in.iam.roles[DHMC_ROLE] : undefined,
    });
    return verdictOf(runRules(RULES, s)).verdict;
  };
  for (const r of rows) {
    const plan = planInventory(r.in);
    if (plan.read) continue;
    it(`the presence-only fact gives the verdict of every version: ${r.name}`, () => {
      const withPresence = verdictWith(r, plan.inventory);
      expect(withPresence).to.be.oneOf(r.verdict ? [r.verdict] : ['application-consistent', 'vss-fallback']);
      for (const v of VERSIONS.filter((x) => x !== null)) expect(verdictWith(r, inventoryOf(v)), `version ${v}`).to.equal(withPresence);
    });
  }

  it('lets GetInventory\'s Version filters settle exactly the reads where only the generation decides (a role read and judged per generation)', () => {
    const settle = rows.filter((r) => { const p = planInventory(r.in); return p.read && p.generationDecides; }).map((r) => r.name);
    expect(settle).to.deep.equal([
      'AWSEC2VssSnapshotPolicy allows only 2.3.1 and later',
      'the legacy policy allows only packages before 2.2.1',
      'no profile, DHMC role with AWSEC2VssSnapshotPolicy (judged per version)',
    ]);
  });

  // The generation fact's promise, checked with the real rules: it gives the verdict every
  // version of that generation gives.
  const BY_GENERATION = { tagged: ['2.3.1', '2.5.1', '3.0.0'], 'describe-attribute': ['2.2.1', '2.3.0'], legacy: ['1.3.1', '2.1.0'] } as const;
  for (const r of rows) {
    const plan = planInventory(r.in);
    if (!plan.read || !plan.generationDecides) continue;
    for (const [generation, versions] of Object.entries(BY_GENERATION) as [keyof typeof BY_GENERATION, readonly string[]][]) {
      it(`the ${generation} generation fact gives the verdict of its versions: ${r.name}`, () => {
        const fact = planFromGeneration(plan.listedUnder!, plan.because, generation);
        if (fact.read) throw new Error('a generation plan reads nothing');
        expect(fact.inventory).to.deep.include({ known: true });
        const withGeneration = verdictWith(r, fact.inventory);
        for (const v of versions) expect(verdictWith(r, inventoryOf(v)), `version ${v}`).to.equal(withGeneration);
      });
    }
  }

  it('lets GetInventory\'s filters show a missing package only where GetInventory does not list it', () => {
    const show = rows.filter((r) => { const p = planInventory(r.in); return p.read && p.absenceMayShow; }).map((r) => r.name);
    expect(show).to.deep.equal(['not listed by GetInventory: no inventory and a missing package look alike']);
  });

  // The absence fact's promise: the verdict of entries that list no package, for every role.
  for (const r of rows) {
    it(`the absence fact gives the verdict of inventory without the package: ${r.name}`, () => {
      const fact = planFromAbsence();
      if (fact.read) throw new Error('an absence plan reads nothing');
      expect(verdictWith(r, fact.inventory)).to.equal(verdictWith(r, inventoryOf(undefined)));
    });
  }

  it('where it reads, the version does change the verdict (AWSEC2VssSnapshotPolicy: 2.2.1 falls back, 2.5.1 does not)', () => {
    const r = rows[0]!;
    expect(verdictWith(r, inventoryOf('2.2.1'))).to.equal('vss-fallback');
    expect(verdictWith(r, inventoryOf('2.5.1'))).to.equal('application-consistent');
  });
});
