// The tail-latency benchmark's provider: every answer takes the median time,
// except a seeded 5% that take 20 times as long (a slow replica, a cold cache,
// a long queue). It counts the requests it receives, so the hedges the gateway
// adds are counted by the upstream itself.
//
// A streamed request (`"stream": true`) gets the same total times as an SSE
// chat stream: a first token, then the rest of the answer in even chunks. A
// slow answer is slow before its first token, which is where an LLM's tail
// sits (a queue, a cold replica, a long prefill); once tokens flow, every
// answer generates at the same pace.
import { createServer, type Server } from 'node:http';
import { listenOnLoopback } from './loopbackListen.js';
import { seededRandom } from './seededRandom.js';

export interface TailShape {
  readonly medianMs: number;
  /** The share of slow answers (0.05) and how many medians they take (20). */
  readonly slowShare: number;
  readonly slowFactor: number;
  /** A stream's first token when it is not slow; the rest of the median is generation. */
  readonly firstTokenMs: number;
  /** Content chunks after the first token, spread evenly over the generation. */
  readonly chunks: number;
}

export const TAIL_SHAPE: TailShape = { medianMs: 100, slowShare: 0.05, slowFactor: 20, firstTokenMs: 20, chunks: 8 };

/** Pure: how long the answer to a request with uniform draw `draw` takes. */
export function tailDelayMs(draw: number, shape: TailShape): number {
  return draw < shape.slowShare ? shape.medianMs * shape.slowFactor : shape.medianMs;
}

/** Pure: when a streamed answer's first token comes, and the gap between the chunks after it (same total as tailDelayMs). */
export function tailStreamTimes(draw: number, shape: TailShape): { readonly firstTokenMs: number; readonly gapMs: number } {
  const generationMs = shape.medianMs - shape.firstTokenMs;
  return { firstTokenMs: tailDelayMs(draw, shape) - generationMs, gapMs: generationMs / shape.chunks };
}

export interface TailUpstream {
  readonly url: string;
  /** Requests received so far. */
  received(): number;
  close(): Promise<void>;
}

const ANSWER = JSON.stringify({
  id: 'chatcmpl-tail',
  object: 'chat.completion',
  created: 1_700_000_000,
  model: 'tail',
  choices: [{ index: 0, message: { role: 'assistant', content: 'an answer' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
});

function chunk(delta: object, finish: string | null, usage?: object): string {
  const c = { id: 'chatcmpl-tail', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'tail', choices: [{ index: 0, delta, finish_reason: finish }], ...(usage ? { usage } : {}) };
  return `data: ${JSON.stringify(c)}\n\n`;
}

export async function startTailUpstream(shape: TailShape = TAIL_SHAPE, seed = 15): Promise<TailUpstream> {
  const random = seededRandom(seed);
  let received = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => {
      body += d;
    });
    req.on('end', () => {
      received++;
      const draw = random();
      if (!/"stream"\s*:\s*true/.test(body)) {
        const timer = setTimeout(() => {
          res.writeHead(200, { 'content-type': 'application/json' }).end(ANSWER);
        }, tailDelayMs(draw, shape));
        // A hedge's loser is aborted: stop its timer with it.
        res.on('close', () => { clearTimeout(timer); });
        return;
      }
      const { firstTokenMs, gapMs } = tailStreamTimes(draw, shape);
      let sent = 0;
      let timer = setTimeout(function next() {
        if (sent === 0) res.writeHead(200, { 'content-type': 'text/event-stream' });
        sent++;
        if (sent <= shape.chunks) {
          res.write(chunk(sent === 1 ? { role: 'assistant', content: 'tok ' } : { content: 'tok ' }, null));
          timer = setTimeout(next, gapMs);
          return;
        }
        res.end(chunk({}, 'stop', { prompt_tokens: 5, completion_tokens: shape.chunks, total_tokens: 5 + shape.chunks }) + 'data: [DONE]\n\n');
      }, firstTokenMs);
      res.on('close', () => { clearTimeout(timer); });
    });
  });
  server.keepAliveTimeout = 30_000;
  const listening = await listenOnLoopback(server);
  return { url: listening.url, received: () => received, close: listening.close };
}
