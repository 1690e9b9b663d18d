// The soak: the real gateway (a child process) in front of three chaos
// providers, fed at a steady rate for a fixed time, half of it streaming.
// Every request is classified (success, well-formed error, unanswered) and the
// gateway's RSS is sampled every second. The primary stalls 1% of requests and
// the config sets no per-attempt timeout, only `hedge: {after: p95}`: stalls
// must be absorbed by hedging (and the deadline split), never become 504s.
import { seededRandom } from '../seededRandom.js';
import { Agent, request } from 'undici';
import { CHAOS_MIX, FALLBACK_MIX, startChaosUpstream, type ChaosOutcome, type ChaosUpstream } from './chaosUpstream.js';
import { classifyReply, type ObservedReply } from './classifyReply.js';
import { rssBytesOf, startChildGateway } from './gatewayProcess.js';
import { assessRss, type RssSample, type RssTrend } from './rssTrend.js';

export interface SoakOptions {
  readonly durationS: number;
  /** Requests started per second, whatever the answers do (open loop). */
  readonly rate: number;
  /** RSS before this is warm-up and not judged. */
  readonly warmupS: number;
  readonly seed?: number;
  /**
   * NODE_OPTIONS for the gateway. A short run passes a small heap, so that V8 reaches its steady size
   * within the warm-up instead of growing lazily for minutes (which reads as a climb, not a leak).
   */
  readonly gatewayNodeOptions?: string;
  /** Called about every 10 s with a one-line progress report. */
  readonly onProgress?: (line: string) => void;
}

export interface SoakResult {
  readonly options: SoakOptions;
  readonly sent: number;
  readonly success: number;
  readonly errors: ReadonlyMap<number, number>;
  readonly unanswered: ReadonlyMap<string, number>;
  readonly streamed: number;
  /** Successful answers that came from a hedge (x-switchyard-hedged). */
  readonly hedged: number;
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly upstream: Readonly<Record<ChaosOutcome, number>>;
  /** The primary's own outcomes (it alone stalls). */
  readonly primary: Readonly<Record<ChaosOutcome, number>>;
  /** Upstream requests the gateway ended early (stalls given up on, hedges that lost). */
  readonly upstreamAborted: number;
  readonly rss: readonly RssSample[];
  readonly trend: RssTrend;
  /** The gateway's exit after SIGTERM at the end. */
  readonly exitCode: number | null;
}

/** The issue 15 scenario: a 30 s listener, and no per-attempt timeout anywhere. */
const LISTENER_TIMEOUT_S = 30;
/** A request still unanswered this long after it was sent is counted as unanswered. */
const CLIENT_TIMEOUT_MS = (LISTENER_TIMEOUT_S + 5) * 1000;
const STREAM_SHARE = 0.5;
/** Some clients speak Anthropic's dialect, so translation is soaked too. */
const ANTHROPIC_SHARE = 0.2;

function gatewayYaml(port: number, [a, b, c]: readonly ChaosUpstream[]): string {
  const policy = `    retry_policy:
      fallback_models: [mistral/chaos-b, deepseek/chaos-c]
      default_strategy: different_provider
      default_max_attempts: 2
      on_status_codes:
        - codes: [429, 503]
          strategy: different_provider
          max_attempts: 2
      on_timeout:
        strategy: different_provider
        max_attempts: 2
      retry_after_handling:
        apply_to: request
      hedge: { after: p95 }
`;
  const entry = (model: string, url: string, extra = ''): string =>
    `  - model: ${model}\n    base_url: ${url}\n    access_key: soak-key-${model.replace('/', '-')}\n${extra}`;
  return `version: v0.4.0
listeners:
  - type: model
    name: soak
    address: 127.0.0.1
    port: ${port}
    timeout: ${LISTENER_TIMEOUT_S}s
model_providers:
${entry('openai/chaos-a', a!.url, `    default: true\n${policy}`)}${entry('mistral/chaos-b', b!.url)}${entry('deepseek/chaos-c', c!.url)}switchyard:
  log_level: warn
`;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function oneRequest(agent: Agent, url: string, dialect: ObservedReply['dialect'], stream: boolean): Promise<ObservedReply & { hedged: boolean }> {
  const path = dialect === 'openai' ? '/v1/chat/completions' : '/v1/messages';
  const body = JSON.stringify({ messages: [{ role: 'user', content: 'soak' }], max_tokens: 32, stream });
  let status: number | undefined;
  let text = '';
  let hedged = false;
  try {
    const res = await request(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      dispatcher: agent,
      signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
    });
    status = res.statusCode;
    hedged = res.headers['x-switchyard-hedged'] === '1';
    for await (const c of res.body) text += (c as Buffer).toString('utf8');
    return { dialect, stream, status, body: text, failure: undefined, hedged };
  } catch (err) {
    return { dialect, stream, status, body: text, failure: (err as Error).name === 'TimeoutError' ? 'client timeout' : (err as Error).message, hedged };
  }
}

export async function runSoak(opts: SoakOptions): Promise<SoakResult> {
  const seed = opts.seed ?? 20_251_125;
  const upstreams = await Promise.all([CHAOS_MIX, FALLBACK_MIX, FALLBACK_MIX].map((mix, i) => startChaosUpstream(seed + i + 1, mix)));
  const gw = await startChildGateway((port) => gatewayYaml(port, upstreams), opts.gatewayNodeOptions ? { NODE_OPTIONS: opts.gatewayNodeOptions } : {});
  const agent = new Agent({ connections: 1024, keepAliveTimeout: 30_000, headersTimeout: CLIENT_TIMEOUT_MS, bodyTimeout: CLIENT_TIMEOUT_MS });
  const random = seededRandom(seed);
  const errors = new Map<number, number>();
  const unanswered = new Map<string, number>();
  const latencies: number[] = [];
  const rss: RssSample[] = [];
  let sent = 0;
  let success = 0;
  let streamed = 0;
  let hedged = 0;
  const inFlight = new Set<Promise<void>>();

  const started = performance.now();
  const sampler = setInterval(() => rss.push({ atMs: performance.now() - started, rssBytes: rssBytesOf(gw.pid) }), 1000);
  let lastProgress = 0;
  try {
    const endAt = started + opts.durationS * 1000;
    // Open loop: every 10 ms, start however many requests the rate says are due by now.
    while (performance.now() < endAt) {
      const due = Math.floor(((performance.now() - started) / 1000) * opts.rate);
      while (sent < due) {
        sent++;
        const stream = random() < STREAM_SHARE;
        const dialect = random() < ANTHROPIC_SHARE ? 'anthropic' : 'openai';
        if (stream) streamed++;
        const t0 = performance.now();
        const p = oneRequest(agent, gw.url, dialect, stream).then((reply) => {
          const verdict = classifyReply(reply);
          if (verdict.kind === 'success') {
            success++;
            if (reply.hedged) hedged++;
            latencies.push(performance.now() - t0);
          } else if (verdict.kind === 'error') {
            errors.set(verdict.status, (errors.get(verdict.status) ?? 0) + 1);
          } else {
            unanswered.set(verdict.reason, (unanswered.get(verdict.reason) ?? 0) + 1);
          }
        });
        inFlight.add(p);
        void p.finally(() => inFlight.delete(p));
      }
      if (opts.onProgress && performance.now() - lastProgress >= 10_000) {
        lastProgress = performance.now();
        const last = rss.at(-1);
        opts.onProgress(
          `${Math.round((lastProgress - started) / 1000)} s: sent ${sent}, ok ${success}, errors ${[...errors.values()].reduce((a, b) => a + b, 0)}, unanswered ${[...unanswered.values()].reduce((a, b) => a + b, 0)}, in flight ${inFlight.size}, rss ${last ? (last.rssBytes / 1048576).toFixed(1) : '?'} MB`,
        );
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    await Promise.all([...inFlight]);
  } finally {
    clearInterval(sampler);
  }
  gw.signal('SIGTERM');
  const exit = await gw.exited;
  await gw.dispose();
  await agent.close();
  const upstream: Record<ChaosOutcome, number> = { ok: 0, 'rate-limited': 0, unavailable: 0, reset: 0, stall: 0 };
  for (const u of upstreams) for (const [k, v] of Object.entries(u.counts)) upstream[k as ChaosOutcome] += v;
  const primary = { ...upstreams[0]!.counts };
  const upstreamAborted = upstreams.reduce((n, u) => n + u.aborted(), 0);
  await Promise.all(upstreams.map((u) => u.close()));

  latencies.sort((a, b) => a - b);
  return {
    options: opts,
    sent,
    success,
    errors,
    unanswered,
    streamed,
    hedged,
    latencyMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1) ?? 0 },
    upstream,
    primary,
    upstreamAborted,
    rss,
    trend: assessRss(rss, opts.warmupS * 1000),
    exitCode: exit.code,
  };
}
