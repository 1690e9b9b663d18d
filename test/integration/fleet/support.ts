// A fleet on loopback: real `switchyard up` processes sharing one real
// redis-server, in front of mock providers that run in the test and count
// what reaches them.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { request } from 'undici';
import { startChildGateway, type ChildGateway } from '../../../bench/soak/gatewayProcess.js';
import { openAIChatBody } from '../../support/mockUpstream.js';
import { ask, type ChatReply } from '../../reliability/support/chatClient.js';

export { startRedis, type RedisServer } from '../../support/redisServer.js';

/** What one mock saw of one request. */
export interface Arrival {
  /** The model id the gateway sent (the entry's id, after the provider prefix). */
  readonly model: string;
  readonly atMs: number;
  /** When the mock finished answering; undefined while it is still answering. */
  answeredAtMs: number | undefined;
}

/** How a mock answers a request. */
export type Behaviour =
  | { readonly kind: 'ok'; readonly delayMs?: number }
  | { readonly kind: 'error'; readonly status: number; readonly retryAfterSeconds?: number };

export interface CountingMock {
  readonly url: string;
  readonly arrivals: Arrival[];
  behaviour: (model: string) => Behaviour;
  /** Requests being answered right now, and the most there ever were at once (since `resetPeak`). */
  readonly inFlight: number;
  readonly peakInFlight: number;
  resetPeak(): void;
  /** Arrivals for one model id. */
  count(model: string): number;
  close(): Promise<void>;
}

/** An OpenAI-format provider that answers as `behaviour` says and counts concurrency. */
export async function startCountingMock(behaviour: CountingMock['behaviour']): Promise<CountingMock> {
  const arrivals: Arrival[] = [];
  const sockets = new Set<Socket>();
  let inFlight = 0;
  let peak = 0;
  const handle = (req: IncomingMessage, res: ServerResponse, body: string): void => {
    let model = '';
    try {
      const sent = (JSON.parse(body) as { model?: unknown }).model;
      if (typeof sent === 'string') model = sent;
    } catch {
      // counted under ''
    }
    const arrival: Arrival = { model, atMs: performance.now(), answeredAtMs: undefined };
    arrivals.push(arrival);
    inFlight++;
    peak = Math.max(peak, inFlight);
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      inFlight--;
      arrival.answeredAtMs = performance.now();
    };
    res.once('close', finish);
    const b = mock.behaviour(model);
    const answer = (): void => {
      if (res.destroyed) return;
      if (b.kind === 'ok') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(openAIChatBody(`answer from ${model}`, model)), finish);
        return;
      }
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (b.retryAfterSeconds !== undefined) headers['retry-after'] = String(b.retryAfterSeconds);
      res.writeHead(b.status, headers);
      res.end(JSON.stringify({ error: { message: `mock ${b.status}`, type: 'server_error' } }), finish);
    };
    const delay = b.kind === 'ok' ? b.delayMs ?? 0 : 0;
    if (delay > 0) {
      // A caller that leaves (or a test that ends) takes its pending answer with it.
      const timer = setTimeout(answer, delay);
      res.once('close', () => { clearTimeout(timer); });
    } else {
      answer();
    }
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => { handle(req, res, Buffer.concat(chunks).toString('utf8')); });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => { resolve(); }));
  const mock: CountingMock = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrivals,
    behaviour,
    get inFlight() {
      return inFlight;
    },
    get peakInFlight() {
      return peak;
    },
    resetPeak: () => {
      peak = inFlight;
    },
    count: (model) => arrivals.filter((a) => a.model === model).length,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => { resolve(); });
      }),
  };
  return mock;
}

/** The start of every fleet test's config: one listener on `port`, then the model_providers the test lists. */
export function fleetHead(port: number, timeout = '30s'): string {
  return `version: v0.4.0
listeners:
  - type: model
    name: fleet
    address: 127.0.0.1
    port: ${port}
    timeout: ${timeout}
model_providers:
`;
}

/**
 * Generous: a replica that starts in about a second alone may take many on a saturated 2-core
 * machine where other test files start their own processes.
 */
export const STARTUP_WITHIN_MS = 45_000;

/** Starts one replica; it is healthy (and has waited for the fleet, at most 3 s) when this resolves. */
export function startReplica(yamlFor: (port: number) => string): Promise<ChildGateway> {
  return startChildGateway(yamlFor, {}, STARTUP_WITHIN_MS);
}

/** Starts `n` replicas of one config (each on its own port) and waits until each says it joined the fleet. */
export async function startReplicas(yamlFor: (port: number) => string, n = 3): Promise<ChildGateway[]> {
  const started = await Promise.allSettled(Array.from({ length: n }, () => startReplica(yamlFor)));
  const replicas = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  try {
    const failed = started.find((s) => s.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    // Connected at once, or (a starved machine made Redis look slow at first) after a reconnection.
    await Promise.all(replicas.map((r) => r.waitForLog((l) => l['msg'] === 'shared state connected' || l['msg'] === 'shared state reconnected; re-synced', STARTUP_WITHIN_MS)));
    return replicas;
  } catch (err) {
    // Nothing is left running when a test cannot start.
    await disposeAll(replicas);
    throw err;
  }
}

export async function disposeAll(replicas: readonly ChildGateway[]): Promise<void> {
  await Promise.all(replicas.map((r) => r.dispose()));
}

/** One chat request for `model`. */
export function chat(replica: ChildGateway, model: string): Promise<ChatReply> {
  return ask(replica.url, { extra: { model } });
}

export const answeredBy = (reply: ChatReply): string | undefined => reply.headers['x-switchyard-model'] as string | undefined;

export async function readyz(replica: ChildGateway): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await request(`${replica.url}/readyz`);
  return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> };
}

/** Log lines with this message. */
export const logsWith = (replica: ChildGateway, msg: string): Record<string, unknown>[] => replica.logs.filter((l) => l['msg'] === msg);

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** p50, p99 and max of a list of numbers, rounded to 0.1. */
export function distribution(values: readonly number[]): { n: number; p50: number; p99: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => Math.round((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN) * 10) / 10;
  return { n: sorted.length, p50: at(0.5), p99: at(0.99), max: Math.round((sorted.at(-1) ?? NaN) * 10) / 10 };
}

/** The bound: a lesson learned by one replica steers every other one within this. */
export const SPREAD_WITHIN_MS = 100;

/** What one block-spread round saw. */
export interface SpreadRound {
  /** The primary was called once across the fleet: B and C went straight to the fallback. */
  readonly held: boolean;
  /** How long after the primary's 429 the requests to B and C were sent (a busy test process sends late). */
  readonly sentAfterMs: number;
  readonly primaryCalls: number;
}

/**
 * One round of "a block spreads": `model` answers 429 with Retry-After on its
 * first call, through replica A; SPREAD_WITHIN_MS after that answer left the
 * mock, two requests each go to B and C. Every request must be served by
 * `fallback`; whether B and C skipped the primary is the round's verdict.
 */
export async function spreadRound(
  [a, b, c]: readonly [ChildGateway, ChildGateway, ChildGateway],
  limited: CountingMock,
  model: string,
  fallback: string,
): Promise<SpreadRound> {
  const first = chat(a, `openai/${model}`);
  let answeredAt: number | undefined;
  while ((answeredAt = limited.arrivals.find((x) => x.model === model)?.answeredAtMs) === undefined) await sleep(1);
  await sleep(Math.max(0, answeredAt + SPREAD_WITHIN_MS - performance.now()));
  const sentAfterMs = performance.now() - answeredAt;
  const others = await Promise.all([b, c, b, c].map((r) => chat(r, `openai/${model}`)));
  const firstReply = await first;
  for (const r of [firstReply, ...others]) {
    if (r.status !== 200 || answeredBy(r) !== fallback) throw new Error(`a request was not served by ${fallback}: ${r.status} ${r.text}`);
  }
  const primaryCalls = limited.count(model);
  const straight = others.every((r) => r.headers['x-switchyard-attempts'] === '1');
  return { held: primaryCalls === 1 && straight, sentAfterMs, primaryCalls };
}

/**
 * Rounds of `spreadRound` until `wanted` have held. The assertion is the
 * issue's (100 ms, the primary called exactly once), but a saturated 2-core
 * machine can keep a receiving replica off the CPU for longer than that: a
 * round that misses is repeated with a fresh model, at most `misses` times.
 * A fleet that does not share blocks misses every round and fails.
 */
export async function spreadRounds(
  replicas: readonly ChildGateway[],
  limited: CountingMock,
  models: readonly string[],
  { wanted, misses, fallback }: { wanted: number; misses: number; fallback: string },
): Promise<{ rounds: (SpreadRound & { model: string })[]; held: number }> {
  const rounds: (SpreadRound & { model: string })[] = [];
  let held = 0;
  for (const [i, model] of models.entries()) {
    if (held === wanted || rounds.length - held > misses) break;
    const trio = [0, 1, 2].map((k) => replicas[(i + k) % replicas.length]!) as [ChildGateway, ChildGateway, ChildGateway];
    const round = await spreadRound(trio, limited, model, fallback);
    rounds.push({ ...round, model });
    if (round.held) held++;
  }
  return { rounds, held };
}
