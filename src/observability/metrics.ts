// The Prometheus metrics, with prom-client. One registry per gateway (tests run
// several in one process). Every label value is a configured name (entry,
// provider prefix, model id, rule id) or a fixed word (outcome, error_type,
// cause, reason, state), never request data, so the series stay bounded.
// Counters and histograms move on the hot path through series bound once per
// model (hotMetrics.ts); gauges of live state (blocks, circuits, the retry
// gate) are read when scraped. Model-facing quantities follow the OpenTelemetry GenAI
// conventions (gen_ai_client_*); the gateway's own use switchyard_*.
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Config, ModelProvider } from '../config/types.js';
import type { TokenUsage } from '../dialects/tokenUsage.js';
import type { WireFormat } from '../dialects/wireFormat.js';
import type { BlockEvent, CircuitState } from '../failover/observer.js';
import type { SharedState } from '../state/sharedState.js';
import { BUILD } from './buildInfo.js';
import { HotCounter, HotHistogram, type CounterSeries, type HistogramSeries } from './hotMetrics.js';

/** The live state gauges are read from, as of the running config. */
export interface MetricsView {
  readonly config: Config;
  readonly shared: SharedState;
  readonly retriesInBackoff: number;
}

// OpenTelemetry GenAI bucket boundaries where the conventions give them.
const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
const FIRST_CHUNK_BUCKETS = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60];
const DURATION_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92, 163.84, 327.68];
const OVERHEAD_BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25];

const BLOCK_CAUSES = ['retry-after', 'high-latency', 'circuit-open'] as const;
const CIRCUIT_STATES = ['closed', 'open', 'half-open'] as const;
/** Label values use underscores, as Prometheus values customarily do. */
const word = (w: string): string => w.replace(/-/g, '_');


/** A request's series for one dialect and answering (or requested) entry. */
interface RequestSeries {
  readonly byStatus: Map<number, CounterSeries>;
  readonly duration: HistogramSeries;
}

/** The series one model entry moves on every answer, bound once. */
interface ModelSeries {
  /** By client dialect. */
  readonly requests: Map<WireFormat, RequestSeries>;
  readonly answered: CounterSeries;
  readonly failed: Map<string, CounterSeries>;
  readonly abandoned: CounterSeries;
  readonly ttfb: HistogramSeries;
  readonly firstChunk: HistogramSeries;
  readonly inputTokens: HistogramSeries;
  readonly outputTokens: HistogramSeries;
}

export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly bySeries = new WeakMap<ModelProvider, ModelSeries>();
  /** Requests no entry was resolved for (a bad body, an unknown model, a refused key), by dialect. */
  private readonly unrouted = new Map<WireFormat, RequestSeries>();
  private readonly overheadSeries = new Map<WireFormat, HistogramSeries>();

  private readonly requests: HotCounter;
  private readonly attempts: HotCounter;
  private readonly failovers: HotCounter;
  private readonly sameModelRetries: HotCounter;
  private readonly exhausted: HotCounter;
  private readonly blocksWritten: HotCounter;
  private readonly circuitTransitions: HotCounter;
  private readonly recoveries: HotCounter;
  private readonly guardExpiries: HotCounter;
  private readonly reloads: HotCounter;
  private readonly lastReloadOk: Gauge;
  private readonly lastReloadAt: Gauge;
  private readonly requestDuration: HotHistogram;
  private readonly overhead: HotHistogram;
  private readonly ttfb: HotHistogram;
  private readonly firstChunk: HotHistogram;
  private readonly tokens: HotHistogram;

  constructor(view: () => MetricsView) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    // prom-client names three gauges *_total (nodejs_active_handles_total, ...), which the
    // exposition rules reserve for counters and promtool's lint rejects: leave them out.
    for (const m of this.registry.getMetricsAsArray()) {
      if (!(m instanceof Counter) && m.name.endsWith('_total')) this.registry.removeSingleMetric(m.name);
    }
    new Gauge({ name: 'switchyard_build_info', help: 'Always 1; the labels say which build is running.', labelNames: ['version', 'node_version'], registers }).set(
      { version: BUILD.version, node_version: BUILD.node },
      1,
    );
    this.requests = new HotCounter(
      'switchyard_requests_total',
      'Chat requests by client dialect, the configured model that answered (or was requested, when none did; empty before one was resolved) and the final HTTP status (499: the client left first).',
      ['dialect', 'model', 'status'],
      this.registry,
    );
    this.attempts = new HotCounter(
      'switchyard_upstream_attempts_total',
      'Upstream attempts by model entry and outcome (success, failure, abandoned); error_type is the exhaustion body\'s spelling without measured numbers.',
      ['model', 'provider', 'outcome', 'error_type'],
      this.registry,
    );
    this.failovers = new HotCounter(
      'switchyard_failovers_total',
      'Retries on another model entry, from -> to, with the rule that decided and the failure that triggered it.',
      ['from', 'to', 'rule', 'trigger'],
      this.registry,
    );
    this.sameModelRetries = new HotCounter(
      'switchyard_same_model_retries_total',
      'Retries of the model entry that just failed, with the rule that decided and the failure that triggered it.',
      ['model', 'rule', 'trigger'],
      this.registry,
    );
    this.exhausted = new HotCounter(
      'switchyard_retries_exhausted_total',
      'Requests that ended with retry_exhausted, by the requested model and the reason the retries stopped.',
      ['model', 'reason'],
      this.registry,
    );
    this.blocksWritten = new HotCounter(
      'switchyard_blocks_written_total',
      'Blocks written, by what they block (a model entry or a provider prefix), their cause and whether every request or only one sees them.',
      ['scope', 'target', 'cause', 'apply_to'],
      this.registry,
    );
    this.circuitTransitions = new HotCounter(
      'switchyard_circuit_transitions_total',
      'Circuit breaker transitions by model entry and the state entered.',
      ['model', 'state'],
      this.registry,
    );
    this.recoveries = new HotCounter(
      'switchyard_stream_recoveries_total',
      'Streams that broke after their commit point, by the model that broke and the result: continued, error (in-band) or complete.',
      ['model', 'result'],
      this.registry,
    );
    this.guardExpiries = new HotCounter(
      'switchyard_stream_guard_expiries_total',
      'Stream guards that expired, by model entry and guard (first_token, idle), before or after the commit point.',
      ['model', 'guard'],
      this.registry,
    );
    this.reloads = new HotCounter(
      'switchyard_config_reloads_total',
      'Config reloads (SIGHUP) by result.',
      ['result'],
      this.registry,
    );
    this.lastReloadOk = new Gauge({ name: 'switchyard_config_last_reload_successful', help: '1 when the last reload was applied (or none was tried), 0 when it was rejected.', registers });
    this.lastReloadOk.set(1);
    this.lastReloadAt = new Gauge({ name: 'switchyard_config_last_reload_success_timestamp_seconds', help: 'When the running config was loaded or last reloaded, in Unix seconds.', registers });
    this.lastReloadAt.set(Date.now() / 1000);

    this.requestDuration = new HotHistogram(
      'switchyard_request_duration_seconds',
      'Total time of a chat request, from its arrival to the end of the answer, retries and waits included.',
      ['dialect', 'model'],
      DURATION_BUCKETS,
      this.registry,
    );
    this.overhead = new HotHistogram(
      'switchyard_gateway_overhead_seconds',
      "The gateway's own time in a request: arrival to the answer's first byte (all of it, for a whole answer), less the time waiting on providers and in backoff.",
      ['dialect'],
      OVERHEAD_BUCKETS,
      this.registry,
    );
    this.ttfb = new HotHistogram(
      'switchyard_upstream_time_to_first_byte_seconds',
      'Time from sending an attempt to its response headers, for attempts that answered.',
      ['model'],
      FIRST_CHUNK_BUCKETS,
      this.registry,
    );
    this.firstChunk = new HotHistogram(
      'gen_ai_client_operation_time_to_first_chunk_seconds',
      'Time to first token of a streamed attempt that answered: from sending it to its first content-bearing event (OpenTelemetry GenAI).',
      ['model', 'gen_ai_operation_name', 'gen_ai_provider_name', 'gen_ai_request_model'],
      FIRST_CHUNK_BUCKETS,
      this.registry,
    );
    this.tokens = new HotHistogram(
      'gen_ai_client_token_usage',
      'Tokens per answer, from the usage the answering attempt reported, by model entry and token type (OpenTelemetry GenAI).',
      ['model', 'gen_ai_operation_name', 'gen_ai_provider_name', 'gen_ai_request_model', 'gen_ai_token_type'],
      TOKEN_BUCKETS,
      this.registry,
    );
    this.liveGauges(view);
  }

  /** Gauges read from the live state when scraped: nothing on the hot path. */
  private liveGauges(view: () => MetricsView): void {
    const registers = [this.registry];
    new Gauge({
      name: 'switchyard_retries_in_backoff',
      help: 'Retries waiting out their backoff now.',
      registers,
      collect() {
        this.set(view().retriesInBackoff);
      },
    });
    new Gauge({
      name: 'switchyard_retry_gate_in_use',
      help: 'Retry-gate slots held now (switchyard.max_concurrent_retries caps them).',
      registers,
      collect() {
        this.set(view().shared.gate.active);
      },
    });
    new Gauge({
      name: 'switchyard_retry_gate_capacity',
      help: 'The retry gate\'s capacity: switchyard.max_concurrent_retries.',
      registers,
      collect() {
        this.set(view().shared.gate.capacity);
      },
    });
    new Gauge({
      name: 'switchyard_shared_state_up',
      help: 'Whether this process shares the fleet\'s state: 1 while its Redis answers (always 1 in memory), 0 while it decides alone.',
      labelNames: ['backend'],
      registers,
      collect() {
        const health = view().shared.link.health();
        this.reset();
        this.set({ backend: health.type }, health.type === 'memory' || health.status === 'connected' ? 1 : 0);
      },
    });
    new Gauge({
      name: 'switchyard_blocks_active',
      help: 'Blocks in force on each model entry (its own or its provider prefix\'s), by cause; request-scoped blocks are not counted.',
      labelNames: ['model', 'cause'],
      registers,
      collect() {
        const { config, shared } = view();
        const now = Date.now();
        this.reset();
        for (const p of config.providers) {
          const counts = new Map<string, number>(BLOCK_CAUSES.map((c) => [c, 0]));
          for (const key of [p.blockKeys.model, p.blockKeys.provider]) {
            const e = shared.blocks.lookup(key, now);
            if (e !== undefined) counts.set(e.reason.cause, (counts.get(e.reason.cause) ?? 0) + 1);
          }
          for (const [cause, n] of counts) this.set({ model: p.name, cause: word(cause) }, n);
        }
      },
    });
    new Gauge({
      name: 'switchyard_block_remaining_seconds',
      help: 'Seconds until each model entry is no longer blocked; 0 when it is not.',
      labelNames: ['model'],
      registers,
      collect() {
        const { config, shared } = view();
        const now = Date.now();
        this.reset();
        for (const p of config.providers) {
          const until = Math.max(shared.blocks.blockedUntil(p.blockKeys.model, now) ?? now, shared.blocks.blockedUntil(p.blockKeys.provider, now) ?? now);
          this.set({ model: p.name }, (until - now) / 1000);
        }
      },
    });
    new Gauge({
      name: 'switchyard_circuit_state',
      help: 'Each model entry\'s circuit: 1 for the state it is in (closed, open, half_open), 0 for the others.',
      labelNames: ['model', 'state'],
      registers,
      collect() {
        const { config, shared } = view();
        this.reset();
        for (const p of config.providers) {
          const phase = shared.circuits.phase(p);
          for (const s of CIRCUIT_STATES) this.set({ model: p.name, state: word(s) }, s === phase ? 1 : 0);
        }
      },
    });
  }

  private series(target: ModelProvider): ModelSeries {
    let s = this.bySeries.get(target);
    if (s === undefined) {
      const genAi = { model: target.name, gen_ai_operation_name: 'chat', gen_ai_provider_name: target.prefix, gen_ai_request_model: target.modelId };
      s = {
        requests: new Map(),
        answered: this.attempts.labels({ model: target.name, provider: target.prefix, outcome: 'success', error_type: '' }),
        failed: new Map(),
        abandoned: this.attempts.labels({ model: target.name, provider: target.prefix, outcome: 'abandoned', error_type: '' }),
        ttfb: this.ttfb.labels({ model: target.name }),
        firstChunk: this.firstChunk.labels(genAi),
        inputTokens: this.tokens.labels({ ...genAi, gen_ai_token_type: 'input' }),
        outputTokens: this.tokens.labels({ ...genAi, gen_ai_token_type: 'output' }),
      };
      this.bySeries.set(target, s);
    }
    return s;
  }

  attemptAnswered(target: ModelProvider, ttfbMs: number | undefined, firstChunkMs: number | undefined): void {
    const s = this.series(target);
    s.answered.inc();
    if (ttfbMs !== undefined) s.ttfb.observe(ttfbMs / 1000);
    if (firstChunkMs !== undefined) s.firstChunk.observe(firstChunkMs / 1000);
  }

  attemptFailed(target: ModelProvider, errorLabel: string): void {
    const s = this.series(target);
    let child = s.failed.get(errorLabel);
    if (child === undefined) {
      child = this.attempts.labels({ model: target.name, provider: target.prefix, outcome: 'failure', error_type: errorLabel });
      s.failed.set(errorLabel, child);
    }
    child.inc();
  }

  attemptAbandoned(target: ModelProvider): void {
    this.series(target).abandoned.inc();
  }

  guardExpired(target: ModelProvider, guard: 'first_token' | 'idle'): void {
    this.guardExpiries.inc({ model: target.name, guard });
  }

  retried(from: ModelProvider, to: ModelProvider, rule: string, trigger: string): void {
    if (from === to) this.sameModelRetries.inc({ model: from.name, rule, trigger });
    else this.failovers.inc({ from: from.name, to: to.name, rule, trigger });
  }

  gaveUp(primary: ModelProvider, reason: string): void {
    this.exhausted.inc({ model: primary.name, reason: word(reason) });
  }

  blockWritten(b: BlockEvent): void {
    this.blocksWritten.inc({ scope: b.scope, target: b.target, cause: word(b.cause), apply_to: b.applyTo });
  }

  circuitChanged(target: ModelProvider, state: CircuitState): void {
    this.circuitTransitions.inc({ model: target.name, state: word(state) });
  }

  recovered(from: ModelProvider, result: 'continued' | 'error' | 'complete'): void {
    this.recoveries.inc({ model: from.name, result });
  }

  tokensUsed(target: ModelProvider, usage: TokenUsage): void {
    const s = this.series(target);
    s.inputTokens.observe(usage.inputTokens);
    s.outputTokens.observe(usage.outputTokens);
  }

  /**
   * One finished chat request: `model` is the entry that answered, or was
   * requested, or undefined when none was resolved (labelled '').
   */
  request(dialect: WireFormat, model: ModelProvider | undefined, status: number, totalMs: number, overheadMs: number | undefined): void {
    const byDialect = model === undefined ? this.unrouted : this.series(model).requests;
    let r = byDialect.get(dialect);
    if (r === undefined) {
      const name = model?.name ?? '';
      r = { byStatus: new Map(), duration: this.requestDuration.labels({ dialect, model: name }) };
      byDialect.set(dialect, r);
    }
    let counter = r.byStatus.get(status);
    if (counter === undefined) {
      counter = this.requests.labels({ dialect, model: model?.name ?? '', status: String(status) });
      r.byStatus.set(status, counter);
    }
    counter.inc();
    r.duration.observe(totalMs / 1000);
    if (overheadMs === undefined) return;
    let overhead = this.overheadSeries.get(dialect);
    if (overhead === undefined) {
      overhead = this.overhead.labels({ dialect });
      this.overheadSeries.set(dialect, overhead);
    }
    overhead.observe(Math.max(0, overheadMs) / 1000);
  }

  reloaded(ok: boolean): void {
    this.reloads.inc({ result: ok ? 'success' : 'failure' });
    this.lastReloadOk.set(ok ? 1 : 0);
    if (ok) this.lastReloadAt.set(Date.now() / 1000);
  }

  /** The exposition text and its content type. */
  async scrape(): Promise<{ readonly contentType: string; readonly text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}
