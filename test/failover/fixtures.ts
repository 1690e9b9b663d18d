// Builders for config values, a seeded RNG and a fake clock, so failover tests
// state only what they are about.
import { DEFAULT_STATE_STORAGE } from '../../src/config/stateStorage.js';
import { seededRandom } from '../../bench/seededRandom.js';
import type {
  Config,
  HighLatencyRule,
  ModelProvider,
  RetryPolicy,
  StatusCodeRule,
  Strategy,
  TriggerRule,
} from '../../src/config/types.js';
import { DEFAULT_GATEWAY } from '../../src/config/gateway.js';
import { NO_TRACING } from '../../src/config/tracing.js';
import { defaultRetryPolicy } from '../../src/config/retryPolicy.js';
import type { Clock } from '../../src/failover/clock.js';
import { blockKeysOf } from '../../src/config/blockKeys.js';

export function rule(id: string, strategy: Strategy, maxAttempts: number): TriggerRule {
  return { id, strategy, maxAttempts };
}

/** A status rule; codes are single numbers or [from, to] ranges. */
export function statusRule(index: number, codes: readonly (number | [number, number])[], strategy: Strategy, maxAttempts: number): StatusCodeRule {
  return {
    id: `status[${index}]`,
    strategy,
    maxAttempts,
    ranges: codes.map((c) => (typeof c === 'number' ? { from: c, to: c } : { from: c[0], to: c[1] })),
  };
}

export function latencyRule(overrides: Partial<HighLatencyRule> = {}): HighLatencyRule {
  return {
    id: 'latency',
    strategy: 'different_provider',
    maxAttempts: 2,
    thresholdMs: 1000,
    measure: 'ttfb',
    blockDurationMs: 60_000,
    scope: 'model',
    applyTo: 'global',
    minTriggers: 1,
    triggerWindowMs: undefined,
    ...overrides,
  };
}

/** A policy as an empty retry_policy block loads (every default), then the overrides. */
export function policy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  return { ...defaultRetryPolicy(), ...overrides };
}

export function provider(index: number, model: string, retryPolicy?: RetryPolicy): ModelProvider {
  const slash = model.indexOf('/');
  return {
    index,
    name: model,
    model,
    prefix: model.slice(0, slash),
    modelId: model.slice(slash + 1),
    isDefault: index === 0,
    accessKey: 'k',
    passthroughAuth: false,
    headers: {},
    httpHost: undefined,
    endpoint: { format: 'openai', origin: 'http://127.0.0.1:1', chatPath: '/v1/chat/completions', query: '', auth: 'bearer', responsesPath: undefined },
    timeouts: { connectMs: 1000, firstByteMs: 5000 },
    streamGuards: { firstTokenTimeoutMs: undefined, idleTimeoutMs: undefined },
    supportsPrefill: false,
    contextWindow: undefined,
    translation: 'lenient',
    reasoning: false,
    maxOutputTokens: undefined,
    blockKeys: blockKeysOf(model, model.slice(0, slash)),
    hedge: undefined,
    retryPolicy,
  };
}

/** Providers in config order; the first gets `primaryPolicy`. */
export function providers(models: readonly string[], primaryPolicy?: RetryPolicy): ModelProvider[] {
  return models.map((m, i) => provider(i, m, i === 0 ? primaryPolicy : undefined));
}

export function config(list: readonly ModelProvider[], maxConcurrentRetries = 1000): Config {
  return {
    source: '<test>',
    version: 'v0.3.0',
    listener: { name: 'l', address: '127.0.0.1', port: 0, timeoutMs: 30_000 },
    providers: list,
    aliases: new Map(),
    aliasPatterns: [],
    defaultProvider: list[0],
    gateway: { ...DEFAULT_GATEWAY, maxBodyBytes: 1 << 20, maxConcurrentRetries, shutdownGraceMs: 1000, logLevel: 'silent' },
    stateStorage: DEFAULT_STATE_STORAGE,
    tracing: NO_TRACING,
  };
}

/** Seeded, so jitter bounds are tested deterministically. */
export const seededRng = seededRandom;

/**
 * A clock that moves only when told. With autoAdvance, sleep() jumps time
 * forward at once (and records the delay); without it, sleeps wait for
 * advance() or an abort.
 */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  private pending: { until: number; resolve: () => void }[] = [];

  constructor(
    private t = 1_000_000,
    private readonly autoAdvance = true,
  ) {}

  now(): number {
    return this.t;
  }

  sleep(ms: number, signal: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    if (this.autoAdvance) {
      this.t += ms;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const entry = { until: this.t + ms, resolve };
      this.pending.push(entry);
      signal.addEventListener('abort', () => {
        this.pending = this.pending.filter((p) => p !== entry);
        resolve();
      }, { once: true });
    });
  }

  /** Moves time forward, resolving sleeps that are due. */
  advance(ms: number): void {
    this.t += ms;
    const due = this.pending.filter((p) => p.until <= this.t);
    this.pending = this.pending.filter((p) => p.until > this.t);
    for (const p of due) p.resolve();
  }

  get pendingSleeps(): number {
    return this.pending.length;
  }
}

export const silentLog = { info(): void {} };
