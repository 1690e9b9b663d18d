// The admin listener (switchyard.admin): /metrics, /status and /status.json,
// plus the health probes, served without client keys. Its address is the
// operator's to protect; it defaults to loopback.
import { createServer, type Server } from 'node:http';
import { sendBody, sendError } from './errorResponse.js';
import { OBSERVABILITY_PATHS, serveObservability } from './observabilityRoutes.js';
import type { GatewayRuntime } from './runtime.js';

const PROBES = new Set(['/healthz', '/readyz']);
const JSON_TYPE = { 'content-type': 'application/json' };

export function createAdminServer(runtime: () => GatewayRuntime, ready: () => boolean): Server {
  return createServer((req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q >= 0 ? url.slice(0, q) : url;
    req.resume();
    if (!OBSERVABILITY_PATHS.has(path) && !PROBES.has(path)) {
      sendError(res, 'openai', 404, 'not_found', `no route for ${req.method} ${path.slice(0, 200)}`);
      return;
    }
    if (req.method !== 'GET' && !(req.method === 'HEAD' && PROBES.has(path))) {
      sendError(res, 'openai', 405, 'method_not_allowed', `${req.method} is not allowed on ${path}`, { allow: PROBES.has(path) ? 'GET, HEAD' : 'GET' });
      return;
    }
    if (path === '/healthz') {
      sendBody(res, 200, JSON_TYPE, '{"status":"ok"}');
      return;
    }
    if (path === '/readyz') {
      sendBody(res, ready() ? 200 : 503, JSON_TYPE, ready() ? '{"status":"ready"}' : '{"status":"shutting-down"}');
      return;
    }
    const rt = runtime();
    serveObservability(rt, path, res).catch((err: unknown) => {
      rt.log.error({ err }, 'admin listener: unhandled error');
      sendError(res, 'openai', 500, 'internal_error', 'internal gateway error');
    });
  });
}
