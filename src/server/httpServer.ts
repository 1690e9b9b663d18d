// The listener: routes by method and path, stamps x-request-id on every
// response, and tracks readiness for graceful shutdown.
import { tagRequestId, writeHead } from './responseHead.js';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { handleChat } from './chatHandler.js';
import { sendError } from './errorResponse.js';
import { listModels } from './modelsEndpoint.js';
import { requestIdFrom } from './requestId.js';
import type { GatewayRuntime } from './runtime.js';

interface Route {
  readonly methods: readonly string[];
  readonly handle: (rt: GatewayRuntime, req: IncomingMessage, res: ServerResponse, requestId: string, ready: boolean) => void | Promise<void>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  writeHead(res, status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const ROUTES: ReadonlyMap<string, Route> = new Map<string, Route>([
  ['/v1/chat/completions', { methods: ['POST'], handle: (rt, req, res, id) => handleChat(rt, req, res, 'openai', id) }],
  ['/v1/messages', { methods: ['POST'], handle: (rt, req, res, id) => handleChat(rt, req, res, 'anthropic', id) }],
  ['/v1/models', { methods: ['GET'], handle: (rt, _req, res) => sendJson(res, 200, listModels(rt)) }],
  ['/healthz', { methods: ['GET', 'HEAD'], handle: (_rt, _req, res) => sendJson(res, 200, { status: 'ok' }) }],
  [
    '/readyz',
    {
      methods: ['GET', 'HEAD'],
      handle: (_rt, _req, res, _id, ready) => sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'shutting-down' }),
    },
  ],
]);

export interface GatewayServer {
  readonly server: Server;
  /** Swaps the runtime used by new requests; in-flight requests keep theirs. */
  setRuntime(rt: GatewayRuntime): void;
  runtime(): GatewayRuntime;
  markNotReady(): void;
}

export function createGatewayServer(initial: GatewayRuntime): GatewayServer {
  let rt = initial;
  let ready = true;
  const server = createServer({ noDelay: true, keepAliveTimeout: 65_000, requestTimeout: 0 }, (req, res) => {
    const requestId = requestIdFrom(req.headers['x-request-id']);
    tagRequestId(res, requestId);
    const q = req.url?.indexOf('?') ?? -1;
    const path = q >= 0 ? req.url!.slice(0, q) : req.url ?? '/';
    const route = ROUTES.get(path);
    const dialect = path === '/v1/messages' ? 'anthropic' : 'openai';
    if (!route) {
      req.resume();
      sendError(res, dialect, 404, 'not_found', `no route for ${req.method} ${path.slice(0, 200)}`);
      return;
    }
    if (!route.methods.includes(req.method ?? '')) {
      req.resume();
      sendError(res, dialect, 405, 'method_not_allowed', `${req.method} is not allowed on ${path}`, { allow: route.methods.join(', ') });
      return;
    }
    const current = rt;
    Promise.resolve(route.handle(current, req, res, requestId, ready)).catch((err: unknown) => {
      current.log.error({ requestId, err }, 'unhandled error in request handler');
      sendError(res, dialect, 500, 'internal_error', 'internal gateway error');
    });
  });
  return {
    server,
    setRuntime: (next) => {
      rt = next;
    },
    runtime: () => rt,
    markNotReady: () => {
      ready = false;
    },
  };
}
