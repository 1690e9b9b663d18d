// The structural schema of a Plano config, written here from Plano's published
// JSON schema (plano_config_schema.yaml). Every object is closed
// (additionalProperties: false) so misspellings surface as errors.
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
// - `provider_interface` also accepts every interface the provider registry
//   knows (e.g. `anthropic`), not only Plano's enum.
// - `tracing.exporters`, `routing.route_on_user_only` and a `cost` metrics
//   source with `provider: models.dev` and `url` are accepted: newer Plano
//   configs (including its full reference) use them though its schema lags.
// - `listeners` and `model_metrics_sources` use if/then/else instead of oneOf
//   so that a mistake yields one precise error rather than one per branch.
// - Status `codes` items are typed integer-or-string; ranges and bounds are
//   checked in retryPolicy.ts where the error can name the exact item.
import { providerInterfaces } from '../providers/registry.js';

type Schema = Record<string, unknown>;

const str: Schema = { type: 'string' };
const bool: Schema = { type: 'boolean' };
const int: Schema = { type: 'integer' };
const intMin = (minimum: number): Schema => ({ type: 'integer', minimum });
const oneOfStrings = (...values: string[]): Schema => ({ type: 'string', enum: values });
const stringList: Schema = { type: 'array', items: str };
const stringMap: Schema = { type: 'object', additionalProperties: str };
const closed = (properties: Record<string, Schema>, required: string[] = []): Schema => ({
  type: 'object',
  properties,
  additionalProperties: false,
  ...(required.length > 0 ? { required } : {}),
});

const strategy = oneOfStrings('same_model', 'same_provider', 'different_provider');
// Extension: retries of the failed entry before the rule's strategy applies.
const sameModelRetries = intMin(0);
const positiveNumber: Schema = { type: 'number', exclusiveMinimum: 0 };

const retryPolicy = closed({
  fallback_models: stringList,
  default_strategy: strategy,
  default_max_attempts: intMin(0),
  on_status_codes: {
    type: 'array',
    items: closed(
      { codes: { type: 'array', items: { type: ['integer', 'string'] } }, strategy, max_attempts: intMin(0), same_model_retries: sameModelRetries },
      ['codes', 'strategy', 'max_attempts'],
    ),
  },
  default_same_model_retries: sameModelRetries,
  on_timeout: closed({ strategy, max_attempts: intMin(1), same_model_retries: sameModelRetries }, ['strategy', 'max_attempts']),
  on_high_latency: closed(
    {
      threshold_ms: intMin(1),
      measure: oneOfStrings('ttfb', 'total'),
      strategy,
      max_attempts: intMin(1),
      block_duration_seconds: intMin(1),
      scope: oneOfStrings('model', 'provider'),
      apply_to: oneOfStrings('global', 'request'),
      min_triggers: intMin(1),
      trigger_window_seconds: intMin(1),
      same_model_retries: sameModelRetries,
    },
    ['threshold_ms', 'strategy', 'max_attempts', 'block_duration_seconds'],
  ),
  backoff: closed(
    { apply_to: oneOfStrings('same_model', 'same_provider', 'global'), base_ms: intMin(1), max_ms: intMin(1), jitter: bool },
    ['apply_to'],
  ),
  retry_after_handling: closed({
    scope: oneOfStrings('model', 'provider'),
    apply_to: oneOfStrings('request', 'global'),
    max_retry_after_seconds: intMin(1),
    // Extension: longest Retry-After that same_model_retries waits out.
    max_wait_seconds: intMin(0),
  }),
  max_retry_duration_ms: intMin(0),
  // Extensions (streaming failures): per-attempt stream guards, the commit point,
  // rules by error class, and the per-entry circuit breaker.
  first_token_timeout_ms: intMin(1),
  idle_timeout_ms: intMin(1),
  stream_commit: {
    if: { type: 'object' },
    then: closed({ buffer_ms: intMin(1) }, ['buffer_ms']),
    else: oneOfStrings('immediate', 'buffered'),
  },
  on_errors: {
    type: 'array',
    items: closed(
      {
        match: oneOfStrings('context_length_exceeded', 'content_policy', 'auth', 'overloaded'),
        strategy,
        max_attempts: intMin(0),
        same_model_retries: sameModelRetries,
      },
      ['match', 'strategy'],
    ),
  },
  circuit_breaker: closed({
    enabled: bool,
    failure_threshold: intMin(1),
    failure_ratio: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
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
    provider_interface: { type: 'string', enum: [...providerInterfaces()] },
    headers: stringMap,
    routing_preferences: { type: 'array', items: closed({ name: str, description: str }, ['name', 'description']) },
    retry_policy: retryPolicy,
    // Switchyard extension: per-attempt timeouts.
    connect_timeout_ms: intMin(1),
    first_byte_timeout_ms: intMin(1),
    // Switchyard extension: stream guards and capabilities for continuation.
    first_token_timeout_ms: intMin(1),
    idle_timeout_ms: intMin(1),
    supports_prefill: bool,
    context_window: intMin(1),
  },
  ['model'],
);

const listenerEntry = closed(
  {
    name: str,
    port: { type: 'integer', minimum: 0, maximum: 65535 },
    address: str,
    timeout: str,
    router: oneOfStrings('plano_orchestrator_v1'),
    max_retries: int,
    type: oneOfStrings('model', 'prompt', 'agent'),
    agents: {
      type: 'array',
      items: closed({ id: str, description: str, default: bool, input_filters: stringList }, ['id', 'description']),
    },
    input_filters: stringList,
    output_filters: stringList,
  },
  ['type', 'name'],
);

const legacyListener = closed({
  address: str,
  port: { type: 'integer', minimum: 0, maximum: 65535 },
  message_format: oneOfStrings('openai'),
  timeout: str,
});

const listeners: Schema = {
  if: { type: 'array' },
  then: { type: 'array', items: listenerEntry },
  // Anything that is neither form is reported as "must be a list", the form to use.
  else: {
    if: { type: 'object' },
    then: closed({ ingress_traffic: legacyListener, egress_traffic: legacyListener }),
    else: { type: 'array' },
  },
};

const promptTargets: Schema = {
  type: 'array',
  items: closed(
    {
      name: str,
      default: bool,
      description: str,
      auto_llm_dispatch_on_response: bool,
      parameters: {
        type: 'array',
        items: closed(
          {
            name: str,
            required: bool,
            default: { type: ['string', 'integer', 'boolean'] },
            description: str,
            type: str,
            enum: { type: 'array', items: { type: ['string', 'integer', 'boolean'] } },
            in_path: bool,
            format: str,
          },
          ['name', 'description', 'type'],
        ),
      },
      endpoint: closed(
        { name: str, path: str, http_method: oneOfStrings('GET', 'POST'), http_headers: stringMap },
        ['name', 'path'],
      ),
      system_prompt: str,
    },
    ['name', 'description'],
  ),
};

const costSource = closed(
  {
    type: { const: 'cost' },
    provider: oneOfStrings('digitalocean', 'models.dev'),
    url: str,
    refresh_interval: intMin(1),
    model_aliases: stringMap,
  },
  ['type', 'provider'],
);
const latencySource = closed(
  { type: { const: 'latency' }, provider: oneOfStrings('prometheus'), url: str, query: str, refresh_interval: intMin(1) },
  ['type', 'provider', 'url', 'query'],
);

const modelMetricsSources: Schema = {
  type: 'array',
  items: {
    type: 'object',
    required: ['type'],
    properties: { type: oneOfStrings('cost', 'latency') },
    if: { properties: { type: { const: 'cost' } } },
    then: costSource,
    else: { if: { properties: { type: { const: 'latency' } } }, then: latencySource },
  },
};

const tracing = closed({
  random_sampling: int,
  trace_arch_internal: bool,
  opentracing_grpc_endpoint: str,
  span_attributes: closed({ header_prefixes: stringList, static: stringMap }),
  exporters: {
    type: 'array',
    items: closed(
      { type: str, url: str, api_key: str, distinct_id_header: str, capture_messages: bool },
      ['type'],
    ),
  },
});

const routing = closed({
  llm_provider: str,
  model: str,
  session_ttl_seconds: intMin(1),
  session_max_entries: { type: 'integer', minimum: 1, maximum: 10000 },
  route_on_user_only: bool,
  session_cache: closed({ type: oneOfStrings('memory', 'redis'), url: str, tenant_header: str }),
});

const stateStorage: Schema = {
  ...closed({ type: oneOfStrings('memory', 'postgres'), connection_string: str }, ['type']),
  if: { properties: { type: { const: 'postgres' } }, required: ['type'] },
  then: { required: ['connection_string'] },
};

const promptGuards = closed({
  input_guards: closed(
    { jailbreak: closed({ on_exception: closed({ message: str }, ['message']) }, ['on_exception']) },
    ['jailbreak'],
  ),
});

const routingPreferences: Schema = {
  type: 'array',
  items: closed(
    {
      name: str,
      description: str,
      models: { type: 'array', items: str, minItems: 1 },
      selection_policy: closed({ prefer: oneOfStrings('cheapest', 'fastest', 'none') }, ['prefer']),
    },
    ['name', 'description', 'models'],
  ),
};

const overrides = closed({
  prompt_target_intent_matching_threshold: { type: 'number' },
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
 * Switchyard extension: gateway-wide limits, client keys and logging.
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
  log_level: oneOfStrings('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'),
  client_keys: {
    type: 'array',
    items: closed({ key: str, name: str, allowed_models: stringList }, ['key']),
  },
});

export const SUPPORTED_VERSIONS = ['v0.1', 'v0.1.0', '0.1-beta', '0.2.0', 'v0.3.0', 'v0.4.0'] as const;

export const configSchema: Schema = closed(
  {
    version: { type: 'string', enum: [...SUPPORTED_VERSIONS] },
    agents: { type: 'array', items: closed({ id: str, url: str }, ['id', 'url']) },
    filters: {
      type: 'array',
      items: closed(
        { id: str, url: str, type: oneOfStrings('mcp', 'http'), transport: oneOfStrings('streamable-http'), tool: str },
        ['id', 'url'],
      ),
    },
    listeners,
    endpoints: {
      type: 'object',
      patternProperties: {
        '^[a-zA-Z][a-zA-Z0-9_]*$': closed(
          { endpoint: str, connect_timeout: str, protocol: oneOfStrings('http', 'https'), http_host: str },
          ['endpoint'],
        ),
      },
    },
    model_providers: { type: 'array', items: modelProvider },
    llm_providers: { type: 'array', items: modelProvider },
    model_aliases: { type: 'object', additionalProperties: closed({ target: str }, ['target']) },
    overrides,
    system_prompt: str,
    prompt_targets: promptTargets,
    ratelimits: {
      type: 'array',
      items: closed(
        {
          model: str,
          selector: closed({ key: str, value: str }, ['key', 'value']),
          limit: closed({ tokens: int, unit: str }, ['tokens', 'unit']),
        },
        ['model', 'selector', 'limit'],
      ),
    },
    tracing,
    mode: oneOfStrings('llm', 'prompt'),
    routing,
    state_storage: stateStorage,
    prompt_guards: promptGuards,
    routing_preferences: routingPreferences,
    model_metrics_sources: modelMetricsSources,
    switchyard: switchyardBlock,
  },
  ['version'],
);
