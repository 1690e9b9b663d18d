// A simulated model provider for `switchyard demo`: a real HTTP server on
// loopback that speaks OpenAI Chat Completions and Anthropic Messages,
// streaming included, so the demo needs no keys and no network.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type SimulatedBehaviour = 'healthy' | 'rate-limited';

export interface SimulatedProvider {
  readonly name: string;
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

interface ChatBody {
  readonly model?: unknown;
  readonly messages?: unknown;
  readonly stream?: unknown;
}

function lastUserText(body: ChatBody): string {
  const messages = Array.isArray(body.messages) ? (body.messages as { role?: unknown; content?: unknown }[]) : [];
  for (const m of [...messages].reverse()) {
    if (m.role !== 'user') continue;
    if (typeof m.content === 'string') return m.content;
    if (Array.isArray(m.content)) {
      return m.content.map((p: { text?: unknown }) => (typeof p.text === 'string' ? p.text : '')).join(' ');
    }
  }
  return '';
}

function answerWords(name: string, body: ChatBody): string[] {
  const said = lastUserText(body).slice(0, 200);
  return `Hello from ${name}, a simulated provider. You said: "${said}". This answer streams word by word.`.split(/(?<= )/);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function serveOpenAI(name: string, body: ChatBody, res: ServerResponse): Promise<void> {
  const model = typeof body.model === 'string' ? body.model : name;
  const words = answerWords(name, body);
  const id = `chatcmpl-sim-${Date.now().toString(36)}`;
  const created = Math.floor(Date.now() / 1000);
  const usage = { prompt_tokens: 12, completion_tokens: words.length, total_tokens: 12 + words.length };
  if (body.stream !== true) {
    const json = JSON.stringify({
      id, object: 'chat.completion', created, model,
      choices: [{ index: 0, message: { role: 'assistant', content: words.join('') }, finish_reason: 'stop' }],
      usage,
    });
    res.writeHead(200, { 'content-type': 'application/json' }).end(json);
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const chunk = (delta: object, finish: string | null): string =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  res.write(chunk({ role: 'assistant', content: '' }, null));
  for (const w of words) {
    await sleep(25);
    if (res.destroyed) return;
    res.write(chunk({ content: w }, null));
  }
  res.write(chunk({}, 'stop'));
  res.end('data: [DONE]\n\n');
}

async function serveAnthropic(name: string, body: ChatBody, res: ServerResponse): Promise<void> {
  const model = typeof body.model === 'string' ? body.model : name;
  const words = answerWords(name, body);
  const id = `msg_sim_${Date.now().toString(36)}`;
  if (body.stream !== true) {
    const json = JSON.stringify({
      id, type: 'message', role: 'assistant', model,
      content: [{ type: 'text', text: words.join('') }],
      stop_reason: 'end_turn', stop_sequence: null,
      usage: { input_tokens: 12, output_tokens: words.length },
    });
    res.writeHead(200, { 'content-type': 'application/json' }).end(json);
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const event = (type: string, data: object): string => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  res.write(event('message_start', {
    message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 12, output_tokens: 1 } },
  }));
  res.write(event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }));
  for (const w of words) {
    await sleep(25);
    if (res.destroyed) return;
    res.write(event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: w } }));
  }
  res.write(event('content_block_stop', { index: 0 }));
  res.write(event('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: words.length } }));
  res.end(event('message_stop', {}));
}

function rateLimited(path: string, res: ServerResponse): void {
  const body = path.endsWith('/messages')
    ? { type: 'error', error: { type: 'rate_limit_error', message: 'Simulated rate limit: this provider is always busy.' } }
    : { error: { message: 'Simulated rate limit: this provider is always busy.', type: 'rate_limit_exceeded', code: 'rate_limit_exceeded' } };
  res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '30' }).end(JSON.stringify(body));
}

async function handle(name: string, behaviour: SimulatedBehaviour, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const url = req.url ?? '';
  const path = url.includes('?') ? url.slice(0, url.indexOf('?')) : url;
  const isOpenAI = path.endsWith('/chat/completions');
  const isAnthropic = path.endsWith('/messages');
  if (req.method !== 'POST' || (!isOpenAI && !isAnthropic)) {
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found","type":"not_found"}}');
    return;
  }
  if (behaviour === 'rate-limited') { rateLimited(path, res); return; }
  let body: ChatBody;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatBody;
  } catch {
    res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"message":"invalid JSON","type":"invalid_request_error"}}');
    return;
  }
  await (isAnthropic ? serveAnthropic(name, body, res) : serveOpenAI(name, body, res));
}

export async function startSimulatedProvider(name: string, behaviour: SimulatedBehaviour, port = 0): Promise<SimulatedProvider> {
  const server = createServer((req, res) => {
    handle(name, behaviour, req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => { resolve(); });
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    name,
    url: `http://127.0.0.1:${bound}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => { resolve(); });
      }),
  };
}
