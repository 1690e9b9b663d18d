// A loopback OpenAI-compatible upstream that answers as fast as node:http
// allows, on Chat Completions and on the Responses API (POST …/responses). Paths under /fail/ always answer 429 so failover can be exercised;
// GET /__stats exposes hit counters so the runner can prove failover happened.
// Paths ending in /messages answer as the Anthropic Messages API (translated
// rows); paths under /slow/ stream one token a second, `max_tokens` tokens in
// all (the open-streams row).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { anthropicMessageBody, chatCompletionBody, chatStreamEvents, rateLimitBody, responseBody, responseStreamEvents, slowStreamChunk } from './mockPayloads.js';

export interface MockStats {
  readonly ok: number;
  readonly failed: number;
  /** Request body bytes received: proves a gateway forwarded a long prompt whole. */
  readonly bytesIn: number;
  /** Slow streams open right now: proves a gateway let go of streams its clients left. */
  readonly openSlow: number;
}

export interface MockUpstream {
  readonly server: Server;
  readonly port: number;
  stats(): MockStats;
  close(): Promise<void>;
}

const JSON_HEADERS = { 'content-type': 'application/json' };
const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };
const STREAM_KEY = Buffer.from('"stream"');
const TRUE = Buffer.from('true');
const isSpace = (c: number | undefined): boolean => c === 32 || c === 9 || c === 10 || c === 13;

/**
 * `"stream": true` anywhere in the body (gateways re-serialize JSON, so
 * whitespace around the colon is tolerated). A byte search, not a string
 * regex: the long-prompt rows send megabyte bodies, and the mock shares a core
 * with the load generator.
 */
export function asksToStream(body: Buffer): boolean {
  for (let at = body.indexOf(STREAM_KEY); at >= 0; at = body.indexOf(STREAM_KEY, at + 1)) {
    let i = at + STREAM_KEY.length;
    while (isSpace(body[i])) i++;
    if (body[i] !== 58) continue;
    i++;
    while (isSpace(body[i])) i++;
    if (body.subarray(i, i + 4).equals(TRUE)) return true;
  }
  return false;
}

interface SlowStream {
  readonly res: ServerResponse;
  sent: number;
  readonly total: number;
}

function slowTokens(body: Buffer): number {
  try {
    const n = (JSON.parse(body.toString()) as { max_tokens?: unknown }).max_tokens;
    return typeof n === 'number' && n >= 1 ? Math.min(Math.floor(n), 3600) : 1;
  } catch {
    return 1;
  }
}

export async function startMockUpstream(port = 0, host = '127.0.0.1'): Promise<MockUpstream> {
  const completion = chatCompletionBody();
  const events = chatStreamEvents();
  const response = responseBody();
  const responseEvents = responseStreamEvents();
  const rateLimited = rateLimitBody();
  const anthropic = anthropicMessageBody();
  let ok = 0;
  let failed = 0;
  let bytesIn = 0;
  // One timer for every slow stream: 10,000 of them must not cost 10,000 timers.
  const slow = new Set<SlowStream>();
  const tick = setInterval(() => {
    for (const s of slow) {
      const last = s.sent + 1 >= s.total;
      s.res.write(slowStreamChunk(s.sent++, last));
      if (last) {
        slow.delete(s);
        s.res.end();
      }
    }
  }, 1000);
  tick.unref();

  const answer = (req: IncomingMessage, res: ServerResponse, body: Buffer): void => {
    const url = req.url ?? '/';
    if (url.startsWith('/fail/')) {
      failed++;
      res.writeHead(429, { ...JSON_HEADERS, 'content-length': rateLimited.length });
      res.end(rateLimited);
      return;
    }
    if (req.method === 'GET' && url === '/__stats') {
      res.writeHead(200, JSON_HEADERS);
      res.end(JSON.stringify({ ok, failed, bytesIn, openSlow: slow.size }));
      return;
    }
    const api =
      req.method !== 'POST' ? undefined : url.endsWith('/chat/completions') ? 'chat' : url.endsWith('/responses') ? 'responses' : url.endsWith('/messages') ? 'messages' : undefined;
    if (api === undefined) {
      res.writeHead(404, JSON_HEADERS);
      res.end('{"error":{"message":"not found","type":"invalid_request_error"}}');
      return;
    }
    ok++;
    bytesIn += body.length;
    if (url.startsWith('/slow/')) {
      const stream: SlowStream = { res, sent: 1, total: slowTokens(body) + 1 };
      res.writeHead(200, SSE_HEADERS);
      res.write(slowStreamChunk(0, false));
      slow.add(stream);
      res.on('close', () => slow.delete(stream));
      return;
    }
    if (api === 'messages') {
      res.writeHead(200, { ...JSON_HEADERS, 'content-length': anthropic.length });
      res.end(anthropic);
      return;
    }
    if (asksToStream(body)) {
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
    req.on('end', () => { answer(req, res, parts.length === 1 ? parts[0]! : Buffer.concat(parts)); });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return {
    server,
    port: (server.address() as AddressInfo).port,
    stats: () => ({ ok, failed, bytesIn, openSlow: slow.size }),
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(tick);
        server.closeAllConnections();
        server.close(() => { resolve(); });
      }),
  };
}
