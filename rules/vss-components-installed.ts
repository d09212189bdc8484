import { defineRule, fail, pass, skip, unknown } from '../src/engine/outcome.js';
import { installVssComponents } from './lib/commands.js';
import { absenceOnly, presenceOnly } from './lib/inventory.js';
import { GENERATION_NAMES } from '../src/iam/vss-requests.js';
import { notWindows, platformOf } from './lib/platform.js';
import { remembering } from './lib/remember.js';

/** A fleet's inventories list the package in a few ways: one memory per kind of finding. */
const rememberListed = remembering();
const rememberInstalled = remembering();
const rememberUnread = remembering();

export default defineRule({
  id: 'vss-components-installed',
  title: 'AwsVssComponents is installed',
  severity: 'error',
  consequence: 'vss-fallback',
  why:
    'The AwsVssComponents package supplies the VSS requester (ec2-vss-agent.exe) and the EC2 VSS provider; AWS Backup does not install it. ' +
    'Without it AWSEC2-CreateVssSnapshot fails ("ec2-vss-agent.exe is not installed in the Instance") and the job says Completed with issues.',
  detection:
    'SSM Inventory: ssm:GetInventory filtered on AWS:Application.Name and AWS:AWSComponent.Name for the whole region; ' +
    'for instances it does not list, GetInventory filters per 40 instance ids (any AWS:Application inventory; a Name beginning like the package) show a missing package; ' +
    'ssm:ListInventoryEntries (AWS:Application, then AWS:AWSComponent: Name, Version, Publisher) for the rest, or where the version decides the verdict. ' +
    'An instance with no inventory at all (no CaptureTime) is unknown, not missing.',
  fix: 'Install the package with the AWS-ConfigureAWSPackage document (action Install, name AwsVssComponents), or a State Manager association that keeps it installed.',
  sources: [
    'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/application-consistent-snapshots-getting-started.html',
    'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/create-vss-snapshots-backup.html',
    'https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-inventory-schema.html',
  ],
  unverified:
    'The exact inventory Name of the package is not documented: "AwsVssComponents" (any case) is matched, and "AWS VSS Components" when its Publisher starts with Amazon.',
  evaluate({ instance }) {
    const skipped = notWindows(platformOf(instance));
    if (skipped) return skip(skipped);
    const { inventory } = instance;
    if (!inventory.known) return rememberUnread(instance, [inventory.reason], () => unknown(`AwsVssComponents could not be checked: ${inventory.reason}.`));
    if (presenceOnly(inventory.value)) {
      const { listedUnder, versionNotRead, generation } = inventory.value;
      // GetInventory returns node ids, not the entry: which spelling of the name matched is not known.
      return rememberListed(instance, [listedUnder, versionNotRead, generation], () =>
        pass(`AwsVssComponents is listed in the ${listedUnder} inventory (ssm:GetInventory); its version was not read: ${versionNotRead}.`, {
          TypeName: listedUnder,
          Version: null,
          ...(generation ? { Generation: GENERATION_NAMES[generation] } : {}),
        }),
      );
    }
    if (absenceOnly(inventory.value)) {
      return fail(
        `AwsVssComponents is not in the instance's inventory: ${inventory.value.notListed}.`,
        { CaptureTime: null, Name: null },
        installVssComponents(instance.instanceId, instance.region),
      );
    }
    const { captureTime, vssComponents } = inventory.value;
    if (!captureTime) {
      return unknown(
        'The instance reports no AWS:Application inventory, so whether AwsVssComponents is installed is unknown.',
        { CaptureTime: null },
        `Collect software inventory with an AWS-GatherSoftwareInventory association (applications Enabled) that targets ${instance.instanceId}, or check C:\\Program Files\\Amazon\\AwsVssComponents on the instance.`,
      );
    }
    if (!vssComponents) {
      return fail(
        `AwsVssComponents is not in the inventory captured at ${captureTime}.`,
        { CaptureTime: captureTime, Name: null },
        installVssComponents(instance.instanceId, instance.region),
      );
    }
    const { name, version, publisher, typeName } = vssComponents;
    return rememberInstalled(instance, [captureTime, name, version, publisher, typeName], () =>
      pass(`${name} ${version ?? '(version not reported)'} is installed (inventory captured ${captureTime}).`, {
        CaptureTime: captureTime,
        TypeName: typeName,
        Name: name,
        Version: version,
        Publisher: publisher,
      }),
    );
  },
});
