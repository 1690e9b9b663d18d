// The structural schema of a Plano config, written here from Plano's published
// JSON schema (plano_config_schema.yaml). Every object is closed
// (additionalProperties: false) so misspellings surface as errors.
//
// Written once, with TypeBox (the `typebox` package, TypeBox 1.x; the older
// `@sinclair/typebox` name stays on 0.34): each builder returns a plain JSON
// Schema object for ajv and carries its TypeScript type, so the schema, the
// raw section types (Raw*) and the words in ./vocabulary.ts cannot drift.
// Chosen over json-schema-to-ts, which derives types from one deep literal:
// that makes tsc slow on a schema this size and forces helpers such as
// `closed` to preserve literal types by hand. TypeBox's kind markers are
// non-enumerable, so ajv sees exactly the JSON written here.
//
// Differences from Plano's schema, all additive or more lenient:
// - `listeners` is optional: without it Switchyard binds a default model listener.
// - Each model provider may set `connect_timeout_ms` and `first_byte_timeout_ms`
//   (Switchyard extension; per-attempt upstream timeouts).
// - A top-level `switchyard:` block holds gateway-wide settings (extension).
// - retry_policy may set stream guards (first_token_timeout_ms, idle_timeout_ms),
//   stream_commit, on_errors, circuit_breaker, same_model_retries on each rule
//   (default_same_model_retries for the default rule) and
//   retry_after_handling.max_wait_seconds; a model provider may set
//   first_token_timeout_ms, idle_timeout_ms, supports_prefill and
//   context_window (streaming-failure extensions, README "Streaming failures").
// - first_byte_timeout_ms and first_token_timeout_ms also take `auto` (a
//   learned limit); retry_policy may set first_byte_timeout_ms,
//   deadline_reserve_percent and learned_timeouts; retry_policy and a model
//   provider may set hedge (docs/failover.md).
// - A model provider may set `supports_responses` (it serves /v1/responses
//   natively), and `state_storage` may set `ttl_seconds` and `max_entries`.
// - `provider_interface` also accepts every interface the provider registry
//   knows (e.g. `anthropic`), not only Plano's enum.
// - `tracing.exporters`, `routing.route_on_user_only` and a `cost` metrics
//   source with `provider: models.dev` and `url` are accepted: newer Plano
//   configs (including its full reference) use them though its schema lags.
// - `listeners` and `model_metrics_sources` use if/then/else instead of oneOf
//   so that a mistake yields one precise error rather than one per branch.
// - Status `codes` items are typed integer-or-string; ranges and bounds are
//   checked in retryPolicy.ts where the error can name the exact item.
import { Type, type Static, type TObject, type TOptional, type TProperties, type TSchema, type TUnsafe } from 'typebox';
import { providerInterfaces } from '../providers/registry.js';
import {
  BackoffApplyTo,
  BlockApplyTo,
  BlockScope,
  ErrorClass,
  GuardWord,
  HedgePercentile,
  HedgeTrigger,
  LatencyMeasure,
  LogLevel,
  SharedStateType,
  StateStorageType,
  Strategy,
  StreamCommitWord,
  TranslationMode,
  UnknownModels,
  words,
} from './vocabulary.js';

const str = Type.String();
const bool = Type.Boolean();
const int = Type.Integer();
const intMin = (minimum: number) => Type.Integer({ minimum });
const stringList = Type.Array(str);
const port = Type.Integer({ minimum: 0, maximum: 65535 });
const positiveNumber = Type.Number({ exclusiveMinimum: 0 });

/** A JSON Schema TypeBox has no builder for, with the type it stands for. */
const raw = <T>(schema: Record<string, unknown>): TUnsafe<T> => Type.Unsafe<T>(schema);

/** A mapping of free keys to `value`s (additionalProperties, not patternProperties). */
const mapOf = <V extends TSchema>(value: V) => raw<Record<string, Static<V>>>({ type: 'object', additionalProperties: value });
const stringMap = mapOf(str);

type Closed<P extends TProperties, R extends PropertyKey> = TObject<{ [K in keyof P]: K extends R ? P[K] : TOptional<P[K]> }>;

/** A closed object: unknown keys are errors; keys not in `required` are optional. */
function closed<P extends TProperties, const R extends readonly (keyof P & string)[] = []>(properties: P, required?: R): Closed<P, R[number]> {
  const props: Record<string, TSchema> = {};
  for (const [key, schema] of Object.entries(properties)) {
    props[key] = required?.includes(key) ? schema : Type.Optional(schema);
  }
  return Type.Object(props, { additionalProperties: false }) as unknown as Closed<P, R[number]>;
}

// Extension: retries of the failed entry before the rule's strategy applies.
const sameModelRetries = intMin(0);
// Extension: stream_commit: {buffer_ms: N}.
const commitWindow = closed({ buffer_ms: intMin(1) }, ['buffer_ms']);
// Extension: a first-byte or first-token timeout in ms, or `auto` (learned).
const guardLimit = raw<number | GuardWord>({ if: { type: 'string' }, then: GuardWord, else: intMin(1) });
// Extension: hedged requests, on a retry_policy or a provider entry. Exactly one
// of after_ms and after is required (checked in hedgePolicy.ts, which can name the field).
const hedge = closed({
  after_ms: intMin(1),
  after: HedgePercentile,
  min_after_ms: intMin(1),
  max_after_ms: intMin(1),
  max_extra_attempts: Type.Integer({ minimum: 1, maximum: 3 }),
  budget_percent: Type.Number({ exclusiveMinimum: 0, maximum: 100 }),
  trigger: HedgeTrigger,
});

const retryPolicy = closed({
  fallback_models: stringList,
  default_strategy: Strategy,
  default_max_attempts: intMin(0),
  on_status_codes: Type.Array(
    closed(
      {
        codes: Type.Array(raw<number | string>({ type: ['integer', 'string'] })),
        strategy: Strategy,
        max_attempts: intMin(0),
        same_model_retries: sameModelRetries,
      },
      ['codes', 'strategy', 'max_attempts'],
    ),
  ),
  default_same_model_retries: sameModelRetries,
  on_timeout: closed({ strategy: Strategy, max_attempts: intMin(1), same_model_retries: sameModelRetries }, ['strategy', 'max_attempts']),
  on_high_latency: closed(
    {
      threshold_ms: intMin(1),
      measure: LatencyMeasure,
      strategy: Strategy,
      max_attempts: intMin(1),
      block_duration_seconds: intMin(1),
      scope: BlockScope,
      apply_to: BlockApplyTo,
      min_triggers: intMin(1),
      trigger_window_seconds: intMin(1),
      same_model_retries: sameModelRetries,
    },
    ['threshold_ms', 'strategy', 'max_attempts', 'block_duration_seconds'],
  ),
  backoff: closed({ apply_to: BackoffApplyTo, base_ms: intMin(1), max_ms: intMin(1), jitter: bool }, ['apply_to']),
  retry_after_handling: closed({
    scope: BlockScope,
    apply_to: BlockApplyTo,
    max_retry_after_seconds: intMin(1),
    // Extension: longest Retry-After that same_model_retries waits out.
    max_wait_seconds: intMin(0),
  }),
  max_retry_duration_ms: intMin(0),
  // Extensions (streaming failures): per-attempt stream guards, the commit point,
  // rules by error class, and the per-entry circuit breaker.
  first_token_timeout_ms: guardLimit,
  idle_timeout_ms: intMin(1),
  // Extensions: the first-byte limit for every attempt of the request, the
  // deadline split, learned timeouts and hedged requests.
  first_byte_timeout_ms: guardLimit,
  deadline_reserve_percent: Type.Integer({ minimum: 0, maximum: 90 }),
  learned_timeouts: closed({ multiplier: Type.Number({ minimum: 1 }), floor_ms: intMin(1), ceiling_ms: intMin(1) }),
  hedge,
  stream_commit: raw<StreamCommitWord | Static<typeof commitWindow>>({ if: { type: 'object' }, then: commitWindow, else: StreamCommitWord }),
  on_errors: Type.Array(
    closed(
      { match: ErrorClass, strategy: Strategy, max_attempts: intMin(0), same_model_retries: sameModelRetries },
      ['match', 'strategy'],
    ),
  ),
  circuit_breaker: closed({
    enabled: bool,
    failure_threshold: intMin(1),
    failure_ratio: Type.Number({ exclusiveMinimum: 0, maximum: 1 }),
    min_requests: intMin(1),
    window_seconds: positiveNumber,
    open_seconds: positiveNumber,
    max_open_seconds: positiveNumber,
  }),
});

const modelProvider = closed(
  {
    name: str,
    access_key: str,
    model: str,
    default: bool,
    base_url: str,
    passthrough_auth: bool,
    http_host: str,
    provider_interface: words(...providerInterfaces()),
    headers: stringMap,
    routing_preferences: Type.Array(closed({ name: str, description: str }, ['name', 'description'])),
    retry_policy: retryPolicy,
    // Switchyard extension: per-attempt timeouts.
    connect_timeout_ms: intMin(1),
    first_byte_timeout_ms: guardLimit,
    // Switchyard extension: stream guards and capabilities for continuation.
    first_token_timeout_ms: guardLimit,
    idle_timeout_ms: intMin(1),
    supports_prefill: bool,
    context_window: intMin(1),
    // Switchyard extension: hedged requests, for attempts sent to this entry.
    hedge,
    // Switchyard extensions for translation: hints refused (strict) or dropped
    // (lenient), whether the model reasons, and its output-token ceiling.
    translation: TranslationMode,
    reasoning: bool,
    max_output_tokens: intMin(1),
    // Switchyard extension: the entry serves OpenAI's Responses API at {base_url}/responses.
    supports_responses: bool,
  },
  ['model'],
);

const listenerEntry = closed(
  {
    // `type` first: it is the entry's kind, and a missing one is reported first.
    type: words('model', 'prompt', 'agent'),
    name: str,
    port,
    address: str,
    timeout: str,
    router: words('plano_orchestrator_v1'),
    max_retries: int,
    agents: Type.Array(closed({ id: str, description: str, default: bool, input_filters: stringList }, ['id', 'description'])),
    input_filters: stringList,
    output_filters: stringList,
  },
  ['type', 'name'],
);

const legacyListener = closed({ address: str, port, message_format: words('openai'), timeout: str });
const legacyListeners = closed({ ingress_traffic: legacyListener, egress_traffic: legacyListener });

const listeners = raw<Static<typeof listenerEntry>[] | Static<typeof legacyListeners>>({
  if: { type: 'array' },
  then: Type.Array(listenerEntry),
  // Anything that is neither form is reported as "must be a list", the form to use.
  else: { if: { type: 'object' }, then: legacyListeners, else: { type: 'array' } },
});

const scalar = raw<string | number | boolean>({ type: ['string', 'integer', 'boolean'] });

const promptTargets = Type.Array(
  closed(
    {
      name: str,
      default: bool,
      description: str,
      auto_llm_dispatch_on_response: bool,
      parameters: Type.Array(
        closed(
          {
            name: str,
            required: bool,
            default: scalar,
            description: str,
            type: str,
            enum: Type.Array(scalar),
            in_path: bool,
            format: str,
          },
          ['name', 'description', 'type'],
        ),
      ),
      endpoint: closed({ name: str, path: str, http_method: words('GET', 'POST'), http_headers: stringMap }, ['name', 'path']),
      system_prompt: str,
    },
    ['name', 'description'],
  ),
);

const costSource = closed(
  {
    type: raw<'cost'>({ const: 'cost' }),
    provider: words('digitalocean', 'models.dev'),
    url: str,
    refresh_interval: intMin(1),
    model_aliases: stringMap,
  },
  ['type', 'provider'],
);
const latencySource = closed(
  { type: raw<'latency'>({ const: 'latency' }), provider: words('prometheus'), url: str, query: str, refresh_interval: intMin(1) },
  ['type', 'provider', 'url', 'query'],
);

const isType = (value: string) => ({ properties: { type: { const: value } } });
const modelMetricsSources = Type.Array(
  raw<Static<typeof costSource> | Static<typeof latencySource>>({
    type: 'object',
    required: ['type'],
    properties: { type: words('cost', 'latency') },
    if: isType('cost'),
    then: costSource,
    else: { if: isType('latency'), then: latencySource },
  }),
);

const tracing = closed({
  random_sampling: int,
  trace_arch_internal: bool,
  opentracing_grpc_endpoint: str,
  span_attributes: closed({ header_prefixes: stringList, static: stringMap }),
  exporters: Type.Array(closed({ type: str, url: str, api_key: str, distinct_id_header: str, capture_messages: bool }, ['type'])),
});

const routing = closed({
  llm_provider: str,
  model: str,
  session_ttl_seconds: intMin(1),
  session_max_entries: Type.Integer({ minimum: 1, maximum: 10000 }),
  route_on_user_only: bool,
  session_cache: closed({ type: words('memory', 'redis'), url: str, tenant_header: str }),
});

// Switchyard extensions: ttl_seconds (both types) and max_entries (memory).
const stateStorageFields = closed({ type: StateStorageType, connection_string: str, ttl_seconds: intMin(1), max_entries: intMin(1) }, ['type']);
const stateStorage = raw<Static<typeof stateStorageFields>>({
  ...stateStorageFields,
  if: { properties: { type: { const: 'postgres' } }, required: ['type'] },
  then: { required: ['connection_string'] },
});

const promptGuards = closed({
  input_guards: closed({ jailbreak: closed({ on_exception: closed({ message: str }, ['message']) }, ['on_exception']) }, ['jailbreak']),
});

const routingPreferences = Type.Array(
  closed(
    {
      name: str,
      description: str,
      models: Type.Array(str, { minItems: 1 }),
      selection_policy: closed({ prefer: words('cheapest', 'fastest', 'none') }, ['prefer']),
    },
    ['name', 'description', 'models'],
  ),
);

const overrides = closed({
  prompt_target_intent_matching_threshold: Type.Number(),
  optimize_context_window: bool,
  use_agent_orchestrator: bool,
  disable_signals: bool,
  upstream_connect_timeout: str,
  upstream_tls_ca_path: str,
  llm_routing_model: str,
  agent_orchestration_model: str,
  orchestrator_model_context_length: int,
});

/**
 * Switchyard extension: where the failover state lives. `url` (a redis:// or
 * rediss:// URL, $VAR allowed) is checked in sharedState.ts, where the error
 * can say what is wrong without echoing a password.
 */
const sharedState = closed({
  type: SharedStateType,
  url: str,
  key_prefix: Type.String({ minLength: 1 }),
  retry_lease_seconds: positiveNumber,
});

/**
 * Switchyard extension: gateway-wide limits, client keys, logging, the admin listener and shared state.
 * header_timeout_ms / body_timeout_ms close slow clients (slowloris);
 * max_header_bytes caps the request head (431 above it); client_keys, when
 * present, make every /v1 route require one of the keys (a literal or $VAR),
 * each optionally limited to allowed_models (entry names, aliases or model ids).
 */
const switchyardBlock = closed({
  max_body_bytes: intMin(1),
  max_header_bytes: intMin(1024),
  header_timeout_ms: intMin(1),
  body_timeout_ms: intMin(1),
  max_concurrent_retries: intMin(1),
  shutdown_grace_seconds: intMin(0),
  log_level: LogLevel,
  access_log: bool,
  translation: TranslationMode,
  unknown_models: UnknownModels,
  client_keys: Type.Array(closed({ key: str, name: str, allowed_models: stringList }, ['key'])),
  shared_state: sharedState,
  // /metrics, /status and /status.json on a listener of their own, served without client keys.
  admin: closed({ address: str, port }, ['port']),
});

const endpoint = closed({ endpoint: str, connect_timeout: str, protocol: words('http', 'https'), http_host: str }, ['endpoint']);

export const configSchema = closed(
  {
    version: words('v0.1', 'v0.1.0', '0.1-beta', '0.2.0', 'v0.3.0', 'v0.4.0'),
    agents: Type.Array(closed({ id: str, url: str }, ['id', 'url'])),
    filters: Type.Array(
      closed({ id: str, url: str, type: words('mcp', 'http'), transport: words('streamable-http'), tool: str }, ['id', 'url']),
    ),
    listeners,
    endpoints: raw<Record<string, Static<typeof endpoint>>>({ type: 'object', patternProperties: { '^[a-zA-Z][a-zA-Z0-9_]*$': endpoint } }),
    model_providers: Type.Array(modelProvider),
    llm_providers: Type.Array(modelProvider),
    model_aliases: mapOf(closed({ target: str }, ['target'])),
    overrides,
    system_prompt: str,
    prompt_targets: promptTargets,
    ratelimits: Type.Array(
      closed(
        {
          model: str,
          selector: closed({ key: str, value: str }, ['key', 'value']),
          limit: closed({ tokens: int, unit: str }, ['tokens', 'unit']),
        },
        ['model', 'selector', 'limit'],
      ),
    ),
    tracing,
    mode: words('llm', 'prompt'),
    routing,
    state_storage: stateStorage,
    prompt_guards: promptGuards,
    routing_preferences: routingPreferences,
    model_metrics_sources: modelMetricsSources,
    switchyard: switchyardBlock,
  },
  ['version'],
);

// The raw sections as written in YAML (after the schema accepted them).
export type RawConfig = Static<typeof configSchema>;
export type RawModelProvider = Static<typeof modelProvider>;
export type RawRetryPolicy = Static<typeof retryPolicy>;
export type RawListener = Static<typeof listenerEntry>;
export type RawSwitchyard = Static<typeof switchyardBlock>;
export type RawStateStorage = Static<typeof stateStorageFields>;
