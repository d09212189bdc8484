/**
 * A local fake AWS endpoint speaking the real wire protocols (EC2 ec2Query,
 * IAM/STS awsQuery, SSM awsJson1_1, Backup restJson1) so the real AWS SDK v3 clients can drive it.
 * All services share one URL; service and region come from the SigV4
 * credential scope. Signatures are not verified.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { backupJobRoutes } from './backup-jobs.js';
import { backupPlanRoutes } from './backup.js';
import type { Ctx, JsonHandler, QueryHandler } from './context.js';
import { ec2Handlers } from './ec2.js';
import { ApiError, errorCodes, throttlingError, type Service } from './errors.js';
import { Faults } from './faults.js';
import { iamAuthorizationHandlers } from './iam-authorization.js';
import { iamSimulateHandlers } from './iam-simulate.js';
import { iamHandlers, stsHandlers } from './iam.js';
import { organizationsHandlers } from './organizations.js';
import { assumeRoleHandler, type Session, type Sessions } from './sts.js';
import { queryError, queryResponse, unflatten } from './query.js';
import { RateLimiter, type RateLimits } from './rate-limit.js';
import { restErrorReply, restHandlers, restRequest } from './rest-json.js';
import { ssmInventoryHandlers } from './ssm-inventory.js';
import { ssmCoreHandlers } from './ssm.js';
import { accountView, parseWorld, type World, type WorldInput } from './world.js';

export interface RecordedCall {
  service: 'ec2' | 'ssm' | 'iam' | 'sts' | 'backup' | string;
  /** Backup: '' when no route matched the method and path. */
  action: string;
  region: string;
  /** The account the request was served from: the world's own, or the one whose role signed it (sts:AssumeRole). */
  accountId: string;
  /** The access key id of the SigV4 Credential= scope ('' when unsigned). */
  accessKeyId: string;
  /**
   * Query services: unflattened form params (`{ Filter: [{ Name, Value: [...] }] }`, string leaves). SSM: the JSON body.
   * Backup: path labels by model name (`BackupPlanId`) plus the query string by wire name (`maxResults`, `resourceArn`).
   */
  params: Record<string, unknown>;
  status: number;
  /** The error code answered (e.g. 'ThrottlingException'); absent on success. */
  errorCode?: string;
  /** When it arrived, in performance.now() milliseconds of the fake's process. */
  at: number;
}

export interface FakeAws {
  url: string;
  calls: RecordedCall[];
  /** The parsed world being served. */
  world: World;
  close(): Promise<void>;
}

export interface FakeAwsOptions {
  /** Artificial delay before each response, in ms (default 0). */
  latencyMs?: number;
  /**
   * Token buckets per service and region (IAM: one, global); a call finding its bucket empty
   * gets the service's throttling error. Default: no limits.
   */
  rateLimits?: RateLimits;
}

const QUERY: Partial<Record<Service, Record<string, QueryHandler>>> = {
  ec2: ec2Handlers,
  iam: { ...iamHandlers, ...iamAuthorizationHandlers, ...iamSimulateHandlers },
  sts: stsHandlers,
};
const JSON_HANDLERS: Partial<Record<Service, Record<string, JsonHandler>>> = {
  ssm: { ...ssmCoreHandlers, ...ssmInventoryHandlers },
  organizations: organizationsHandlers,
};
const BACKUP_ROUTES = [...backupPlanRoutes, ...backupJobRoutes];
const REST_JSON_HANDLERS: Record<string, JsonHandler> = restHandlers(BACKUP_ROUTES);

type Protocol = 'query' | 'json' | 'rest-json';
const PROTOCOL: Record<Service, Protocol> = { ec2: 'query', iam: 'query', sts: 'query', ssm: 'json', backup: 'rest-json', organizations: 'json' };

interface Reply {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

/** Access key, service and region from `Credential=AKID/20260101/eu-west-1/ec2/aws4_request` (header or presigned query). */
function credentialScope(req: IncomingMessage): { accessKeyId: string; service: string; region: string } | undefined {
  const source = `${req.headers.authorization ?? ''} ${decodeURIComponent(req.url ?? '')}`;
  const m = /Credential=([^/\s]+)\/\d{8}\/([^/\s]+)\/([^/\s]+)\/aws4_request/.exec(source);
  return m ? { accessKeyId: m[1] as string, region: m[2] as string, service: m[3] as string } : undefined;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function errorReply(service: string, protocol: Protocol, err: ApiError, requestId: string): Reply {
  if (protocol === 'rest-json') return restErrorReply(err);
  if (protocol === 'json') {
    return { status: err.status, contentType: 'application/x-amz-json-1.1', body: JSON.stringify({ __type: err.code, message: err.message, ...err.extra }) };
  }
  return { status: err.status, contentType: 'text/xml;charset=UTF-8', body: queryError(service, err.code, err.message, err.status, requestId) };
}

function handlerFor(service: Service, protocol: Protocol, action: string, assumeRole: QueryHandler): JsonHandler | QueryHandler | undefined {
  if (protocol !== PROTOCOL[service]) return undefined;
  if (protocol === 'rest-json') return REST_JSON_HANDLERS[action];
  if (service === 'sts' && action === 'AssumeRole') return assumeRole;
  return protocol === 'json' ? JSON_HANDLERS[service]?.[action] : QUERY[service]?.[action];
}

function unknownAction(service: Service, protocol: Protocol, call: RecordedCall, method: string, path: string): ApiError {
  const code = errorCodes[service].unknownAction;
  if (protocol === 'rest-json') return new ApiError(code, `No operation matches ${method} ${path}`, 404);
  return new ApiError(code, protocol === 'json' ? `Operation ${call.action} is not supported.` : `The action ${call.action} is not valid for this web service.`);
}

interface Served {
  world: World;
  faults: Faults;
  session: Session | undefined;
  assumeRole: QueryHandler;
}

function answer({ world, faults, session, assumeRole }: Served, call: RecordedCall, protocol: Protocol, requestId: string, method: string, path: string): Reply {
  const service = call.service as Service;
  try {
    if (call.service === 'unknown') throw new ApiError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
    if (!Object.hasOwn(PROTOCOL, call.service)) throw new ApiError('InvalidAction', `Service '${call.service}' is not served by the fake AWS endpoint`);
    const handler = handlerFor(service, protocol, call.action, assumeRole);
    if (!handler) throw unknownAction(service, protocol, call, method, path);
    faults.check(service, call.action, call.region);
    const ctx: Ctx = { world, service, action: call.action, region: call.region, params: call.params, requestId, cap: faults.pageCap(service, call.action), session };
    if (protocol !== 'query') {
      const contentType = protocol === 'json' ? 'application/x-amz-json-1.1' : 'application/json';
      return { status: 200, contentType, body: JSON.stringify((handler as JsonHandler)(ctx)) };
    }
    return { status: 200, contentType: 'text/xml;charset=UTF-8', body: queryResponse(service, call.action, requestId, (handler as QueryHandler)(ctx)) };
  } catch (e) {
    const err = e instanceof ApiError ? e : new ApiError(service === 'ec2' ? 'InternalError' : 'InternalFailure', `fake-aws bug: ${String(e)}`, 500);
    call.errorCode = err.code;
    return errorReply(service, protocol, err, requestId);
  }
}

export async function startFakeAws(worldInput: WorldInput, options: FakeAwsOptions = {}): Promise<FakeAws> {
  const world = parseWorld(worldInput);
  const sessions: Sessions = new Map();
  const assumeRole = assumeRoleHandler(sessions, world);
  // Each account has its own faults (and throttle counters); requests signed with an assumed
  // role's key are served from that role's account.
  const views = new Map([world, ...world.accounts].map((a) => {
    const view = accountView(world, a.accountId);
    return [a.accountId, { world: view, faults: new Faults(view) }] as const;
  }));
  const servedFor = (accessKeyId: string): Served => {
    const session = sessions.get(accessKeyId);
    if (!session) return { ...views.get(world.accountId)!, session: undefined, assumeRole };
    const { faults } = views.get(session.accountId)!;
    return { world: accountView(world, session.accountId, session.arn), faults, session, assumeRole };
  };
  const calls: RecordedCall[] = [];
  const limiter = options.rateLimits ? new RateLimiter(options.rateLimits) : undefined;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const requestId = randomUUID();
    const target = req.headers['x-amz-target'];
    const scope = credentialScope(req) ?? { accessKeyId: '', service: typeof target === 'string' ? 'ssm' : 'unknown', region: 'us-east-1' };
    const served = servedFor(scope.accessKeyId);
    const protocol: Protocol = scope.service === 'backup' ? 'rest-json' : typeof target === 'string' || scope.service === 'ssm' ? 'json' : 'query';
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    let action = '';
    let params: Record<string, unknown> = {};
    let parseError: ApiError | undefined;
    if (protocol === 'rest-json') {
      // Every Backup operation served here is a GET: its input is the path and query string.
      ({ action, params } = restRequest(BACKUP_ROUTES, method, req.url ?? '/'));
    } else if (protocol === 'json') {
      action = typeof target === 'string' ? (target.split('.').pop() ?? '') : '';
      try {
        const parsed: unknown = body.trim() === '' ? {} : JSON.parse(body);
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) params = parsed as Record<string, unknown>;
        else throw new Error('not an object');
      } catch {
        parseError = new ApiError('SerializationException', 'Request body is not a valid JSON object');
      }
    } else {
      const form = new URLSearchParams(body);
      action = form.get('Action') ?? '';
      params = unflatten([...form].filter(([k]) => k !== 'Action' && k !== 'Version'));
    }
    const call: RecordedCall = { service: scope.service, action, region: scope.region, accountId: served.world.accountId, accessKeyId: scope.accessKeyId, params, status: 0, at: performance.now() };
    calls.push(call);
    // Metered on arrival, as AWS does; the latency below is the round trip, throttled or not.
    const known = Object.hasOwn(PROTOCOL, scope.service) ? (scope.service as Service) : undefined;
    const throttled = known && limiter && !limiter.take(known, scope.region, served.world.accountId) ? throttlingError(known) : undefined;
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
    const refused = parseError ?? throttled;
    if (refused) call.errorCode = refused.code;
    const reply = refused ? errorReply(scope.service, parseError ? 'json' : protocol, refused, requestId) : answer(served, call, protocol, requestId, method, path);
    call.status = reply.status;
    res.writeHead(reply.status, {
      ...reply.headers,
      'content-type': reply.contentType,
      'content-length': Buffer.byteLength(reply.body),
      'x-amzn-RequestId': requestId,
      date: new Date().toUTCString(),
    });
    res.end(reply.body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`fake-aws internal error: ${String(e)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    world,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Client config pointing a real SDK v3 client at the fake. */
export function sdkConfig(fake: FakeAws, region: string) {
  return {
    region,
    endpoint: fake.url,
    credentials: { accessKeyId: 'AKIDFAKE', secretAccessKey: 'fake' },
    maxAttempts: 3,
  };
}
