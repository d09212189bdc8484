import type { InstanceFacts, RoleFacts } from '../facts/snapshot.js';
import { defaultUnknowableKeys } from './evaluate.js';
import { evaluateRole, type Judged, type LabeledRequest } from './role-requests.js';
import { vssRequests, type Generation } from './vss-requests.js';

type Target = Pick<InstanceFacts, 'instanceId' | 'region' | 'accountId'>;

const SOURCE_INSTANCE_ARN = 'ec2:sourceinstancearn';

/**
 * Whether DHMC credentials carry ec2:SourceInstanceARN is unverified (vss-facts §4, §8.4): the
 * requests leave it out, and the evaluator may not assume it absent either.
 */
const unknowable = (key: string) => defaultUnknowableKeys(key) || key.toLowerCase() === SOURCE_INSTANCE_ARN;

function dhmcRequests(instance: Target, generation: Generation): LabeledRequest[] {
  return vssRequests(instance, generation).map((r) => ({
    ...r,
    context: Object.fromEntries(Object.entries(r.context).filter(([key]) => key.toLowerCase() !== SOURCE_INSTANCE_ARN)),
  }));
}

/** Policies that name this instance's id decide per instance; otherwise one result serves the region and account. */
const mentionedIds = new WeakMap<RoleFacts, Set<string>>();
function idsIn(role: RoleFacts): Set<string> {
  let ids = mentionedIds.get(role);
  if (!ids) {
    const text = JSON.stringify([role.attachedPolicies, role.inlinePolicies, role.permissionsBoundary]);
    ids = new Set(text.match(/i-[0-9a-f]{8,17}/g) ?? []);
    mentionedIds.set(role, ids);
  }
  return ids;
}

/**
 * The requests of one package generation made with the Default Host Management role's credentials,
 * evaluated against its policies (dhmc-role-grants-vss; the inventory plan asks the same).
 */
const cache = new WeakMap<RoleFacts, Map<string, Judged[]>>();
export function evaluateDhmc(role: RoleFacts, instance: Target, generation: Generation): Judged[] {
  const perRole = cache.get(role) ?? new Map<string, Judged[]>();
  cache.set(role, perRole);
  const key = [instance.region, instance.accountId, idsIn(role).has(instance.instanceId) ? instance.instanceId : '', generation].join('|');
  let results = perRole.get(key);
  if (!results) {
    results = evaluateRole(role, dhmcRequests(instance, generation), { unknowableKeys: unknowable });
    perRole.set(key, results);
  }
  return results;
}
