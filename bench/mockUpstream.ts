// A loopback OpenAI-compatible upstream that answers as fast as node:http
// allows, on Chat Completions and on the Responses API (POST …/responses). Paths under /fail/ always answer 429 so failover can be exercised;
// GET /__stats exposes hit counters so the runner can prove failover happened.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chatCompletionBody, chatStreamEvents, rateLimitBody, responseBody, responseStreamEvents } from './mockPayloads.js';

export interface MockStats {
  readonly ok: number;
  readonly failed: number;
}

export interface MockUpstream {
  readonly server: Server;
  readonly port: number;
  stats(): MockStats;
  close(): Promise<void>;
}

const JSON_HEADERS = { 'content-type': 'application/json' };
const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };
// Gateways re-serialize JSON, so tolerate whitespace around the colon.
const STREAM_FLAG = /"stream"\s*:\s*true/;

export async function startMockUpstream(port = 0, host = '127.0.0.1'): Promise<MockUpstream> {
  const completion = chatCompletionBody();
  const events = chatStreamEvents();
  const response = responseBody();
  const responseEvents = responseStreamEvents();
  const rateLimited = rateLimitBody();
  let ok = 0;
  let failed = 0;

  const answer = (req: IncomingMessage, res: ServerResponse, body: string): void => {
    const url = req.url ?? '/';
    if (url.startsWith('/fail/')) {
      failed++;
      res.writeHead(429, { ...JSON_HEADERS, 'content-length': rateLimited.length });
      res.end(rateLimited);
      return;
    }
    if (req.method === 'GET' && url === '/__stats') {
      res.writeHead(200, JSON_HEADERS);
      res.end(JSON.stringify({ ok, failed }));
      return;
    }
    const api = req.method !== 'POST' ? undefined : url.endsWith('/chat/completions') ? 'chat' : url.endsWith('/responses') ? 'responses' : undefined;
    if (api === undefined) {
      res.writeHead(404, JSON_HEADERS);
      res.end('{"error":{"message":"not found","type":"invalid_request_error"}}');
      return;
    }
    ok++;
    if (STREAM_FLAG.test(body)) {
      res.writeHead(200, SSE_HEADERS);
      for (const event of api === 'chat' ? events : responseEvents) res.write(event);
      res.end();
      return;
    }
    const whole = api === 'chat' ? completion : response;
    res.writeHead(200, { ...JSON_HEADERS, 'content-length': whole.length });
    res.end(whole);
  };

  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => { answer(req, res, parts.length === 1 ? parts[0]!.toString() : Buffer.concat(parts).toString()); });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return {
    server,
    port: (server.address() as AddressInfo).port,
    stats: () => ({ ok, failed }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => { resolve(); });
      }),
  };
}
