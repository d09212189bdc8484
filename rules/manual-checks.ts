import { defineRule, skip } from '../src/engine/outcome.js';
import type { Outcome } from '../src/engine/types.js';
import { notWindows, platformOf } from './lib/platform.js';

const CHECKS =
  '.NET Framework 4.6 or later, Windows PowerShell 3 to 5 in FullLanguage mode, healthy VSS writers, ' +
  'no proxy blocking the EC2 endpoint or IMDS for SYSTEM, AWS Tools for Windows PowerShell 3.3.48.0 or later, ' +
  'and no third-party VSS backup software in conflict';

const NOT_VISIBLE = `Not visible to any read-only API, so check on the instance: ${CHECKS}.`;

/** One check per line, in Windows PowerShell (not pwsh) as SYSTEM, which is how Run Command runs the VSS document. */
const script = (instanceId: string, region: string) => `# On ${instanceId}, in Windows PowerShell as SYSTEM (e.g. through AWS-RunPowerShellScript):\n${checksIn(region)}`;

/** The checks after the first line name only the region: written once per region, not per instance. */
const checksByRegion = new Map<string, string>();
function checksIn(region: string): string {
  let checks = checksByRegion.get(region);
  if (checks === undefined) checksByRegion.set(region, (checks = writeChecks(region)));
  return checks;
}

const writeChecks = (region: string) =>
  [
    `(Get-ItemProperty 'HKLM:\\SOFTWARE\\Microsoft\\NET Framework Setup\\NDP\\v4\\Full').Release  # 393295 or more = .NET Framework 4.6+`,
    '$PSVersionTable.PSVersion; $ExecutionContext.SessionState.LanguageMode  # Major 3, 4 or 5; FullLanguage',
    'vssadmin list writers  # every writer: Last error: No error',
    'vssadmin list providers  # a provider other than Microsoft\'s and Amazon\'s belongs to other VSS backup software',
    'netsh winhttp show proxy  # AwsVssComponents before 2.0.1 ignores this proxy; a proxy must let SYSTEM reach EC2 and IMDS',
    `Test-NetConnection ec2.${region}.${region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'} -Port 443  # TcpTestSucceeded : True`,
    "Invoke-RestMethod -Method Put -Uri http://169.254.169.254/latest/api/token -Headers @{'X-aws-ec2-metadata-token-ttl-seconds'='60'}  # returns a token: IMDS reachable",
    'Get-Module -ListAvailable AWSPowerShell | Select-Object Name, Version  # 3.3.48.0 or later',
  ].join('\n');

export default defineRule({
  id: 'manual-checks',
  title: 'On-instance VSS prerequisites are checked by hand',
  severity: 'info',
  consequence: 'vss-fallback',
  why:
    'The VSS document also needs .NET Framework 4.6+, Windows PowerShell 3-5 in FullLanguage mode (else "Cannot invoke method. Method invocation is supported only on core types in this language mode"), ' +
    'healthy VSS writers, a network path from SYSTEM to the EC2 endpoint and IMDS, AWS Tools for Windows PowerShell 3.3.48.0+ and no conflicting VSS backup software; ' +
    'if any is missing the VSS attempt fails and the job says Completed with issues.',
  detection: 'None: no read-only AWS API reports these, so the rule always skips and lists the commands to run on the instance.',
  fix: 'Run the listed PowerShell on the instance (for example through AWS-RunPowerShellScript, which runs as SYSTEM) and fix what it shows.',
  sources: [
    'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/application-consistent-snapshots-prereqs.html',
    'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/application-consistent-snapshots-troubleshooting.html',
    'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/vss-comps-history.html',
  ],
  unverified: 'Nothing is decided here; the rule never passes, since none of these can be seen through a read-only API.',
  evaluate({ instance }): Outcome {
    const skipped = notWindows(platformOf(instance));
    if (skipped) return skip(skipped);
    return { ...skip(NOT_VISIBLE), fix: script(instance.instanceId, instance.region) };
  },
});
