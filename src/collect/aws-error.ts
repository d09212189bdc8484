import type { Known } from '../facts/known.js';
import type { ScanError } from '../facts/snapshot.js';

/** Error names AWS uses for "your identity may not do this" across EC2, SSM, IAM and STS. */
const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'AuthorizationError']);

/** Node's network failures: the environment, not a bug and not a refusal. */
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH']);

type AwsError = Error & { $metadata: { requestId?: string; httpStatusCode?: number } };

/** As smithy-typescript's ServiceException.isInstance: a modelled or unmodelled AWS answer. */
const isAwsError = (e: unknown): e is AwsError => e instanceof Error && '$fault' in e && '$metadata' in e;

const networkCode = (e: unknown): string | undefined => {
  const code = e instanceof Error ? (e as { code?: unknown }).code : undefined;
  return typeof code === 'string' && NETWORK.has(code) ? code : undefined;
};

/** Where a call was made: `service:Action`, and its region (null for global IAM). */
export interface CallSite {
  service: string;
  action: string;
  region: string | null;
}

export const isDenied = (err: unknown): boolean => isAwsError(err) && DENIED.has(err.name);

/**
 * An AWS refusal (or an unreachable endpoint) is a fact: it becomes a ScanError and an unknown
 * with a reason that names the action. Anything else is our bug and is rethrown.
 */
export function classify(err: unknown, site: CallSite): { error: ScanError; reason: string } {
  const where = site.region ? ` in ${site.region}` : '';
  const call = `${site.service}:${site.action}`;
  if (isAwsError(err)) {
    const denied = DENIED.has(err.name);
    const reason = denied
      ? `${call} was denied${where}; allow it for the scanning identity`
      : `${call} failed${where}: ${err.name} (request ${err.$metadata.requestId ?? 'n/a'})`;
    return { error: { ...site, code: err.name, message: oneLine(err.message) }, reason };
  }
  const code = networkCode(err);
  if (code) {
    return {
      error: { ...site, code, message: oneLine((err as Error).message) },
      reason: `${call} could not reach AWS${where} (${code}); check network access to the endpoint`,
    };
  }
  throw err;
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Collects ScanErrors, one entry per (service, action, region, code) with a count. */
export class ErrorLog {
  private readonly byKey = new Map<string, ScanError & { count: number }>();

  record(error: ScanError): void {
    const key = [error.service, error.action, error.region, error.code].join('|');
    const seen = this.byKey.get(key);
    if (seen) seen.count++;
    else this.byKey.set(key, { ...error, count: 1 });
  }

  /** Sorted, so a report does not depend on which concurrent call failed first. */
  list(): (ScanError & { count: number })[] {
    return [...this.byKey.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, e]) => e);
  }

  /** Run one AWS call; an AWS refusal becomes `{known:false, reason}` and an entry in the log. */
  async attempt<T>(site: CallSite, call: () => Promise<T>): Promise<Known<T>> {
    try {
      return { known: true, value: await call() };
    } catch (err) {
      const { error, reason } = classify(err, site);
      this.record(error);
      return { known: false, reason };
    }
  }
}
