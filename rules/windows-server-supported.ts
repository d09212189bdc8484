import { defineRule, fail, pass, skip, unknown, warn } from '../src/engine/outcome.js';
import type { Outcome } from '../src/engine/types.js';
import type { InstanceFacts } from '../src/facts/snapshot.js';
import { tryVssBackup } from './lib/commands.js';
import { notWindows, platformOf } from './lib/platform.js';
import { remembering } from './lib/remember.js';
import { isBefore2012, isServer2012, parseWindowsVersion, SERVER_2016_BUILD, serverReleaseOf } from './lib/windows-server.js';

export default defineRule({
  id: 'windows-server-supported',
  title: 'Instance runs Windows Server 2016 or later',
  severity: 'error',
  consequence: 'vss-fallback',
  outcomes: ['pass', 'fail', 'warn', 'unknown', 'skip'],
  why:
    'The EC2 guide supports VSS snapshots on Windows Server 2016 and later. Current AwsVssComponents will not install on 2012/2012 R2 ' +
    '(2.1.0 is their last, run through the AWSEC2-CreateVssSnapshot document version "2012R2") nor on 2008 R2 (1.3.1.0, version "2008R2"), ' +
    'and AWS Backup runs the default document version, so the VSS attempt fails and the job says Completed with issues.',
  detection:
    'ssm:DescribeInstanceInformation PlatformName and PlatformVersion (the build is its third part: 10.0.20348 = 2022, 6.3.9600 = 2012 R2). ' +
    'EC2 does not report the OS version, so an instance SSM does not manage is unknown.',
  fix: 'Move the workload to Windows Server 2016 or later, e.g. an instance launched from a current Windows Server 2022 AMI.',
  sources: [
    'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/application-consistent-snapshots-prereqs.html',
    'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/vss-comps-history.html',
    'https://docs.aws.amazon.com/aws-backup/latest/devguide/backup-dashboards.html',
    'https://pkg.go.dev/github.com/Microsoft/hcsshim/osversion',
  ],
  unverified:
    'Windows Server 2012/2012 R2 are reported as unknown because the sources conflict: that AWS Backup runs the default document version and so fails there is inferred, ' +
    'while its own error text says "Supported Versions are Windows Server 2012 or later". That build 26100 is Windows Server 2025 is unverified ' +
    '(it passes as any build from 14393 on). That client Windows cannot use VSS backups is not stated, only that AWS documents Windows Server.',
  evaluate({ instance }) {
    const skipped = notWindows(platformOf(instance));
    if (skipped) return skip(skipped);
    const { ssm, instanceId } = instance;
    if (!ssm.known) return unknown(`The Windows version is unknown because only SSM reports it and ${ssm.reason}.`, {}, 'Allow ssm:DescribeInstanceInformation for the scanning identity.');
    if (!ssm.value) return unknown(`The Windows version is unknown because SSM does not manage ${instanceId} and only SSM reports the OS version.`, { PlatformName: null, PlatformVersion: null });
    const { platformName: name, platformVersion: version } = ssm.value;
    return remember(instance, [name, version], () => judgeRelease(instance, name, version));
  },
});

/** A fleet runs a few Windows releases. */
const remember = remembering();

function judgeRelease({ instanceId, region, accountId }: InstanceFacts, name: string | null, version: string | null): Outcome {
  const evidence = { PlatformName: name, PlatformVersion: version };
  if (!name || !version) return unknown(`SSM reports PlatformName ${name ?? 'null'} and PlatformVersion ${version ?? 'null'}, so the Windows version is unknown.`, evidence);
  if (!/server/i.test(name)) {
    return warn(
      `PlatformName ${name} (${version}) is not Windows Server, and AWS documents VSS backups for Windows Server only.`,
      evidence,
      `Run the workload on Windows Server 2016 or later, or ${tryVssBackup(instanceId, region, accountId)}`,
    );
  }
  const parsed = parseWindowsVersion(version);
  if (!parsed) return unknown(`PlatformVersion ${version} of ${name} is not a Windows version number, so the release is unknown.`, evidence);
  const release = serverReleaseOf(parsed);
  const named = release ? `Windows Server ${release}` : `build ${parsed.build}`;
  if (isServer2012(parsed)) {
    return unknown(
      `${name} ${version} (${named}) is documented both ways: the EC2 guide supports Windows Server 2016 and later ` +
        '(AwsVssComponents 2.1.0 is the last for 2012/2012 R2, run through document version "2012R2", which AWS Backup does not select), ' +
        `while AWS Backup's own error text says "Supported Versions are Windows Server 2012 or later".`,
      evidence,
      `Upgrade to Windows Server 2016 or later to be certain, or ${tryVssBackup(instanceId, region, accountId)}`,
    );
  }
  if (isBefore2012(parsed)) {
    return fail(
      `${name} ${version}${release ? ` (${named})` : ''} predates Windows Server 2012, which both the EC2 guide and AWS Backup require at least.`,
      evidence,
      `Upgrade the OS of ${instanceId} in ${region}: move the workload to an instance launched from a Windows Server 2022 AMI ` +
        `(aws ssm get-parameter --region ${region} --name /aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base --query Parameter.Value).`,
    );
  }
  if (parsed.major >= 10 && parsed.build >= SERVER_2016_BUILD) {
    return pass(`${name} ${version} (${named}) is Windows Server 2016 or later.`, evidence);
  }
  return unknown(`${name} ${version} is no released Windows Server build from 2016 on (${SERVER_2016_BUILD}) nor a known older one.`, evidence);
}
