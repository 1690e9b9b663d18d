// Mock model providers that speak a real wire format: an OpenAI-format mock
// answers POST …/chat/completions, an Anthropic-format mock POST …/messages,
// each checking requests the way the real API does and replying in its own
// JSON, SSE and error shapes (see openAIWire.ts and anthropicWire.ts). Any
// other path gets a 404 in the provider's error shape, so a request sent to the
// wrong format's path fails loudly. Replies are scripted per request.
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { anthropicError, checkAnthropicRequest, renderAnthropic } from './anthropicWire.js';
import { isObject, type IdSource, type MockReply, type RenderedReply } from './mockReplies.js';
import { checkOpenAIRequest, openAIError, renderOpenAI } from './openAIWire.js';
import { checkResponsesRequest, renderResponses } from './responsesWire.js';

export type { MockReply } from './mockReplies.js';

export type MockFormat = 'openai' | 'anthropic';

/** A mock's wire: a chat format, or `responses`, OpenAI's Responses API (POST …/responses) and nothing else. */
export type MockWire = MockFormat | 'responses';

export interface ProviderRequest {
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** The parsed JSON body (an empty object when it was not an object). */
  readonly body: Record<string, unknown>;
  /** The status the mock answered with. */
  readonly status: number;
}

export interface MockProvider {
  readonly format: MockWire;
  readonly url: string;
  /** Every request received, in order, including rejected ones. */
  readonly requests: ProviderRequest[];
  /** Queues replies for the next requests; once used up, `fallback` answers. */
  reply(...replies: MockReply[]): void;
  fallback: (req: ProviderRequest) => MockReply;
  /** Forgets recorded requests and queued replies. */
  reset(): void;
  last(): ProviderRequest;
  close(): Promise<void>;
}

interface WireFormat {
  readonly pathSuffix: string;
  readonly error: (status: number, message: string) => RenderedReply;
  readonly check: (body: Record<string, unknown>, headers: IncomingHttpHeaders) => RenderedReply | undefined;
  readonly render: (reply: MockReply, body: Record<string, unknown>, nextId: IdSource) => RenderedReply;
}

const FORMATS: Readonly<Record<MockWire, WireFormat>> = {
  openai: { pathSuffix: '/chat/completions', error: openAIError, check: checkOpenAIRequest, render: renderOpenAI },
  anthropic: { pathSuffix: '/messages', error: anthropicError, check: checkAnthropicRequest, render: renderAnthropic },
  responses: { pathSuffix: '/responses', error: openAIError, check: checkResponsesRequest, render: renderResponses },
};

async function send(res: ServerResponse, rendered: RenderedReply): Promise<void> {
  if (rendered.kind === 'json') {
    res.writeHead(rendered.status, { 'content-type': 'application/json', ...rendered.headers });
    res.end(JSON.stringify(rendered.body));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  // One write per event, each flushed before the next, so the gateway really receives a stream.
  for (const frame of rendered.frames) {
    if (res.destroyed) return;
    await new Promise<void>((resolve) => res.write(frame, () => { resolve(); }));
  }
  res.end();
}

/** Anthropic's POST /v1/messages/count_tokens, counting about 4 characters a token of what the model would read. */
function countTokens(raw: string, headers: IncomingHttpHeaders): { rendered: RenderedReply; body: Record<string, unknown> } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { rendered: anthropicError(400, 'the request body is not valid JSON'), body: {} };
  }
  const body = isObject(parsed) ? parsed : {};
  const rejected = checkAnthropicRequest(body, headers, true);
  if (rejected) return { rendered: rejected, body };
  const read = JSON.stringify([body.system ?? '', body.messages, body.tools ?? []]);
  return { rendered: { kind: 'json', status: 200, body: { input_tokens: Math.ceil(read.length / 4) } }, body };
}

export async function startMockProvider(format: MockWire, name = `mock-${format}`): Promise<MockProvider> {
  const wire = FORMATS[format];
  const queue: MockReply[] = [];
  const requests: ProviderRequest[] = [];
  let counter = 0;
  const nextId: IdSource = (prefix) => `${prefix}${name.replace(/[^a-z0-9]/gi, '')}${++counter}`;
  const mock: MockProvider = {
    format,
    url: '',
    requests,
    reply: (...replies) => void queue.push(...replies),
    fallback: () => ({ kind: 'answer', text: `Hello from ${name}.` }),
    reset: () => {
      queue.length = 0;
      requests.length = 0;
    },
    last: () => {
      const r = requests.at(-1);
      if (!r) throw new Error(`${name} received no request`);
      return r;
    },
    close: async () => {},
  };

  const answer = (raw: string, url: URL, headers: IncomingHttpHeaders): { rendered: RenderedReply; body: Record<string, unknown> } => {
    const path = url.pathname;
    if (format === 'anthropic' && path.endsWith('/messages/count_tokens')) return countTokens(raw, headers);
    if (!path.endsWith(wire.pathSuffix)) return { rendered: wire.error(404, `no route for ${path} on this provider`), body: {} };
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return { rendered: wire.error(400, 'the request body is not valid JSON'), body: {} };
    }
    const body = isObject(parsed) ? parsed : {};
    const rejected = isObject(parsed) ? wire.check(body, headers) : wire.error(400, 'the request body must be a JSON object');
    if (rejected) return { rendered: rejected, body };
    const reply = queue.shift() ?? mock.fallback({ path, query: url.searchParams, headers, body, status: 200 });
    return { rendered: wire.render(reply, body, nextId), body };
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://mock');
      const { rendered, body } =
        req.method === 'POST'
          ? answer(Buffer.concat(chunks).toString('utf8'), url, req.headers)
          : { rendered: wire.error(404, `no route for ${req.method} ${url.pathname}`), body: {} };
      requests.push({ path: url.pathname, query: url.searchParams, headers: req.headers, body, status: rendered.kind === 'json' ? rendered.status : 200 });
      send(res, rendered).catch(() => res.destroy());
    });
  });
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => { resolve(); }));
  const { port } = server.address() as AddressInfo;
  return Object.assign(mock, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => { resolve(); });
      }),
  });
}
