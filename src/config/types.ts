// The typed, validated configuration. Loading turns YAML into these frozen
// values with every default filled in and every reference resolved; nothing
// downstream re-reads raw YAML or re-checks what the loader already checked.
import type { UpstreamEndpoint } from '../providers/endpoint.js';
import type { BlockKeys } from './blockKeys.js';
import type {
  BackoffApplyTo,
  BlockApplyTo,
  BlockScope,
  ErrorClass,
  GuardWord,
  HedgeTrigger,
  LatencyMeasure,
  LogLevel,
  Strategy,
  StreamCommitWord,
  TranslationMode,
  UnknownModels,
} from './vocabulary.js';

export type { UpstreamEndpoint } from '../providers/endpoint.js';
// The words a config may use, each defined once in vocabulary.ts.
export type {
  BackoffApplyTo,
  BlockApplyTo,
  BlockScope,
  ErrorClass,
  GuardWord,
  HedgeTrigger,
  LatencyMeasure,
  LogLevel,
  Strategy,
  StreamCommitWord,
  TranslationMode,
  UnknownModels,
} from './vocabulary.js';

/** Inclusive status-code range; a single code has from === to. */
export interface StatusCodeRange {
  readonly from: number;
  readonly to: number;
}

/** A rule that a trigger follows: where to go next and how many retries it may cause. */
export interface TriggerRule {
  /** Stable id used to count retries per rule within a request, e.g. "status[0]", "default", "timeout", "latency". */
  readonly id: string;
  readonly strategy: Strategy;
  /** Retries this rule may cause; the original attempt is not counted. 0 means no retry. */
  readonly maxAttempts: number;
  /**
   * same_model_retries: retries of the entry that just failed before the
   * strategy applies, counted apart from maxAttempts. Undefined means 0.
   */
  readonly sameModelRetries?: number;
}

/** One on_errors entry. */
export interface ErrorRule extends TriggerRule {
  readonly match: ErrorClass;
}

/** When bytes are first sent to a streaming client. */
export type StreamCommit =
  | { readonly mode: StreamCommitWord }
  /** Hold events for the first bufferMs of the answer (from its first content), failing over freely until then. */
  | { readonly mode: 'window'; readonly bufferMs: number };

export interface CircuitBreakerPolicy {
  readonly enabled: boolean;
  /** Consecutive failures that open the circuit. */
  readonly failureThreshold: number;
  /** Failure ratio (0..1) over the window that opens it, once minRequests are seen; undefined: ratio not used. */
  readonly failureRatio: number | undefined;
  readonly minRequests: number;
  readonly windowMs: number;
  /** First open period; each reopening doubles it, up to maxOpenMs. */
  readonly openMs: number;
  readonly maxOpenMs: number;
}

export interface StatusCodeRule extends TriggerRule {
  readonly ranges: readonly StatusCodeRange[];
}

export interface HighLatencyRule extends TriggerRule {
  readonly thresholdMs: number;
  readonly measure: LatencyMeasure;
  readonly blockDurationMs: number;
  readonly scope: BlockScope;
  readonly applyTo: BlockApplyTo;
  readonly minTriggers: number;
  /** Sliding window for counting events; undefined only when minTriggers is 1. */
  readonly triggerWindowMs: number | undefined;
}

export interface BackoffPolicy {
  readonly applyTo: BackoffApplyTo;
  readonly baseMs: number;
  readonly maxMs: number;
  readonly jitter: boolean;
}

export interface RetryAfterPolicy {
  readonly scope: BlockScope;
  readonly applyTo: BlockApplyTo;
  readonly maxRetryAfterMs: number;
  /** A Retry-After up to this long is waited out by same_model_retries; a longer one fails over at once. */
  readonly maxWaitMs: number;
}

/** A first-byte or first-token limit as written: milliseconds, or `auto` (learned from the model's recent times). */
export type GuardLimit = number | GuardWord;

/** Stream guards set on a policy or a provider; undefined fields fall back (provider, then policy, then default). */
export interface StreamGuardSettings {
  readonly firstTokenTimeoutMs: GuardLimit | undefined;
  readonly idleTimeoutMs: number | undefined;
}

/** How an `auto` limit is learned: multiplier × p99 of the model's recent times, clamped. */
export interface LearnedTimeouts {
  readonly multiplier: number;
  readonly floorMs: number;
  /** undefined: the guard's static default (first byte 120000, first token 60000). */
  readonly ceilingMs: number | undefined;
}

/** How long a hedge waits: a fixed delay, or a percentile of the model's recent times, clamped. */
export type HedgeDelay =
  | { readonly kind: 'fixed'; readonly ms: number }
  | { readonly kind: 'learned'; readonly quantile: number; readonly minMs: number; readonly maxMs: number };

/** hedge: a second attempt when the first is slow to start, the first to deliver wins. */
export interface HedgePolicy {
  readonly delay: HedgeDelay;
  /** Hedges one attempt may get (each waits one more delay). */
  readonly maxExtraAttempts: number;
  /** Hedges per client request over the sliding window, in percent. */
  readonly budgetPercent: number;
  /** What the attempt must reach within the delay; undefined: first_token for streams, first_byte otherwise. */
  readonly trigger: HedgeTrigger | undefined;
}

export interface RetryPolicy {
  /** Provider entry names, in the order given; all resolved at load time. */
  readonly fallbackModels: readonly string[];
  readonly statusRules: readonly StatusCodeRule[];
  /** Used for retriable codes (408, 409, 429, 5xx) that no status rule lists. */
  readonly defaultRule: TriggerRule;
  /** on_timeout, or the default strategy/attempts when absent (id "timeout" either way). */
  readonly timeoutRule: TriggerRule;
  readonly highLatency: HighLatencyRule | undefined;
  readonly backoff: BackoffPolicy | undefined;
  readonly retryAfter: RetryAfterPolicy;
  readonly maxRetryDurationMs: number | undefined;
  /** on_errors entries, at most one per class; classes not listed use the built-in defaults. */
  readonly errorRules: readonly ErrorRule[];
  readonly streamGuards: StreamGuardSettings;
  /** first_byte_timeout_ms for attempts of this request on entries that set none. */
  readonly firstByteTimeoutMs: GuardLimit | undefined;
  /**
   * The deadline split: while a timeout retry could follow, an attempt may use
   * at most what remains of the deadline minus a reserve, which is at most
   * this share of it (0: no split).
   */
  readonly deadlineReservePercent: number;
  readonly learnedTimeouts: LearnedTimeouts;
  /** Hedged requests for every attempt of the request, unless the entry attempted sets its own. */
  readonly hedge: HedgePolicy | undefined;
  readonly streamCommit: StreamCommit;
  readonly circuitBreaker: CircuitBreakerPolicy;
}

export interface AttemptTimeouts {
  /** TCP/TLS connect timeout for one attempt. */
  readonly connectMs: number;
  /**
   * Time from sending the request to the response headers of one attempt (a
   * stream: its first event), as the entry wrote it; undefined falls back to
   * the request policy's, then to the default.
   */
  readonly firstByteMs: GuardLimit | undefined;
}

export interface ModelProvider {
  /** Position in model_providers; config order matters for candidate selection. */
  readonly index: number;
  /** Unique key; defaults to model. */
  readonly name: string;
  /** "provider/model-id" exactly as configured. */
  readonly model: string;
  /** The part of model before the first "/". */
  readonly prefix: string;
  /** The part after the first "/", sent upstream as `model`. */
  readonly modelId: string;
  readonly isDefault: boolean;
  /** access_key after $VAR expansion; undefined when none is configured. Never log it. */
  readonly accessKey: string | undefined;
  readonly passthroughAuth: boolean;
  readonly headers: Readonly<Record<string, string>>;
  readonly httpHost: string | undefined;
  readonly endpoint: UpstreamEndpoint;
  readonly timeouts: AttemptTimeouts;
  /** This entry's own stream guards (they win over the request policy's). */
  readonly streamGuards: StreamGuardSettings;
  /** Accepts a trailing assistant message as a prefill to continue from (Anthropic: yes by default). */
  readonly supportsPrefill: boolean;
  /** context_window in tokens, when configured; a context-length failover prefers larger windows. */
  readonly contextWindow: number | undefined;
  /** Where blocks on this entry and on its prefix are kept (state/blockStore.ts). */
  readonly blockKeys: BlockKeys;
  /** This entry's own hedge settings, for attempts sent to it (they win over the request policy's). */
  readonly hedge: HedgePolicy | undefined;
  /** What a translation into this entry's format does with hints: its own `translation`, else the global one. */
  readonly translation: TranslationMode;
  /** A reasoning model: effort and thinking budgets are mapped to it rather than dropped. */
  readonly reasoning: boolean;
  /** max_output_tokens: a larger max_tokens is lowered to it; undefined means no ceiling. */
  readonly maxOutputTokens: number | undefined;
  readonly retryPolicy: RetryPolicy | undefined;
}

export interface ListenerConfig {
  readonly name: string;
  readonly address: string;
  readonly port: number;
  /** Total time for one client request, retries and waits included. */
  readonly timeoutMs: number;
}

/** A model_aliases key with `*` wildcards, and the entry it names. */
export interface AliasPattern {
  readonly pattern: string;
  /** Provider entry name. */
  readonly target: string;
}

/** A key a client presents to use the gateway (switchyard.client_keys). */
export interface ClientKey {
  /** For logs and errors; defaults to "client_keys[i]". The key itself is never logged. */
  readonly name: string;
  /** The key after $VAR expansion. Never log it. */
  readonly key: string;
  /** Provider entry names this key may request; undefined means every model. */
  readonly allowedModels: readonly string[] | undefined;
}

/** A fleet's shared state in Redis (switchyard.shared_state with type: redis). */
export interface RedisSharedState {
  readonly type: 'redis';
  /** The URL after $VAR expansion; it may hold a password, so it is never logged. */
  readonly url: string;
  /** host:port/db, safe to log. */
  readonly endpoint: string;
  readonly db: number;
  /** The URL's password, if any: scrubbed like any other configured secret. */
  readonly password: string | undefined;
  readonly keyPrefix: string;
  /** How long a retry-gate slot outlives a replica that stops renewing it (one that died). */
  readonly retryLeaseMs: number;
}

/** Where blocks, circuits, latency windows and the retry gate live. */
export type SharedStateSettings = { readonly type: 'memory' } | RedisSharedState;

/** switchyard.admin: where /metrics, /status and /status.json are served without a client key. */
export interface AdminListener {
  readonly address: string;
  readonly port: number;
}

/** Gateway-wide settings: the `switchyard:` block, an additive extension to Plano's format. */
export interface GatewaySettings {
  readonly maxBodyBytes: number;
  /** Largest request head (request line + headers); 431 above it. Applies from start-up. */
  readonly maxHeaderBytes: number;
  /** Time a client has to send its request head. */
  readonly headerTimeoutMs: number;
  /** Time a client has to send its whole body once the head is in. */
  readonly bodyTimeoutMs: number;
  readonly maxConcurrentRetries: number;
  readonly shutdownGraceMs: number;
  readonly logLevel: LogLevel;
  /** switchyard.translation: the mode of every entry without its own. */
  readonly translation: TranslationMode;
  /** One info log line per request. */
  readonly accessLog: boolean;
  /** What a request for a model nothing names gets. */
  readonly unknownModels: UnknownModels;
  /** Empty: no key is required (the gateway trusts its network position). */
  readonly clientKeys: readonly ClientKey[];
  /** Undefined: the observability routes are on the model listener. Fixed at start-up. */
  readonly admin: AdminListener | undefined;
  readonly sharedState: SharedStateSettings;
}

/**
 * Plano's `tracing` section, as far as Switchyard acts on it. Whether tracing
 * is on also depends on the OTEL_* environment (observability/tracing/plan.ts).
 */
export interface TracingSettings {
  /** random_sampling: the percentage of new traces kept, 0-100; undefined when the file does not say. */
  readonly samplingPercent: number | undefined;
  /** opentracing_grpc_endpoint: an OTLP/gRPC collector. */
  readonly grpcEndpoint: string | undefined;
  /** span_attributes.header_prefixes, lower-cased: request headers copied onto the request span. */
  readonly headerPrefixes: readonly string[];
  /** span_attributes.static: added to every span. */
  readonly staticAttributes: Readonly<Record<string, string>>;
}

/** state_storage: where the Responses API keeps conversations (previous_response_id). */
export type StateStorageConfig =
  | {
      readonly type: 'memory';
      /** A conversation is forgotten this long after its last use. */
      readonly ttlMs: number;
      /** Stored responses at most; the least recently used goes first. */
      readonly maxEntries: number;
    }
  | {
      readonly type: 'postgres';
      /** After $VAR expansion. Never log it: it may hold a password. */
      readonly connectionString: string;
      readonly ttlMs: number;
    };

export interface Config {
  /** The file it came from, or a description such as "<zero-config>". */
  readonly source: string;
  readonly version: string;
  readonly listener: ListenerConfig;
  readonly providers: readonly ModelProvider[];
  /** alias -> provider entry name. */
  readonly aliases: ReadonlyMap<string, string>;
  /** model_aliases keys with a `*`, in config order; tried after every exact name. */
  readonly aliasPatterns: readonly AliasPattern[];
  readonly defaultProvider: ModelProvider | undefined;
  readonly gateway: GatewaySettings;
  readonly stateStorage: StateStorageConfig;
  readonly tracing: TracingSettings;
}

/** One problem found while loading; errors stop start-up, warnings do not. */
export interface ConfigIssue {
  readonly severity: 'error' | 'warning';
  /** Field path such as "model_providers[0].retry_policy.backoff.max_ms"; "" for the whole file. */
  readonly path: string;
  readonly message: string;
  /** 1-based line in the source file, when known. */
  readonly line: number | undefined;
}

export type LoadResult =
  | { readonly ok: true; readonly config: Config; readonly warnings: readonly ConfigIssue[] }
  | { readonly ok: false; readonly issues: readonly ConfigIssue[] };
