// The tail-latency benchmark of issue 15: one upstream where 5% of requests
// take 20× the median, reached through the real CLI without hedging and with
// `hedge: {after: p95}`, for whole answers (the hedge waits for a first byte,
// which is the whole answer) and for streams (it waits for a first token). Two entries of different providers point at it,
// so a hedge has somewhere to go. After a warm-up (the hedge delay is learned
// from 20 samples on), a fixed number of requests at a fixed concurrency are
// timed end to end; the upstream counts what it received, so the extra
// requests hedging costs are counted at the source.
import { Agent, request } from 'undici';
import { percentile } from './percentiles.js';
import { startChildGateway } from './soak/gatewayProcess.js';
import { startTailUpstream, TAIL_SHAPE, type TailShape } from './tailUpstream.js';

export interface TailOptions {
  readonly requests: number;
  readonly warmup: number;
  readonly concurrency: number;
  readonly shape?: TailShape;
  /**
   * Places the gateway's process (the runner pins it to the system under
   * test's cpus): started from the runner, it would share the load
   * generator's and the upstream's, and their timers would jitter.
   */
  readonly placeGateway?: (pid: number) => void;
}

export const TAIL_DEFAULTS: TailOptions = { requests: 4000, warmup: 400, concurrency: 32 };

/** Whole answers, or streams read to their end. */
export type TailMode = 'whole' | 'streamed';

export interface TailRun {
  readonly mode: TailMode;
  readonly label: 'no hedging' | 'hedge: {after: p95}';
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxMs: number;
  /** Upstream requests beyond one per client request, as a percentage of client requests. */
  readonly extraUpstreamPct: number;
  /** Answers that carried x-switchyard-hedged. */
  readonly hedgedAnswers: number;
  readonly failures: number;
}

export interface TailResult {
  readonly shape: TailShape;
  readonly options: TailOptions;
  readonly runs: readonly TailRun[];
}

export function tailGatewayYaml(port: number, upstream: string, hedge: boolean): string {
  return `version: v0.4.0
listeners:
  - type: model
    name: tail
    address: 127.0.0.1
    port: ${port}
    timeout: 30s
model_providers:
  - model: openai/tail-a
    base_url: ${upstream}
    access_key: tail-key
    default: true
    retry_policy:
      fallback_models: [mistral/tail-b]${hedge ? '\n      hedge: { after: p95 }' : ''}
  - model: mistral/tail-b
    base_url: ${upstream}
    access_key: tail-key
switchyard:
  log_level: warn
`;
}

/**
 * Sends `count` requests, `concurrency` at a time; returns each one's latency
 * (ms, to the answer's last byte) and whether it was hedged.
 */
async function drive(url: string, mode: TailMode, count: number, concurrency: number): Promise<{ latencies: number[]; hedged: number; failures: number }> {
  const agent = new Agent({ connections: concurrency, keepAliveTimeout: 30_000 });
  const stream = mode === 'streamed';
  const body = JSON.stringify({ messages: [{ role: 'user', content: 'tail' }], max_tokens: 8, ...(stream ? { stream } : {}) });
  const latencies: number[] = [];
  let hedged = 0;
  let failures = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      next++;
      const t0 = process.hrtime.bigint();
      try {
        const res = await request(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, dispatcher: agent });
        const text = await res.body.text();
        // A stream that ended without its terminator was cut: a failure, however fast.
        if (res.statusCode !== 200 || (stream && !text.trimEnd().endsWith('data: [DONE]'))) failures++;
        if (res.headers['x-switchyard-hedged'] === '1') hedged++;
      } catch {
        failures++;
      }
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  await agent.close();
  return { latencies, hedged, failures };
}

async function runOne(mode: TailMode, hedge: boolean, opts: TailOptions, shape: TailShape): Promise<TailRun> {
  const upstream = await startTailUpstream(shape);
  const gw = await startChildGateway((port) => tailGatewayYaml(port, upstream.url, hedge));
  opts.placeGateway?.(gw.pid);
  try {
    await drive(gw.url, mode, opts.warmup, opts.concurrency);
    const before = upstream.received();
    const { latencies, hedged, failures } = await drive(gw.url, mode, opts.requests, opts.concurrency);
    const sent = upstream.received() - before;
    latencies.sort((a, b) => a - b);
    return {
      mode,
      label: hedge ? 'hedge: {after: p95}' : 'no hedging',
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      p999Ms: percentile(latencies, 99.9),
      maxMs: latencies.at(-1) ?? 0,
      extraUpstreamPct: ((sent - opts.requests) / opts.requests) * 100,
      hedgedAnswers: hedged,
      failures,
    };
  } finally {
    gw.signal('SIGTERM');
    await gw.exited;
    await gw.dispose();
    await upstream.close();
  }
}

export async function runTailBench(opts: TailOptions = TAIL_DEFAULTS, log: (line: string) => void = () => {}): Promise<TailResult> {
  const shape = opts.shape ?? TAIL_SHAPE;
  const runs: TailRun[] = [];
  for (const mode of ['whole', 'streamed'] as const) {
    for (const hedge of [false, true]) {
      log(`tail latency, ${mode}: ${hedge ? 'with hedge: {after: p95}' : 'without hedging'}`);
      runs.push(await runOne(mode, hedge, opts, shape));
    }
  }
  return { shape, options: opts, runs };
}
