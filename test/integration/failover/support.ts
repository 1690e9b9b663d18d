// Helpers for the failover integration tests: Plano's retry_configs examples
// pointed at loopback mocks, provider bodies in both wire formats, and a small
// HTTP client that shows exactly what the gateway answered.
import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import type { MockStep, MockUpstream } from '../../support/mockUpstream.js';
import { anthropicError, renderAnthropic } from '../../support/anthropicWire.js';
import type { IdSource, JsonReply } from '../../support/mockReplies.js';
import { openAIChatBody, startMockUpstream } from '../../support/mockUpstream.js';
import { PLANO_REFERENCE_DIR } from '../../support/paths.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';

export const RETRY_CONFIG_DIR = join(PLANO_REFERENCE_DIR, 'retry_configs');

/** The mock roles the examples name as ${MOCK_<ROLE>_PORT}. */
export type MockRole = 'PRIMARY' | 'SECONDARY' | 'TERTIARY' | 'FALLBACK1' | 'FALLBACK2';

/**
 * A retry_configs example with each `host.docker.internal:${MOCK_<ROLE>_PORT}`
 * pointed at the given mock, and the listener on port 0.
 */
export function retryConfig(file: string, mocks: Partial<Record<MockRole, MockUpstream>>): string {
  let text = readFileSync(join(RETRY_CONFIG_DIR, file), 'utf8');
  text = text.replace(/http:\/\/host\.docker\.internal:\$\{MOCK_([A-Z0-9]+)_PORT\}/g, (_m, role: string) => {
    const mock = mocks[role as MockRole];
    if (mock === undefined) throw new Error(`${file} needs a mock for ${role}`);
    return mock.url;
  });
  return text.replace(/^(\s+port:) 12000$/m, '$1 0');
}

/** Inserts indented YAML lines right after the first line matching `after`. */
export function insertAfter(yaml: string, after: RegExp, lines: string): string {
  const m = after.exec(yaml);
  if (m === null) throw new Error(`no line matches ${after}`);
  const end = yaml.indexOf('\n', m.index) + 1;
  return yaml.slice(0, end) + lines + yaml.slice(end);
}

/** Sets the listener's (whole-request) timeout. */
export const withListenerTimeout = (yaml: string, timeout: string): string => insertAfter(yaml, /^\s+port: 0$/m, `    timeout: ${timeout}\n`);

/** Adds keys to one provider entry (`model: <model>`), e.g. first_byte_timeout_ms. */
export const withProviderKeys = (yaml: string, model: string, keys: string): string =>
  insertAfter(yaml, new RegExp(`^  - model: ${model.replace(/[/.]/g, '\\$&')}$`, 'm'), keys.replace(/^/gm, '    ') + '\n');

/** Appends a top-level block such as `switchyard:`. */
export const withTopLevel = (yaml: string, block: string): string => `${yaml.trimEnd()}\n\n${block}\n`;

export interface ScriptedMock extends MockUpstream {
  /** performance.now() at which each request arrived, in order. */
  readonly arrivals: number[];
}

/** A mock that plays `steps` in order, then `then` for every later request. */
export async function scriptedMock(steps: readonly MockStep[], then: MockStep = ok()): Promise<ScriptedMock> {
  const arrivals: number[] = [];
  let next = 0;
  const mock = await startMockUpstream(() => {
    arrivals.push(performance.now());
    return steps[next++] ?? then;
  });
  return Object.assign(mock, { arrivals });
}

// --- provider bodies -------------------------------------------------------

// Anthropic's shapes come from the SDK tests' wire renderer, so both suites agree on them.
const ids: IdSource = (prefix) => `${prefix}it`;

export function anthropicAnswer(text: string, model: string): object {
  return (renderAnthropic({ kind: 'answer', text }, { model }, ids) as JsonReply).body as object;
}

/** The frames of an Anthropic stream carrying `text` (streamed word by word). */
export function anthropicStream(text: string, model = 'claude-3-5-sonnet'): string[] {
  const rendered = renderAnthropic({ kind: 'answer', text }, { model, stream: true }, ids);
  if (rendered.kind !== 'sse') throw new Error('expected a stream');
  return [...rendered.frames];
}

export const OPENAI_RATE_LIMIT = { error: { message: 'Rate limit reached', type: 'requests', code: '429' } };
export const ANTHROPIC_OVERLOADED = anthropicError(529, 'Overloaded').body;
export const ANTHROPIC_RATE_LIMIT = anthropicError(429, 'Rate limited').body;

/** A JSON step: 200 with an OpenAI answer unless told otherwise. */
export function ok(content = 'ok', model = 'gpt-4o'): MockStep {
  return { kind: 'json', status: 200, body: openAIChatBody(content, model) };
}

export function claudeOk(text = 'from claude', model = 'claude-3-5-sonnet'): MockStep {
  return { kind: 'json', status: 200, body: anthropicAnswer(text, model) };
}

export function status(code: number, body: unknown = OPENAI_RATE_LIMIT, headers?: Record<string, string>): MockStep {
  return { kind: 'json', status: code, body, ...(headers ? { headers } : {}) };
}

/** The text an OpenAI chunk stream carries, and whether it finished properly. */
export function readOpenAIStream(text: string): { content: string; models: string[]; done: boolean; finish: string | null } {
  let content = '';
  let finish: string | null = null;
  const models = new Set<string>();
  let done = false;
  for (const block of text.split('\n\n')) {
    const data = block.split('\n').find((l) => l.startsWith('data: '))?.slice(6);
    if (data === undefined) continue;
    if (data === '[DONE]') {
      done = true;
      continue;
    }
    const chunk = JSON.parse(data) as { model: string; choices: { delta: { content?: string }; finish_reason: string | null }[] };
    models.add(chunk.model);
    for (const c of chunk.choices) {
      content += c.delta.content ?? '';
      finish = c.finish_reason ?? finish;
    }
  }
  return { content, models: [...models], done, finish };
}

// --- the client side -------------------------------------------------------

export interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  /** False when the body was cut before its end (the connection broke). */
  readonly complete: boolean;
  /** Wall time from sending to the end of the body. */
  readonly ms: number;
  /** The body parsed; the caller says what it expects. */
  json(): unknown;
}

/** POSTs raw bytes with exactly the given headers (node:http, so hop-by-hop headers can be set). */
export function post(url: string, body: string, headers: OutgoingHttpHeaders = {}, path = '/v1/chat/completions'): Promise<Reply> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      // A cut body is an answer too (streams): report what arrived and that it was cut.
      res.on('error', () => {});
      res.on('close', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text,
          complete: res.complete,
          ms: performance.now() - started,
          json: () => JSON.parse(text) as unknown,
        });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

export const chatBody = (extra: object = {}, model = 'openai/gpt-4o'): string =>
  JSON.stringify({ model, messages: [{ role: 'user', content: 'hello' }], ...extra });

/** POSTs a chat request for the default model. */
export const chat = (gw: TestGateway, extra: object = {}, headers: OutgoingHttpHeaders = {}): Promise<Reply> =>
  post(gw.url, chatBody(extra), headers);

/** The `error` object of a retry_exhausted answer. */
export interface Exhausted {
  message: string;
  type: string;
  attempts: { model: string; error_type: string; attempt: number; rule?: string }[];
  total_attempts: number;
  retry_budget_exhausted: boolean;
  shortest_remaining_block_seconds: number | null;
  last_error: { status: number; body: unknown } | null;
}

export const exhaustedOf = (reply: Reply): Exhausted => (reply.json() as { error: Exhausted }).error;

/** The gateway's "upstream attempt" log lines for one request id. */
export function attemptLogs(gw: TestGateway, requestId: string): Record<string, unknown>[] {
  return gw.logs.filter((l) => l['msg'] === 'upstream attempt' && l['requestId'] === requestId);
}

/** Polls until `check` holds (or fails after `ms`), for state that settles asynchronously. */
export async function eventually(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Runs `fn` with a gateway and mocks that are all closed afterwards. */
export async function withGateway<T>(yaml: string, mocks: readonly { close(): Promise<void> }[], fn: (gw: TestGateway) => Promise<T>): Promise<T> {
  const gw = await startTestGateway(yaml);
  try {
    return await fn(gw);
  } finally {
    await gw.close();
    await Promise.all(mocks.map((m) => m.close()));
  }
}

// --- a port whose connects hang ---------------------------------------------

// Runs in a worker: listen with a tiny backlog, report the port, then block the
// worker's event loop so nothing is ever accepted. Once the kernel's accept
// queue is full, further SYNs are dropped and a connect attempt hangs.
const STALLED_LISTENER = `
const net = require('node:net');
const { parentPort, workerData } = require('node:worker_threads');
const server = net.createServer();
server.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
  parentPort.postMessage(server.address().port);
  setTimeout(() => Atomics.wait(new Int32Array(workerData.flag), 0, 0), 20);
});
`;

export interface StalledListener {
  readonly url: string;
  close(): Promise<void>;
}

/** A loopback port that accepts no connection: connects to it time out. */
export async function stalledListener(): Promise<StalledListener> {
  const { Worker } = await import('node:worker_threads');
  const { connect } = await import('node:net');
  const flag = new SharedArrayBuffer(4);
  const worker = new Worker(STALLED_LISTENER, { eval: true, workerData: { flag } });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', (p: number) => { resolve(p); });
    worker.once('error', reject);
  });
  await new Promise((r) => setTimeout(r, 100));
  // Fill the accept queue; these sockets complete their handshake or hang, either is fine.
  const fillers = Array.from({ length: 4 }, () => connect(port, '127.0.0.1').on('error', () => {}));
  await new Promise((r) => setTimeout(r, 100));
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const s of fillers) s.destroy();
      Atomics.store(new Int32Array(flag), 0, 1);
      Atomics.notify(new Int32Array(flag), 0);
      await worker.terminate();
    },
  };
}
