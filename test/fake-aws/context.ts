/** What a service handler gets to answer one request. */
import type { Service } from './errors.js';
import type { Session } from './sts.js';
import type { World } from './world.js';
import type { XmlValue } from './xml.js';

export interface Ctx {
  world: World;
  service: Service;
  action: string;
  /** Region from the SigV4 credential scope. */
  region: string;
  /** Query services: unflattened form params (string leaves). SSM: the parsed JSON body. */
  params: Record<string, unknown>;
  requestId: string;
  /** faults.maxPageSize for this action, if any. */
  cap: number | undefined;
  /** The sts:AssumeRole session the request was signed with; undefined for the world's own credentials. */
  session?: Session | undefined;
}

/** Returns the members of <ActionResult> (awsQuery) or of <ActionResponse> (ec2Query). */
export type QueryHandler = (ctx: Ctx) => XmlValue;
/** Returns the JSON response object (awsJson1_1). */
export type JsonHandler = (ctx: Ctx) => Record<string, unknown>;

/** FNV-1a hash of a string (deterministic ids and addresses). */
export function hashNum(seed: string): number {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619) >>> 0;
  return h;
}

/** Deterministic fake id: prefix + `len` chars derived from `seed` (e.g. AROA… role ids). */
export function fakeId(prefix: string, seed: string, len = 17, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'): string {
  let h = hashNum(prefix + seed);
  let out = '';
  while (out.length < len) {
    h = Math.imul(h ^ (h >>> 15), 2246822507) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
    out += alphabet[h % alphabet.length];
  }
  return prefix + out;
}

export function callerArn(world: World): string {
  return world.callerArn ?? `arn:aws:iam::${world.accountId}:user/vss-preflight-test`;
}
