import { defineRule, skip } from '../src/engine/outcome.js';
import type { Outcome } from '../src/engine/types.js';
import { notWindows, platformOf } from './lib/platform.js';

const CHECKS =
  '.NET Framework 4.6 or later, Windows PowerShell 3 to 5 in FullLanguage mode, healthy VSS writers, ' +
  'no proxy blocking the EC2 endpoint or IMDS for SYSTEM, AWS Tools for Windows PowerShell 3.3.48.0 or later, ' +
  'and no third-party VSS backup software in conflict';

const NOT_VISIBLE = `Not visible to any read-only API, so check on the instance: ${CHECKS}.`;

/**
 * One check per line, in Windows PowerShell (not pwsh) as SYSTEM, which is how Run Command runs
 * the VSS document. The script names only the region, never the instance, whose finding it is
 * part of: so one frozen outcome serves every Windows instance of a region, and the engine and
 * the JSON report see one finding, not 60,000 at 100,000 instances, each with its own 1.4 kB text
 * (offline json scan of 100k: peak RSS 650 -> 590 MB, format and write 5.1 -> 4.4 s here).
 */
const byRegion = new Map<string, Outcome>();
function checksIn(region: string): Outcome {
  let outcome = byRegion.get(region);
  if (outcome === undefined) byRegion.set(region, (outcome = Object.freeze({ ...skip(NOT_VISIBLE), fix: script(region) })));
  return outcome;
}

const script = (region: string) =>
  [
    '# On the instance, in Windows PowerShell as SYSTEM (e.g. through AWS-RunPowerShellScript):',
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
    return checksIn(instance.region);
  },
});
