import { always, defineRule, fail, pass, skip, unknown, warn } from '../src/engine/outcome.js';
import type { Evidence, Outcome } from '../src/engine/types.js';
import type { InstanceFacts, RoleFacts } from '../src/facts/snapshot.js';
import { attachPolicy, installVssComponents, VSS_POLICY } from './lib/commands.js';
import { absenceOnly, presenceOnly } from './lib/inventory.js';
import { notWindows, platformOf } from './lib/platform.js';
import { byDecision, type Judged } from '../src/iam/role-requests.js';
import { actionsOf } from './lib/role-requests.js';
import { remembering, type Input } from './lib/remember.js';
import { evaluateVssPermissions, GENERATION_NAMES, GENERATIONS, grants, resultsScope, type Generation } from '../src/iam/vss-requests.js';
import { generationOf } from './lib/generation.js';

/** `label` names the installed package: its Version, or its generation where only that was read. */
type Installed = { version: string | null; label: string; generation: Generation } | { missing: true } | { unknownBecause: string; fix: string; notRead?: true };

function installedPackage(instance: InstanceFacts): Installed {
  const { inventory } = instance;
  const gather = `Collect software inventory with an AWS-GatherSoftwareInventory association (applications Enabled) that targets ${instance.instanceId}.`;
  if (!inventory.known) return { unknownBecause: `the inventory could not be read (${inventory.reason})`, fix: gather };
  if (presenceOnly(inventory.value)) {
    const { generation } = inventory.value;
    if (generation) return { version: null, label: GENERATION_NAMES[generation].replace(/^AwsVssComponents /, ''), generation };
    return { unknownBecause: `the version was not read (${inventory.value.versionNotRead})`, fix: `Read the version: vss-preflight diagnose ${instance.instanceId} reads every inventory fact of one instance.`, notRead: true };
  }
  if (absenceOnly(inventory.value)) return { missing: true };
  const { captureTime, vssComponents } = inventory.value;
  if (!captureTime) return { unknownBecause: 'the instance reports no AWS:Application inventory', fix: gather };
  if (!vssComponents) return { missing: true };
  if (!vssComponents.version) return { unknownBecause: `the inventory lists ${vssComponents.name} without a Version`, fix: gather };
  const generation = generationOf(vssComponents.version);
  if (!generation) return { unknownBecause: `the inventory Version "${vssComponents.version}" is not a dotted number`, fix: gather };
  return { version: vssComponents.version, label: vssComponents.version, generation };
}

/**
 * What of the installed package an outcome can be made of: not its fix, which names the
 * instance, so an outcome that uses it is never remembered.
 */
const installedInputs = (installed: Installed): Input[] =>
  'missing' in installed
    ? ['missing']
    : 'unknownBecause' in installed
      ? ['unknown', installed.unknownBecause, installed.notRead]
      : ['installed', installed.version, installed.label, installed.generation];

/**
 * Windows Server before 2016 (NT 6.x) cannot install AwsVssComponents 2.2.1 or later: 2012 and
 * 2012 R2 stop at 2.1.0, 2008 R2 at 1.3.1.0 (vss-facts §3 P5, EC2-HIST).
 */
const preWindows2016 = (instance: InstanceFacts) => {
  const node = instance.ssm.known ? instance.ssm.value : null;
  return /^6\./.test(node?.platformVersion ?? '');
};

/** Results are cached per role and shared by its instances; so is what is said of them. */
const refusals = new WeakMap<readonly Judged[], string>();

/** "ec2:CreateImage not allowed" / "ec2:CreateImage undecided": why a generation is not granted. */
function refusal(results: readonly Judged[]): string {
  let text = refusals.get(results);
  if (text === undefined) refusals.set(results, (text = describeRefusal(results)));
  return text;
}

function describeRefusal(results: readonly Judged[]): string {
  const refused = [...byDecision(results, 'explicitDeny'), ...byDecision(results, 'implicitDeny')];
  return refused.length ? `${actionsOf(refused)} not allowed` : `${actionsOf(byDecision(results, 'undecided'))} undecided`;
}

function judgePair(role: RoleFacts, instance: InstanceFacts, installed: Installed, evidence: Evidence): Outcome {
  const results: Record<Generation, Judged[]> = {
    tagged: evaluateVssPermissions(role, instance, 'tagged'),
    'describe-attribute': evaluateVssPermissions(role, instance, 'describe-attribute'),
    legacy: evaluateVssPermissions(role, instance, 'legacy'),
  };
  const granted = GENERATIONS.filter((g) => grants(results[g]));
  for (const g of GENERATIONS) evidence[GENERATION_NAMES[g]] = granted.includes(g) ? 'allowed' : refusal(results[g]);
  if (granted.length === 0) {
    return skip(`Role ${role.name} allows the requests of no AwsVssComponents version, so there is no pair to match (instance-role-grants-vss reports the role).`, evidence);
  }
  const allowedNames = granted.map((g) => GENERATION_NAMES[g]).join(' and ');

  if ('missing' in installed) {
    return skip('AwsVssComponents is not in the inventory, so there is no version to match (vss-components-installed reports it).', { ...evidence, Name: null });
  }
  if ('unknownBecause' in installed) {
    if (granted.length === GENERATIONS.length) {
      return pass(`Role ${role.name} allows the requests of every AwsVssComponents version, so whichever is installed matches${installed.notRead ? ' (the version was not read)' : ''}.`, evidence);
    }
    return unknown(`Role ${role.name} allows only ${allowedNames}, but the installed version is unknown: ${installed.unknownBecause}.`, evidence, installed.fix);
  }
  const { version, label, generation } = installed;
  evidence['Version'] = version;
  if (!version) evidence['Generation'] = GENERATION_NAMES[generation];

  if (granted.includes(generation)) {
    if (granted.includes('tagged')) return pass(`Role ${role.name} allows the requests of the installed AwsVssComponents ${label}${generation === 'tagged' ? '' : ' and of 2.3.1 or later'}.`, evidence);
    if (preWindows2016(instance)) {
      return pass(`Role ${role.name} allows the requests of the installed AwsVssComponents ${label}, and this Windows Server cannot install 2.2.1 or later.`, evidence);
    }
    // The upgrade is what breaks it: e.g. an association that installs the latest package (inferred).
    return warn(
      `Role ${role.name} allows the requests of the installed AwsVssComponents ${label} but not those of 2.3.1 or later (${refusal(results.tagged)}), so upgrading the package will make VSS fail.`,
      evidence,
      `Before AwsVssComponents is upgraded (2.5.0 and later also update in place): ${attachPolicy(role.name, VSS_POLICY)}`,
    );
  }

  const mine = results[generation];
  const refused = [...byDecision(mine, 'explicitDeny'), ...byDecision(mine, 'implicitDeny')];
  if (refused.length === 0) {
    const because = byDecision(mine, 'undecided')[0]?.evaluation.undecidedBecause ?? 'a condition cannot be evaluated';
    return unknown(
      `Role ${role.name} allows ${allowedNames}, and whether it allows the installed AwsVssComponents ${label} cannot be decided: ${because}.`,
      evidence,
      'Check the condition against the role in the IAM policy simulator (aws iam simulate-principal-policy).',
    );
  }
  const best = granted[0]!;
  const managed = role.attachedPolicies.some((p) => p.arn === VSS_POLICY);
  const why = best === 'tagged' && managed ? ' (AWSEC2VssSnapshotPolicy needs its AwsVssConfig tag)' : '';
  const message = `Role ${role.name} allows ${GENERATION_NAMES[best]}${why} but ${version ?? `AwsVssComponents ${label}`} is installed, whose ${actionsOf(refused)} it does not allow.`;
  const upgrade = installVssComponents(instance.instanceId, instance.region);
  if (preWindows2016(instance)) {
    return fail(
      message,
      evidence,
      `This Windows Server cannot install AwsVssComponents 2.2.1 or later: give role ${role.name} ec2:CreateImage, ec2:CreateTags, ec2:DescribeImages and ec2:DescribeInstances without tag conditions, or move to Windows Server 2016 or later.`,
    );
  }
  if (granted.includes('tagged')) return fail(message, evidence, `Upgrade AwsVssComponents to the latest version: ${upgrade}`);
  return fail(message, evidence, `${attachPolicy(role.name, VSS_POLICY)}; then upgrade AwsVssComponents: ${upgrade}`);
}

export default defineRule({
  id: 'vss-package-matches-policy',
  title: 'Instance role allows the requests of the installed AwsVssComponents version',
  severity: 'error',
  consequence: 'vss-fallback',
  why:
    'AwsVssComponents versions call EC2 differently: 2.3.1 and later tag their requests with AwsVssConfig, which the conditions of AWSEC2VssSnapshotPolicy require; ' +
    '2.2.1 and later call ec2:DescribeInstanceAttribute, which the legacy custom policy lacks. A role written for another version than the installed one ' +
    'makes the VSS attempt fail ("insufficient privileges") and the job says Completed with issues; a role that suits only old packages breaks on the next upgrade.',
  detection:
    'SSM Inventory (ssm:ListInventoryEntries, AWS:Application or AWS:AWSComponent, Version) for the installed package, read wherever the role allows only some versions; the instance profile role\'s policies ' +
    '(iam:GetRole, ListAttachedRolePolicies, GetPolicyVersion, ListRolePolicies, GetRolePolicy) evaluated locally against the requests of each package generation; ' +
    'ssm:DescribeInstanceInformation PlatformVersion for Windows Server before 2016.',
  fix: 'Use AWSEC2VssSnapshotPolicy with AwsVssComponents 2.3.1 or later: upgrade the package with AWS-ConfigureAWSPackage, and attach the policy before upgrading from a legacy custom policy.',
  sources: [
    'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/vss-iam-reqs.html',
    'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/vss-comps-history.html',
    'https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSEC2VssSnapshotPolicy.html',
    'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/application-consistent-snapshots-getting-started.html',
    'https://github.com/awsdocs/amazon-ec2-user-guide-windows',
  ],
  unverified:
    'That packages before 2.3.1 send no AwsVssConfig request tag, and that packages before 2.2.1 call ec2:DescribeInstances instead of ec2:DescribeInstanceAttribute, ' +
    'is inferred from the version history and the legacy policy they were documented with. The inventory Name of the package is unverified. ' +
    'SCPs, RCPs and VPC endpoint policies are not evaluated.',
  evaluate({ instance, instanceProfile, role }) {
    const skipped = notWindows(platformOf(instance));
    if (skipped) return skip(skipped);
    if (!instanceProfile) {
      return NO_PROFILE;
    }
    const evidence: Evidence = { IamInstanceProfile: instance.instanceProfileArn };
    if (!role) {
      return instanceProfile.known
        ? skip(`Instance profile ${instanceProfile.value.name} holds no role (instance-role-grants-vss reports it).`, evidence)
        : unknown(`The instance profile could not be read: ${instanceProfile.reason}.`, evidence, 'Allow iam:GetInstanceProfile for the scanning identity.');
    }
    if (!role.known) {
      return unknown(
        `The instance role could not be read: ${role.reason}.`,
        evidence,
        'Allow iam:GetRole, iam:ListAttachedRolePolicies, iam:ListRolePolicies, iam:GetRolePolicy, iam:GetPolicy and iam:GetPolicyVersion for the scanning identity.',
      );
    }
    const installed = installedPackage(instance);
    const inputs = [instance.instanceProfileArn, resultsScope(role.value, instance), ...installedInputs(installed), preWindows2016(instance)];
    return remember(instance, inputs, () => judgePair(role.value, instance, installed, { ...evidence, RoleArn: role.value.arn }));
  },
});

const NO_PROFILE = always(
  skip('No instance profile, so there is no instance role to match the package against (instance-role-grants-vss and dhmc-role-grants-vss cover it).', { IamInstanceProfile: null }),
);

/** Instances of the same profile and results, with the same package on the same kind of OS, are told the same. */
const remember = remembering();
