// Every default, once, in the config file's own terms: its keys and its units.
// A default reads here as it would in a file and in the docs' tables (a test
// compares them), and `satisfies` checks each key and value against the schema.
// The builders turn these into the resolved Config (ms, objects); nothing else
// writes a default.
import type { RawListener, RawModelProvider, RawRetryPolicy, RawStateStorage, RawSwitchyard } from './schema.js';

/** Any subset of a section; a list's defaults are those of its items (`on_errors[].max_attempts`). */
export type SectionDefaults<T> = {
  readonly [K in keyof T]?: NonNullable<T[K]> extends readonly (infer Item)[]
    ? SectionDefaults<Item>
    : NonNullable<T[K]> extends Record<string, unknown>
      ? SectionDefaults<NonNullable<T[K]>>
      : T[K];
};

/** The model listener used when listeners has none (and each field of one that omits it). */
export const LISTENER_DEFAULTS = {
  name: 'model_listener',
  address: '0.0.0.0',
  port: 12000,
  timeout: '300s',
} as const satisfies SectionDefaults<RawListener>;

export const PROVIDER_DEFAULTS = {
  default: false,
  passthrough_auth: false,
  /** overrides.upstream_connect_timeout, when set, replaces this for every entry. */
  connect_timeout_ms: 5_000,
  first_byte_timeout_ms: 120_000,
  /** Effort and thinking budgets are mapped only for entries marked as reasoning models. */
  reasoning: false,
} as const satisfies SectionDefaults<RawModelProvider>;

/** same_model_retries on any rule, and default_same_model_retries: none unless asked for. */
export const DEFAULT_SAME_MODEL_RETRIES = 0;

/** Plano's documented defaults, then Switchyard's for its additions. */
export const RETRY_POLICY_DEFAULTS = {
  default_strategy: 'different_provider',
  default_max_attempts: 2,
  default_same_model_retries: DEFAULT_SAME_MODEL_RETRIES,
  on_status_codes: { same_model_retries: DEFAULT_SAME_MODEL_RETRIES },
  on_timeout: { same_model_retries: DEFAULT_SAME_MODEL_RETRIES },
  on_high_latency: { measure: 'ttfb', scope: 'model', apply_to: 'global', min_triggers: 1, same_model_retries: DEFAULT_SAME_MODEL_RETRIES },
  backoff: { base_ms: 100, max_ms: 5_000, jitter: true },
  retry_after_handling: { scope: 'model', apply_to: 'global', max_retry_after_seconds: 300, max_wait_seconds: 5 },
  on_errors: { max_attempts: 1, same_model_retries: DEFAULT_SAME_MODEL_RETRIES },
  /** Send → first content-bearing event. Generous: reasoning models think before their first token. */
  first_token_timeout_ms: 60_000,
  /** Longest silence between events once content flows. */
  idle_timeout_ms: 30_000,
  /** An entry's own first_byte_timeout_ms wins; this is the one for entries that set none. */
  first_byte_timeout_ms: PROVIDER_DEFAULTS.first_byte_timeout_ms,
  /**
   * While a timeout retry could follow, an attempt leaves at most half of the
   * time remaining to the next candidate (less when that candidate is known to
   * answer sooner): a silent provider never eats the whole deadline.
   */
  deadline_reserve_percent: 50,
  /** `auto` limits: multiplier × p99, at least floor_ms; the ceiling is each guard's static default. */
  learned_timeouts: { multiplier: 5, floor_ms: 2_000 },
  /**
   * A hedge block that omits them. One extra attempt, at most a tenth more
   * upstream requests; a learned delay is kept between 20 ms and 10 s (and is
   * the upper bound until the model has 20 samples).
   */
  hedge: { max_extra_attempts: 1, budget_percent: 10, min_after_ms: 20, max_after_ms: 10_000 },
  stream_commit: 'immediate',
  /**
   * For a circuit_breaker block that omits them; with no block at all there is
   * no breaker (see NO_CIRCUIT_BREAKER). Short open periods on purpose: a
   * recovered primary gets its traffic back within seconds.
   */
  circuit_breaker: { enabled: true, failure_threshold: 5, min_requests: 20, window_seconds: 30, open_seconds: 1, max_open_seconds: 5 },
} as const satisfies SectionDefaults<RawRetryPolicy>;

/** Without a circuit_breaker block there is no breaker, so a Plano file keeps Plano's behaviour. */
export const NO_CIRCUIT_BREAKER = { enabled: false } as const;

/** Same-model retries of a policy without a backoff block still back off, with the block's defaults: never hammer at once. */
export const SAME_MODEL_RETRY_BACKOFF = { ...RETRY_POLICY_DEFAULTS.backoff, apply_to: 'same_model' } as const satisfies SectionDefaults<NonNullable<RawRetryPolicy['backoff']>>;

/**
 * Stand-ins for required fields. The builders read them only where the schema
 * has already rejected the file, so they never reach a loaded Config (though a
 * failed load's warnings may reflect them); they are not documented defaults.
 */
export const REQUIRED_STAND_INS = {
  strategy: RETRY_POLICY_DEFAULTS.default_strategy,
  on_status_codes: { max_attempts: 0 },
  on_high_latency: { threshold_ms: 1, max_attempts: 1, block_duration_seconds: 300 },
  backoff: { apply_to: 'global' },
} as const;

/** The `switchyard:` block (a Switchyard extension). */
export const GATEWAY_DEFAULTS = {
  max_body_bytes: 10 * 1024 * 1024,
  max_header_bytes: 16 * 1024,
  header_timeout_ms: 10_000,
  body_timeout_ms: 30_000,
  max_concurrent_retries: 1000,
  shutdown_grace_seconds: 30,
  log_level: 'info',
  /** An entry's own `translation` wins; hints are dropped and named unless one of them says strict. */
  translation: 'lenient',
  /** One info line per request (health probes aside). */
  access_log: true,
  /** Off: an unknown model is a 400 naming it, never a silent substitute. */
  unknown_models: 'reject',
  /** One process learns alone unless a fleet shares its state through Redis. */
  shared_state: { type: 'memory', key_prefix: 'switchyard:', retry_lease_seconds: 30 },
  /** Loopback unless asked otherwise: the admin listener has no client keys, so its address is the operator's to protect. */
  admin: { address: '127.0.0.1' },
} as const satisfies SectionDefaults<RawSwitchyard>;

/**
 * state_storage, for the Responses API's conversations. Memory is the default:
 * bounded by entries (least recently used first out) and by a TTL counted from
 * a conversation's last use, so a busy gateway cannot grow without bound.
 */
export const STATE_STORAGE_DEFAULTS = {
  type: 'memory',
  ttl_seconds: 3_600,
  max_entries: 10_000,
} as const satisfies SectionDefaults<RawStateStorage>;
