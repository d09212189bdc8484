/**
 * AWS-style pagination: opaque tokens bound to the request they came from.
 * A token encodes the next offset plus a fingerprint of the non-paging request
 * parameters; replaying it with different filters is rejected, as real AWS does.
 */
import { createHash } from 'node:crypto';
import { ApiError } from './errors.js';

export interface PageOptions {
  /** The token the client sent (NextToken / Marker), if any. */
  token: string | undefined;
  /** Validated page size the client asked for, if any. */
  requested: number | undefined;
  /** Page size when the client did not ask (Infinity = everything). */
  defaultSize: number;
  /** faults.maxPageSize cap, if any. */
  cap: number | undefined;
  /** Request parameters without the paging ones. */
  params: Record<string, unknown>;
  /** Error to throw on a token that is malformed or from another request. */
  badToken: (token: string) => ApiError;
}

export interface Page<T> {
  items: T[];
  nextToken: string | undefined;
}

const PAGING_KEYS = new Set(['NextToken', 'MaxResults', 'Marker', 'MaxItems']);

function fingerprint(params: Record<string, unknown>): string {
  const rest = Object.fromEntries(Object.entries(params).filter(([k]) => !PAGING_KEYS.has(k)).sort(([a], [b]) => a.localeCompare(b)));
  return createHash('sha256').update(JSON.stringify(rest)).digest('base64url').slice(0, 12);
}

function decodeToken(token: string, fp: string): number | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { o, f } = parsed as { o?: unknown; f?: unknown };
    if (typeof o !== 'number' || !Number.isInteger(o) || o < 0 || f !== fp) return undefined;
    return o;
  } catch {
    return undefined;
  }
}

export function paginate<T>(all: readonly T[], opts: PageOptions): Page<T> {
  const fp = fingerprint(opts.params);
  let offset = 0;
  if (opts.token !== undefined && opts.token !== '') {
    const decoded = decodeToken(opts.token, fp);
    if (decoded === undefined) throw opts.badToken(opts.token);
    offset = decoded;
  }
  const size = Math.min(opts.requested ?? opts.defaultSize, opts.cap ?? Infinity);
  const end = Math.min(all.length, offset + size);
  const items = all.slice(offset, end);
  const nextToken = end < all.length ? Buffer.from(JSON.stringify({ o: end, f: fp })).toString('base64url') : undefined;
  return { items, nextToken };
}

/** Case-sensitive match with EC2/SSM style wildcards: '*' any run, '?' one char. */
export function wildcardMatch(pattern: string, value: string): boolean {
  if (!/[*?]/.test(pattern)) return pattern === value;
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 's').test(value);
}
