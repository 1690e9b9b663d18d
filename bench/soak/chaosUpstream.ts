// A provider that misbehaves in a fixed proportion of requests. The soak's
// primary: 10% 429 with Retry-After, 5% 503, 2% connection resets, 1% stalls
// (accepts, never answers). Its fallbacks fail far more rarely (0.5% 503, 0.5%
// resets), so that a request is lost only when all three fail, and what is
// judged is how the gateway copes with the primary. The rest answer correctly,
// as JSON or as an SSE stream.
import { seededRandom } from '../seededRandom.js';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { listenOnLoopback } from '../loopbackListen.js';

export type ChaosOutcome = 'ok' | 'rate-limited' | 'unavailable' | 'reset' | 'stall';

/** Shares in per mille (integers, so the edges between outcomes are exact), checked in order. */
export type ChaosMix = readonly { readonly outcome: Exclude<ChaosOutcome, 'ok'>; readonly perMille: number }[];

/** The primary's mix. */
export const CHAOS_MIX: ChaosMix = [
  { outcome: 'rate-limited', perMille: 100 },
  { outcome: 'unavailable', perMille: 50 },
  { outcome: 'reset', perMille: 20 },
  { outcome: 'stall', perMille: 10 },
];

/** The fallbacks' mix: rare failures, no stalls. */
export const FALLBACK_MIX: ChaosMix = [
  { outcome: 'unavailable', perMille: 5 },
  { outcome: 'reset', perMille: 5 },
];

/** Pure: which outcome a uniform draw in [0, 1) selects. */
export function pickChaos(draw: number, mix: ChaosMix = CHAOS_MIX): ChaosOutcome {
  const at = draw * 1000;
  let edge = 0;
  for (const { outcome, perMille } of mix) {
    edge += perMille;
    if (at < edge) return outcome;
  }
  return 'ok';
}

export interface ChaosUpstream {
  readonly url: string;
  readonly counts: Readonly<Record<ChaosOutcome, number>>;
  /** Requests the gateway ended before their answer finished: stalls it gave up on, hedges that lost. */
  aborted(): number;
  close(): Promise<void>;
}

const STREAM_CHUNKS = 8;
const CHUNK_INTERVAL_MS = 10;

function chunk(delta: object, finish: string | null): string {
  return `data: ${JSON.stringify({ id: 'chatcmpl-soak', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'chaos', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
}

async function answerStream(res: ServerResponse): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write(chunk({ role: 'assistant', content: '' }, null));
  for (let i = 0; i < STREAM_CHUNKS; i++) {
    await new Promise((r) => setTimeout(r, CHUNK_INTERVAL_MS));
    if (res.destroyed) return;
    res.write(chunk({ content: `token${i} ` }, null));
  }
  res.write(chunk({}, 'stop'));
  res.end('data: [DONE]\n\n');
}

const COMPLETION = JSON.stringify({
  id: 'chatcmpl-soak',
  object: 'chat.completion',
  created: 1_700_000_000,
  model: 'chaos',
  choices: [{ index: 0, message: { role: 'assistant', content: 'a steady answer' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
});

export async function startChaosUpstream(seed: number, mix: ChaosMix = CHAOS_MIX): Promise<ChaosUpstream> {
  const random = seededRandom(seed);
  const counts: Record<ChaosOutcome, number> = { ok: 0, 'rate-limited': 0, unavailable: 0, reset: 0, stall: 0 };
  let aborted = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const outcome = pickChaos(random(), mix);
      counts[outcome]++;
      res.once('close', () => {
        if (!res.writableFinished && outcome !== 'reset') aborted++;
      });
      switch (outcome) {
        case 'rate-limited':
          res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
          res.end('{"error":{"message":"rate limited","type":"rate_limit_error"}}');
          return;
        case 'unavailable':
          res.writeHead(503, { 'content-type': 'application/json' });
          res.end('{"error":{"message":"overloaded","type":"server_error"}}');
          return;
        case 'reset':
          req.socket.destroy();
          return;
        case 'stall':
          return;
        case 'ok':
          if (Buffer.concat(chunks).includes('"stream":true')) void answerStream(res).catch(() => res.destroy());
          else res.writeHead(200, { 'content-type': 'application/json' }).end(COMPLETION);
      }
    });
  });
  const listening = await listenOnLoopback(server);
  return { url: listening.url, counts, aborted: () => aborted, close: listening.close };
}
