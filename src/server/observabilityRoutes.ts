// GET /metrics, /status and /status.json: what the gateway did, for Prometheus,
// a person and a script. Served on the model listener (behind client keys when
// configured) or on the admin listener. Every body passes through the secret
// redactor last: nothing here should carry a secret, and this makes sure.
import type { ServerResponse } from 'node:http';
import { STATUS_PAGE_CSP, renderStatusPage } from '../observability/statusPage.js';
import { writeHead } from './responseHead.js';
import type { GatewayRuntime } from './runtime.js';

export const OBSERVABILITY_PATHS: ReadonlySet<string> = new Set(['/metrics', '/status', '/status.json']);

function send(res: ServerResponse, headers: Record<string, string>, body: string): void {
  writeHead(res, 200, { ...headers, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export async function serveObservability(rt: GatewayRuntime, path: string, res: ServerResponse): Promise<void> {
  switch (path) {
    case '/metrics': {
      const { contentType, text } = await rt.obs.metrics.scrape();
      send(res, { 'content-type': contentType }, rt.redact.text(text));
      return;
    }
    case '/status.json':
      send(res, { 'content-type': 'application/json' }, rt.redact.text(JSON.stringify(rt.obs.snapshot())));
      return;
    default:
      send(
        res,
        { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': STATUS_PAGE_CSP, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' },
        rt.redact.text(renderStatusPage(rt.obs.snapshot())),
      );
  }
}
