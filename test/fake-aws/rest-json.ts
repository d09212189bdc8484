/**
 * The restJson1 wire protocol (AWS Backup): the operation is named by HTTP method + path, its
 * input comes from path labels and the query string, the output is a JSON body, and an error is
 * the `x-amzn-ErrorType` header plus a JSON body `{"Message": ...}` (the SDK reads the header
 * first, then `code`/`__type` in the body; the message from `message` or `Message`).
 */
import type { Ctx, JsonHandler } from './context.js';
import { ApiError, checkRange, validationError, type Service } from './errors.js';
import { paginate, type Page } from './paginate.js';

export interface RestRoute {
  method: string;
  /** Path template; `{Name}` captures one segment under the model's member name. */
  path: string;
  action: string;
  handler: JsonHandler;
}

export interface RestRequest {
  /** '' when no route matches. */
  action: string;
  /** Path labels by model name, plus the query string by wire name (string values). */
  params: Record<string, unknown>;
}

const segments = (path: string) => path.split('/').filter((s) => s !== '');

/** Match `GET /backup/plans/abc/selections/?maxResults=5` against the routes. Trailing slashes do not matter. */
export function restRequest(routes: readonly RestRoute[], method: string, url: string): RestRequest {
  const parsed = new URL(url, 'http://fake');
  const query = Object.fromEntries(parsed.searchParams);
  const got = segments(parsed.pathname).map((s) => decodeURIComponent(s));
  for (const route of routes) {
    const want = segments(route.path);
    if (route.method !== method || want.length !== got.length) continue;
    const labels: Record<string, string> = {};
    const ok = want.every((w, i) => {
      const label = /^\{(\w+)\}$/.exec(w);
      if (label) labels[label[1] as string] = got[i] as string;
      return label ? got[i] !== '' : w === got[i];
    });
    if (ok) return { action: route.action, params: { ...query, ...labels } };
  }
  return { action: '', params: query };
}

export function restHandlers(routes: readonly RestRoute[]): Record<string, JsonHandler> {
  return Object.fromEntries(routes.map((r) => [r.action, r.handler]));
}

export function restErrorReply(err: ApiError): { status: number; contentType: string; body: string; headers: Record<string, string> } {
  return { status: err.status, contentType: 'application/json', body: JSON.stringify({ Message: err.message }), headers: { 'x-amzn-ErrorType': err.code } };
}

/** One page of a restJson list call: `maxResults` (1-1000) and `nextToken` in the query string. */
export function restPage<T>(ctx: Ctx, service: Service, items: readonly T[], defaultSize: number, badToken: () => ApiError): Page<T> {
  const { nextToken, maxResults, ...rest } = ctx.params;
  const requested = checkRange(service, 'MaxResults', maxResults, 1, 1000);
  return paginate(items, { token: typeof nextToken === 'string' ? nextToken : undefined, requested, defaultSize, cap: ctx.cap, params: rest, badToken });
}

/** restJson timestamps in the body are epoch seconds; in the query string they are ISO-8601. */
export function queryTime(service: Service, params: Record<string, unknown>, name: string): number | undefined {
  const raw = params[name];
  if (raw === undefined) return undefined;
  const t = Date.parse(String(raw));
  if (Number.isNaN(t)) throw validationError(service, `Invalid timestamp '${String(raw)}' for ${name}`);
  return t;
}
