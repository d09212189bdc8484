/** SSM PlatformVersion of a Windows node, e.g. '10.0.20348' or '6.3.9600' (vss-facts §3 P5). */
export interface WindowsVersion {
  major: number;
  minor: number;
  build: number;
}

export function parseWindowsVersion(platformVersion: string | null | undefined): WindowsVersion | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(platformVersion?.trim() ?? '');
  return m ? { major: Number(m[1]), minor: Number(m[2]), build: Number(m[3]) } : undefined;
}

/** Windows Server 2012 (6.2) and 2012 R2 (6.3): AwsVssComponents 2.1.0 is the last that installs (EC2-HIST). */
export const isServer2012 = (v: WindowsVersion) => v.major === 6 && (v.minor === 2 || v.minor === 3);

/** 6.1 and older: Windows Server 2008 R2, 2008, 2003. */
export const isBefore2012 = (v: WindowsVersion) => v.major < 6 || (v.major === 6 && v.minor <= 1);

/** The first Windows Server 2016 build (MSBUILD); the EC2 guide supports 2016 and later. */
export const SERVER_2016_BUILD = 14393;

/** LTSC builds (MSBUILD); 26100 = 2025 is unverified (vss-facts P5). */
const SERVER_BUILDS: Record<number, string> = { 14393: '2016', 17763: '2019', 20348: '2022', 26100: '2025' };

export const serverReleaseOf = (v: WindowsVersion): string | undefined => {
  if (v.major === 6 && v.minor === 3) return '2012 R2';
  if (v.major === 6 && v.minor === 2) return '2012';
  if (v.major === 6 && v.minor === 1) return '2008 R2';
  return v.major === 10 ? SERVER_BUILDS[v.build] : undefined;
};
