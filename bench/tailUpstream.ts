// The tail-latency benchmark's provider: every answer takes the median time,
// except a seeded 5% that take 20 times as long (a slow replica, a cold cache,
// a long queue). It counts the requests it receives, so the hedges the gateway
// adds are counted by the upstream itself.
import { createServer, type Server } from 'node:http';
import { listenOnLoopback } from './loopbackListen.js';
import { seededRandom } from './seededRandom.js';

export interface TailShape {
  readonly medianMs: number;
  /** The share of slow answers (0.05) and how many medians they take (20). */
  readonly slowShare: number;
  readonly slowFactor: number;
}

export const TAIL_SHAPE: TailShape = { medianMs: 100, slowShare: 0.05, slowFactor: 20 };

/** Pure: how long the answer to a request with uniform draw `draw` takes. */
export function tailDelayMs(draw: number, shape: TailShape): number {
  return draw < shape.slowShare ? shape.medianMs * shape.slowFactor : shape.medianMs;
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

export async function startTailUpstream(shape: TailShape = TAIL_SHAPE, seed = 15): Promise<TailUpstream> {
  const random = seededRandom(seed);
  let received = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      const timer = setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' }).end(ANSWER);
      }, tailDelayMs(random(), shape));
      // A hedge's loser is aborted: stop its timer with it.
      res.on('close', () => { clearTimeout(timer); });
    });
  });
  server.keepAliveTimeout = 30_000;
  const listening = await listenOnLoopback(server);
  return { url: listening.url, received: () => received, close: listening.close };
}
