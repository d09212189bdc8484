import type { Rule } from '../src/engine/types.js';
import backupRoleCanRunVss from './backup-role-can-run-vss.js';
import dhmcRoleGrantsVss from './dhmc-role-grants-vss.js';
import ec2EndpointReachable from './ec2-endpoint-reachable.js';
import instanceRoleGrantsVss from './instance-role-grants-vss.js';
import instanceRunning from './instance-running.js';
import instanceTypeSupported from './instance-type-supported.js';
import inventoryFresh from './inventory-fresh.js';
import manualChecks from './manual-checks.js';
import noMultiAttachVolumes from './no-multi-attach-volumes.js';
import scpAllowsVss from './scp-allows-vss.js';
import ssmAgentVersion from './ssm-agent-version.js';
import ssmManaged from './ssm-managed.js';
import vssComponentsCurrent from './vss-components-current.js';
import vssComponentsInstalled from './vss-components-installed.js';
import vssPackageMatchesPolicy from './vss-package-matches-policy.js';
import windowsPlatform from './windows-platform.js';
import windowsServerSupported from './windows-server-supported.js';

/**
 * Every rule, in the order a report lists them: first whether VSS is attempted at all (platform,
 * SSM), then what the instance and its agent must be, then the package, then permissions, then
 * what lowers confidence, then what no API can see.
 */
export const RULES: readonly Rule[] = [
  windowsPlatform,
  ssmManaged,
  instanceRunning,
  ssmAgentVersion,
  windowsServerSupported,
  instanceTypeSupported,
  vssComponentsInstalled,
  instanceRoleGrantsVss,
  vssPackageMatchesPolicy,
  dhmcRoleGrantsVss,
  scpAllowsVss,
  backupRoleCanRunVss,
  vssComponentsCurrent,
  inventoryFresh,
  noMultiAttachVolumes,
  ec2EndpointReachable,
  manualChecks,
];
