// The listener: limits on what clients may send, routing by method and path,
// client keys, x-request-id on every response, and readiness for graceful shutdown.
import { tagRequestId } from './responseHead.js';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { GatewaySettings } from '../config/types.js';
import type { WireFormat } from '../dialects/wireFormat.js';
import { handleChat } from './chatHandler.js';
import { handleCountTokens } from './countTokensHandler.js';
import { logAccessOnClose, newAccessNotes } from '../observability/accessLog.js';
import { onClientError } from './clientErrors.js';
import { OPEN_CLIENT, type ClientIdentity } from './clientAuth.js';
import { findDuplicatedHeader } from './duplicateHeaders.js';
import { sendBody, sendError } from './errorResponse.js';
import { listModels } from './modelsEndpoint.js';
import { handleResponses } from './responsesHandler.js';
import { handleResponseById, responseIdOf } from './responsesRetrieval.js';
import { OBSERVABILITY_PATHS, serveObservability } from './observabilityRoutes.js';
import { requestIdFrom } from './requestId.js';
import type { RouteContext } from './routeContext.js';
import type { GatewayRuntime } from './runtime.js';

interface Route {
  readonly methods: readonly string[];
  /** Whether switchyard.client_keys (when configured) apply; health probes stay open (and get no access line). */
  readonly needsKey: boolean;
  readonly handle: (rt: GatewayRuntime, req: IncomingMessage, res: ServerResponse, ctx: RouteContext) => void | Promise<void>;
  /** Chat routes: a refused request is still counted in the metrics, in this dialect. */
  readonly chat?: WireFormat;
  /** /metrics and the status routes: a key may also come as Basic credentials (browsers), and they move to the admin listener when one is configured. */
  readonly observability?: boolean;
}

/** `memory`, or the fleet link's status: connecting, connected or unavailable. */
function sharedStateStatus(rt: GatewayRuntime): string {
  const health = rt.shared.link.health();
  return health.type === 'memory' ? 'memory' : health.status;
}
/** `memory`, or whether the Postgres conversation store is reachable: connected or unavailable. */
function stateStorageStatus(rt: GatewayRuntime): string {
  const store = rt.conversations;
  return store.type === 'memory' ? 'memory' : store.health() === 'ok' ? 'connected' : 'unavailable';
}

const observabilityRoute: Route = {
  methods: ['GET'],
  needsKey: true,
  observability: true,
  handle: (rt, _req, res, ctx) => serveObservability(rt, ctx.path, res),
};

/**
 * Browsers prompt for Basic credentials (the key as the password); scrapers and
 * scripts send a bearer token and need no challenge. One challenge only: browsers
 * do not parse several in one header.
 */
const OBSERVABILITY_CHALLENGE = 'Basic realm="switchyard", charset="UTF-8"';

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  sendBody(res, status, { 'content-type': 'application/json' }, JSON.stringify(body));
}

const ROUTES: ReadonlyMap<string, Route> = new Map<string, Route>([
  ['/v1/chat/completions', { methods: ['POST'], needsKey: true, chat: 'openai', handle: (rt, req, res, ctx) => handleChat(rt, req, res, 'openai', ctx) }],
  ['/v1/messages', { methods: ['POST'], needsKey: true, chat: 'anthropic', handle: (rt, req, res, ctx) => handleChat(rt, req, res, 'anthropic', ctx) }],
  ['/v1/messages/count_tokens', { methods: ['POST'], needsKey: true, handle: handleCountTokens }],
  ['/v1/responses', { methods: ['POST'], needsKey: true, chat: 'responses', handle: (rt, req, res, ctx) => handleResponses(rt, req, res, ctx) }],
  ['/v1/models', { methods: ['GET'], needsKey: true, handle: (rt, _req, res, ctx) => { sendJson(res, 200, listModels(rt, ctx.identity)); } }],
  ['/healthz', { methods: ['GET', 'HEAD'], needsKey: false, handle: (_rt, _req, res) => { sendJson(res, 200, { status: 'ok' }); } }],
  [
    '/readyz',
    {
      methods: ['GET', 'HEAD'],
      needsKey: false,
      // Ready whatever Redis or the state storage says: a replica serves from local state while the
      // fleet is unreachable, and requests that do not use the storage are served regardless.
      handle: (rt, _req, res, ctx) => {
        sendJson(res, ctx.ready ? 200 : 503, { status: ctx.ready ? 'ready' : 'shutting-down', shared_state: sharedStateStatus(rt), state_storage: stateStorageStatus(rt) });
      },
    },
  ],
  ...[...OBSERVABILITY_PATHS].map((path) => [path, observabilityRoute] as const),
]);

/** GET and DELETE /v1/responses/{id}. */
const RESPONSE_BY_ID: Route = {
  methods: ['GET', 'DELETE'],
  needsKey: true,
  handle: (rt, req, res, ctx) => {
    const id = responseIdOf(req.url?.split('?')[0] ?? '');
    if (id === undefined) {
      sendError(res, 'responses', 404, 'not_found', 'no such response');
      return;
    }
    return handleResponseById(rt, req, res, ctx, id);
  },
};

/** The route for a path: exact, or one stored response. */
function routeOf(path: string): Route | undefined {
  return ROUTES.get(path) ?? (responseIdOf(path) === undefined ? undefined : RESPONSE_BY_ID);
}

export interface GatewayServer {
  readonly server: Server;
  /** Swaps the runtime used by new requests; in-flight requests keep theirs. */
  setRuntime(rt: GatewayRuntime): void;
  runtime(): GatewayRuntime;
  markNotReady(): void;
  isReady(): boolean;
}

/** Everything under /v1/messages is Anthropic's API, so its errors (404 and 405 included) are Anthropic's; /v1/responses… the Responses API's. */
const dialectOfPath = (path: string): WireFormat => {
  if (path === '/v1/messages' || path.startsWith('/v1/messages/')) return 'anthropic';
  return path.startsWith('/v1/responses') ? 'responses' : 'openai';
};

/** Node enforces header/request timeouts on a timer; check often enough that a short timeout means what it says. */
function checkingIntervalMs(g: GatewaySettings): number {
  return Math.max(50, Math.min(1000, Math.floor(g.headerTimeoutMs / 4)));
}

/** Node's requestTimeout is only a backstop behind readBody's own timeout, which answers in the client's dialect. */
function requestTimeoutMs(g: GatewaySettings): number {
  return g.headerTimeoutMs + g.bodyTimeoutMs + 2000;
}

export function createGatewayServer(initial: GatewayRuntime): GatewayServer {
  let rt = initial;
  let ready = true;
  const limits = initial.config.gateway;
  // Fixed at start-up, like the admin listener itself.
  const observabilityHere = limits.admin === undefined;
  const server = createServer(
    {
      noDelay: true,
      keepAliveTimeout: 65_000,
      // Fixed for the life of the listener (a reload cannot change them).
      maxHeaderSize: limits.maxHeaderBytes,
      connectionsCheckingInterval: checkingIntervalMs(limits),
      headersTimeout: limits.headerTimeoutMs,
      requestTimeout: requestTimeoutMs(limits),
      // Strict parsing is what rejects CR/LF/NUL in header values and ambiguous framing.
      insecureHTTPParser: false,
    },
    (req, res) => {
      const startedAt = performance.now();
      const requestId = requestIdFrom(req.headers['x-request-id']);
      tagRequestId(res, requestId);
      // Once shutdown has begun, a kept-alive connection is closed after its current answer.
      if (!ready) res.setHeader('connection', 'close');
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const path = q >= 0 ? url.slice(0, q) : url;
      const query = q >= 0 ? url.slice(q + 1) : '';
      const route = routeOf(path);
      const dialect = dialectOfPath(path);
      const current = rt;
      const access = newAccessNotes();
      // Probes and scrapes (health, /metrics, status) are not logged: they would drown the rest. A logger
      // above info would drop the line: skip the listener too (the bench runs at warn).
      if (current.config.gateway.accessLog && route?.needsKey !== false && route?.observability !== true && current.log.isLevelEnabled('info')) {
        logAccessOnClose(current.log, res, { requestId, method: req.method ?? '', path: path.slice(0, 200), dialect, notes: access }, startedAt);
      }
      const duplicated = findDuplicatedHeader(req.rawHeaders);
      if (duplicated !== undefined) {
        req.resume();
        sendError(res, dialect, 400, 'invalid_request_error', `the ${duplicated} header appears more than once`, { connection: 'close' });
        return;
      }
      if (!route || (route.observability === true && !observabilityHere)) {
        req.resume();
        sendError(res, dialect, 404, 'not_found', `no route for ${req.method} ${path.slice(0, 200)}`);
        return;
      }
      if (!route.methods.includes(req.method ?? '')) {
        req.resume();
        sendError(res, dialect, 405, 'method_not_allowed', `${req.method} is not allowed on ${path}`, { allow: route.methods.join(', ') });
        return;
      }
      let identity: ClientIdentity = OPEN_CLIENT;
      if (route.needsKey) {
        const auth = current.auth.authenticate(req.headers, route.observability);
        if (!auth.ok) {
          // Unread bodies of refused clients are not worth draining: close instead.
          const challenge = route.observability === true ? OBSERVABILITY_CHALLENGE : 'Bearer';
          sendError(res, dialect, 401, 'authentication_error', auth.message, { 'www-authenticate': challenge, connection: 'close' });
          if (route.chat !== undefined) current.obs.metrics.request(route.chat, undefined, 401, performance.now() - startedAt, undefined);
          return;
        }
        identity = auth.identity;
      }
      const handling = route.handle(current, req, res, { requestId, query, ready, identity, startedAt, path, access });
      // Only async handlers return a promise; a sync one has answered already.
      if (handling !== undefined) {
        handling.catch((err: unknown) => {
          current.log.error({ requestId, err }, 'unhandled error in request handler');
          sendError(res, dialect, 500, 'internal_error', 'internal gateway error');
        });
      }
    },
  );
  server.on('clientError', onClientError);
  return {
    server,
    setRuntime: (next) => {
      rt = next;
      // Timeouts are read per check, so a reload can change them; header size cannot.
      server.headersTimeout = next.config.gateway.headerTimeoutMs;
      server.requestTimeout = requestTimeoutMs(next.config.gateway);
    },
    runtime: () => rt,
    markNotReady: () => {
      ready = false;
    },
    isReady: () => ready,
  };
}
