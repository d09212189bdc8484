import { always, defineRule, pass, skip, unknown, warn } from '../src/engine/outcome.js';
import type { Evidence, Outcome } from '../src/engine/types.js';
import type { InstanceFacts } from '../src/facts/snapshot.js';
import { installVssComponents, installVssComponentsVersion } from './lib/commands.js';
import { absenceOnly, presenceOnly } from './lib/inventory.js';
import { notWindows, platformOf } from './lib/platform.js';
import { remembering } from './lib/remember.js';
import { compareVersions } from './lib/version.js';
import { GENERATION_NAMES, type Generation } from '../src/iam/vss-requests.js';
import { isServer2012, parseWindowsVersion } from './lib/windows-server.js';

/** EC2-HIST: 2.3.1 added the AwsVssConfig tag AWSEC2VssSnapshotPolicy's conditions need (EC2-IAM). */
const TAGGED = '2.3.1';
const LATEST = '2.5.1';
const LATEST_RELEASED = '2025-03-13';
/** The last version that installs on Windows Server 2012/2012 R2 (EC2-HIST). */
const LAST_FOR_2012 = '2.1.0';

export default defineRule({
  id: 'vss-components-current',
  title: `AwsVssComponents is ${TAGGED} or later`,
  severity: 'warning',
  consequence: 'vss-fallback',
  outcomes: ['pass', 'warn', 'unknown', 'skip'],
  why:
    `AwsVssComponents before ${TAGGED} does not send the AwsVssConfig tag that the conditions of AWSEC2VssSnapshotPolicy need, ` +
    `and misses the fixes since (the latest is ${LATEST}, released ${LATEST_RELEASED}); on Windows Server 2012/2012 R2 ${LAST_FOR_2012} is the last that installs.`,
  detection:
    'SSM Inventory (ssm:ListInventoryEntries AWS:Application, then AWS:AWSComponent) Version of AwsVssComponents, read only where the version can change the verdict, ' +
    'or its generation only from ssm:GetInventory filters on <type>.Version per 40 instances; ' +
    'ssm:DescribeInstanceInformation PlatformVersion for Windows Server 2012/2012 R2 (6.2, 6.3).',
  fix: 'Update the package with AWS-ConfigureAWSPackage (action Install, name AwsVssComponents), which installs the latest version.',
  sources: [
    'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/vss-comps-history.html',
    'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/vss-iam-reqs.html',
    'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/application-consistent-snapshots-getting-started.html',
  ],
  unverified:
    `That packages before ${TAGGED} do not send the AwsVssConfig request tag is inferred from the version history. ` +
    'The inventory Name of the package is not documented (see vss-components-installed).',
  evaluate({ instance }) {
    const skipped = notWindows(platformOf(instance));
    if (skipped) return skip(skipped);
    const { inventory } = instance;
    if (!inventory.known) return rememberUnread(instance, [inventory.reason], () => unknown(`The AwsVssComponents version is unknown: ${inventory.reason}.`));
    // Not read because no verdict depends on it: a skip, never an unknown that would cloud the verdict.
    if (presenceOnly(inventory.value)) {
      const { listedUnder, versionNotRead, generation } = inventory.value;
      if (!generation) return skip(`The AwsVssComponents version was not read: ${versionNotRead}.`, { TypeName: listedUnder, Version: null });
      return rememberGeneration(instance, [listedUnder, generation, platformVersionOf(instance)], () =>
        byGeneration(generation, { TypeName: listedUnder, Version: null, Generation: GENERATION_NAMES[generation] }, instance),
      );
    }
    if (absenceOnly(inventory.value)) return NOT_LISTED;
    const { captureTime, vssComponents } = inventory.value;
    if (!captureTime || !vssComponents) {
      return rememberAbsent(instance, [captureTime], () =>
        skip(`${captureTime ? 'AwsVssComponents is not installed' : 'There is no inventory'}; vss-components-installed reports it.`, { CaptureTime: captureTime }),
      );
    }
    const { name, version } = vssComponents;
    const platformVersion = platformVersionOf(instance);
    return rememberVersion(instance, [captureTime, name, version, platformVersion], () => judgeVersion(instance, captureTime, name, version, platformVersion));
  },
});

const platformVersionOf = ({ ssm }: InstanceFacts) => (ssm.known ? (ssm.value?.platformVersion ?? null) : null);

/** A fleet runs a few package versions on a few Windows releases: one memory per kind of finding. */
const rememberVersion = remembering();
const rememberGeneration = remembering();
const rememberAbsent = remembering();
const rememberUnread = remembering();
const NOT_LISTED = always(skip('AwsVssComponents is not installed; vss-components-installed reports it.', { CaptureTime: null }));

function judgeVersion({ instanceId, region }: InstanceFacts, captureTime: string, name: string, version: string | null, platformVersion: string | null): Outcome {
  const evidence = { CaptureTime: captureTime, Version: version, PlatformVersion: platformVersion };
  if (!version) return unknown(`Inventory lists ${name} without a Version.`, evidence);
  const vsTagged = compareVersions(version, TAGGED);
  if (vsTagged === undefined) return unknown(`AwsVssComponents Version ${version} is not numeric, so it cannot be compared with ${TAGGED}.`, evidence);
  if (vsTagged >= 0) {
    const latest = (compareVersions(version, LATEST) ?? 0) >= 0;
    return pass(`AwsVssComponents ${version} is ${TAGGED} or later${latest ? '' : `, though not the latest ${LATEST}`}.`, evidence);
  }
  const os = parseWindowsVersion(platformVersion);
  if (os && isServer2012(os)) {
    const vs2012 = compareVersions(version, LAST_FOR_2012) ?? 0;
    if (vs2012 === 0) return pass(`AwsVssComponents ${version} is the last version for this OS (PlatformVersion ${platformVersion}).`, evidence);
    if (vs2012 < 0) {
      return warn(
        `AwsVssComponents ${version} is older than ${LAST_FOR_2012}, the last version for this OS (PlatformVersion ${platformVersion}).`,
        evidence,
        installVssComponentsVersion(instanceId, region, LAST_FOR_2012),
      );
    }
  }
  return warn(
    `AwsVssComponents ${version} predates ${TAGGED}, so it lacks the AwsVssConfig tag AWSEC2VssSnapshotPolicy needs and the fixes since; the latest is ${LATEST} (released ${LATEST_RELEASED}).`,
    evidence,
    installVssComponents(instanceId, region),
  );
}

/**
 * Where GetInventory's Version filters told only the generation: 2.3.1 or later passes; an older
 * one warns, except on Windows Server 2012/2012 R2, where it may be the last that installs there.
 */
function byGeneration(generation: Generation, evidence: Evidence, instance: InstanceFacts) {
  const { instanceId, region } = instance;
  const range = GENERATION_NAMES[generation];
  if (generation === 'tagged') return pass(`${range} is installed (ssm:GetInventory Version filter; the exact version was not read).`, evidence);
  const os = parseWindowsVersion(platformVersionOf(instance));
  if (os && isServer2012(os) && generation === 'legacy') {
    return unknown(
      `${range} is installed (ssm:GetInventory Version filter); whether it is ${LAST_FOR_2012}, the last version for this OS, was not read.`,
      evidence,
      `Read the version: vss-preflight diagnose ${instanceId} reads every inventory fact of one instance.`,
    );
  }
  return warn(
    `${range} is installed (ssm:GetInventory Version filter), which predates ${TAGGED}: it lacks the AwsVssConfig tag AWSEC2VssSnapshotPolicy needs and the fixes since; the latest is ${LATEST} (released ${LATEST_RELEASED}).`,
    evidence,
    installVssComponents(instanceId, region),
  );
}
