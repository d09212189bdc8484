import { UserError } from '../errors.js';
import { isDenied } from './aws-error.js';
import { configuredRegion, ec2Client, type AwsAccess } from './clients.js';
import { describeRegions } from './ec2.js';

const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** Parse `--regions a,b,c`: trimmed, de-duplicated, each a well-formed region name. */
export function parseRegionList(raw: string): string[] {
  const regions = [...new Set(raw.split(',').map((r) => r.trim()).filter(Boolean))];
  if (!regions.length) throw new UserError('--regions is empty: give region names, e.g. --regions eu-west-1,us-east-1');
  if (regions.includes('all')) throw new UserError('--regions all stands alone: give "all" or a list of region names, not both');
  const bad = regions.find((r) => !REGION_NAME.test(r));
  if (bad) throw new UserError(`"${bad}" is not a region name: use names like eu-west-1 (see aws ec2 describe-regions)`);
  return regions;
}

/**
 * The regions to scan: --regions, else the SDK's configured region. Each is checked against
 * ec2:DescribeRegions(AllRegions) so a typo or an opted-out region fails fast; if that call is
 * denied the names are only checked for form. `--regions all`: every region enabled for the account.
 */
export async function resolveRegions(access: AwsAccess, requested: string | undefined): Promise<string[]> {
  const configured = await configuredRegion(access);
  if (requested?.trim() === 'all') return enabledRegions(access, configured);
  const regions = requested !== undefined ? parseRegionList(requested) : configured ? [configured] : [];
  if (!regions.length) {
    throw new UserError('no AWS region configured: pass --regions (e.g. --regions eu-west-1), or set AWS_REGION or a region in your AWS profile');
  }
  const ec2 = ec2Client(access, configured ?? regions[0]!);
  try {
    const known = new Map((await describeRegions(ec2)).map((r) => [r.name, r]));
    for (const name of regions) {
      const region = known.get(name);
      if (!region) throw new UserError(`unknown region "${name}": choose from ${[...known.keys()].sort().join(', ')}`);
      if (!region.enabled) throw new UserError(`region ${name} is not enabled for this account: enable it, or leave it out of --regions`);
    }
  } catch (err) {
    if (!isDenied(err)) throw err;
  } finally {
    ec2.destroy();
  }
  return regions;
}

/**
 * Every region the account may use: DescribeRegions(AllRegions) with OptInStatus
 * opt-in-not-required or opted-in (a not-opted-in region refuses the account's credentials).
 * Asked in the configured region, else in us-east-1, which needs no opt-in in the aws partition.
 */
async function enabledRegions(access: AwsAccess, configured: string | undefined): Promise<string[]> {
  const ec2 = ec2Client(access, configured ?? 'us-east-1');
  try {
    return (await describeRegions(ec2)).filter((r) => r.enabled).map((r) => r.name).sort();
  } catch (err) {
    if (isDenied(err)) {
      throw new UserError('--regions all needs ec2:DescribeRegions, which was denied: allow it for the scanning identity, or list the regions, e.g. --regions eu-west-1,us-east-1');
    }
    throw err;
  } finally {
    ec2.destroy();
  }
}
