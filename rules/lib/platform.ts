import type { Evidence } from '../../src/engine/types.js';
import type { InstanceFacts } from '../../src/facts/snapshot.js';

export interface PlatformView {
  /** undefined when no source says. */
  windows: boolean | undefined;
  /** Which source decided: SSM reports the running OS, so it wins when the node is managed. */
  source: 'ssm:PlatformType' | 'ec2:Platform' | 'ec2:PlatformDetails' | 'none';
  evidence: Evidence;
}

/** EC2 billing-product names of Windows (vss-facts §3 P1, EC2-BILL). */
const WINDOWS_DETAILS = /^windows/i;

const views = new WeakMap<InstanceFacts, PlatformView>();
/** By Platform, PlatformDetails, then SSM's PlatformType: a fleet has a handful of distinct views. */
const distinct = new Map<string | null | undefined, Map<string | null | undefined, Map<string | null | undefined, PlatformView>>>();

/**
 * Which OS the instance runs, by the sources' precedence. Every rule asks first, so the view is
 * found once per instance; instances with the same platform facts share one frozen view, so a
 * rule can remember what it made of it (windows-platform).
 */
export function platformOf(instance: InstanceFacts): PlatformView {
  let view = views.get(instance);
  if (!view) {
    const { platform, platformDetails } = instance;
    const type = instance.ssm.known ? instance.ssm.value?.platformType : undefined;
    let byDetails = distinct.get(platform);
    if (!byDetails) distinct.set(platform, (byDetails = new Map()));
    let byType = byDetails.get(platformDetails);
    if (!byType) byDetails.set(platformDetails, (byType = new Map()));
    view = byType.get(type);
    if (!view) {
      view = readPlatform(instance);
      Object.freeze(view.evidence);
      byType.set(type, Object.freeze(view));
    }
    views.set(instance, view);
  }
  return view;
}

function readPlatform(instance: InstanceFacts): PlatformView {
  const evidence: Evidence = { Platform: instance.platform, PlatformDetails: instance.platformDetails };
  const node = instance.ssm.known ? instance.ssm.value : null;
  if (node?.platformType) {
    return { windows: node.platformType === 'Windows', source: 'ssm:PlatformType', evidence: { ...evidence, PlatformType: node.platformType } };
  }
  // EC2's model spells the enum 'Windows' while the API returns 'windows': compare case-insensitively.
  if (instance.platform?.toLowerCase() === 'windows') return { windows: true, source: 'ec2:Platform', evidence };
  if (WINDOWS_DETAILS.test(instance.platformDetails ?? '')) return { windows: true, source: 'ec2:PlatformDetails', evidence };
  // Platform is absent for every non-Windows AMI; without PlatformDetails too, nothing says what it is.
  if (instance.platformDetails) return { windows: false, source: 'ec2:PlatformDetails', evidence };
  return { windows: undefined, source: 'none', evidence };
}

const skipMessages = new Map<string, string>();

/**
 * For rules that only matter on Windows: a skip outcome's message when the instance is not. Fifteen
 * rules give it for every Linux instance, so each distinct message is made once.
 */
export function notWindows(view: PlatformView): string | undefined {
  if (view.windows !== false) return undefined;
  const seen = String(view.evidence['PlatformType'] ?? view.evidence['PlatformDetails']);
  let message = skipMessages.get(seen);
  if (message === undefined) {
    message = `Not Windows (${seen}): VSS never runs, so this does not apply.`;
    skipMessages.set(seen, message);
  }
  return message;
}
