// A scriptable provider for integration tests: a real HTTP server on
// 127.0.0.1 that answers each request with the next step of its script and
// records what it received (headers, body, whether the caller aborted).
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type MockStep =
  | { readonly kind: 'json'; readonly status: number; readonly body: unknown; readonly headers?: Record<string, string>; readonly delayMs?: number }
  | { readonly kind: 'raw'; readonly status: number; readonly body: string | Buffer; readonly headers?: Record<string, string>; readonly delayMs?: number }
  | {
      readonly kind: 'sse';
      /** Raw SSE frames, e.g. "data: {...}\n\n". */
      readonly frames: readonly string[];
      readonly intervalMs?: number;
      readonly firstDelayMs?: number;
      /** Delay before each frame (index i: before frame i); overrides intervalMs where given. */
      readonly delaysMs?: readonly number[];
      /** Send the status and headers at once, before firstDelayMs and the frames. */
      readonly headersFirst?: boolean;
      /** Time between the last frame and the end of the body (which then arrives on its own). */
      readonly endDelayMs?: number;
      /** 'cut' destroys the socket after the frames instead of ending cleanly. */
      readonly end?: 'clean' | 'cut' | 'stall';
      readonly headers?: Record<string, string>;
    }
  | { readonly kind: 'reset' }
  | { readonly kind: 'hang' }
  | { readonly kind: 'headers-then-stall'; readonly status?: number };

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** Set when the caller went away before the response finished. */
  aborted: boolean;
}

export interface MockUpstream {
  readonly url: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** TCP connections accepted so far: shows whether the caller reuses keep-alive sockets. */
  connections: number;
  /** Steps consumed in order; when empty, `fallback` answers. */
  readonly queue: MockStep[];
  fallback: MockStep | ((req: RecordedRequest) => MockStep);
  close(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Sleeps, but wakes as soon as the caller goes away, so a long scripted pause never outlives its test. */
function sleepWhileOpen(ms: number, res: ServerResponse): Promise<void> {
  if (res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.on('close', done);
  });
}

export function openAIChatBody(content: string, model = 'mock-model'): object {
  return {
    id: 'chatcmpl-mock',
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
  };
}

export function openAIStreamFrames(pieces: readonly string[], model = 'mock-model'): string[] {
  const chunk = (delta: object, finish: string | null): string =>
    `data: ${JSON.stringify({ id: 'chatcmpl-mock', object: 'chat.completion.chunk', created: 1_700_000_000, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  return [chunk({ role: 'assistant', content: '' }, null), ...pieces.map((p) => chunk({ content: p }, null)), chunk({}, 'stop'), 'data: [DONE]\n\n'];
}

async function play(step: MockStep, res: ServerResponse, socket: Socket): Promise<void> {
  switch (step.kind) {
    case 'json':
    case 'raw': {
      if (step.delayMs) await sleep(step.delayMs);
      const body = step.kind === 'json' ? JSON.stringify(step.body) : step.body;
      res.writeHead(step.status, { 'content-type': 'application/json', ...step.headers });
      res.end(body);
      return;
    }
    case 'sse': {
      const head = (): void => {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...step.headers });
        res.flushHeaders();
      };
      if (step.headersFirst) head();
      if (step.firstDelayMs) await sleepWhileOpen(step.firstDelayMs, res);
      if (!step.headersFirst) head();
      for (let i = 0; i < step.frames.length; i++) {
        const delay = step.delaysMs?.[i] ?? (i > 0 ? step.intervalMs : undefined);
        if (delay) await sleepWhileOpen(delay, res);
        if (res.destroyed) return;
        const last = i === step.frames.length - 1;
        // A clean stream ends with its last frame, in the same write, as real servers usually do.
        if (last && (step.end ?? 'clean') === 'clean' && step.endDelayMs === undefined) {
          res.end(step.frames[i]);
          return;
        }
        // Wait for each frame to reach the socket so a following cut is a real mid-stream cut.
        await new Promise<void>((resolve) => res.write(step.frames[i], () => { resolve(); }));
      }
      if (step.endDelayMs !== undefined) await sleepWhileOpen(step.endDelayMs, res);
      if (step.end === 'cut') socket.destroy();
      else if (step.end !== 'stall') res.end();
      return;
    }
    case 'reset':
      socket.destroy();
      return;
    case 'hang':
      return;
    case 'headers-then-stall':
      res.writeHead(step.status ?? 200, { 'content-type': 'application/json' });
      res.flushHeaders();
      return;
  }
}

export async function startMockUpstream(fallback: MockUpstream['fallback'] = { kind: 'json', status: 200, body: openAIChatBody('ok') }): Promise<MockUpstream> {
  const requests: RecordedRequest[] = [];
  const queue: MockStep[] = [];
  const sockets = new Set<Socket>();
  const mock: MockUpstream = { url: '', port: 0, requests, connections: 0, queue, fallback, close: async () => {} };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec: RecordedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        aborted: false,
      };
      requests.push(rec);
      res.once('close', () => {
        if (!res.writableFinished) rec.aborted = true;
      });
      const next = queue.shift() ?? (typeof mock.fallback === 'function' ? mock.fallback(rec) : mock.fallback);
      play(next, res, req.socket).catch(() => res.destroy());
    });
  });
  server.on('connection', (s: Socket) => {
    mock.connections++;
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => { resolve(); }));
  const { port } = server.address() as AddressInfo;
  return Object.assign(mock, {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => { resolve(); });
      }),
  });
}
