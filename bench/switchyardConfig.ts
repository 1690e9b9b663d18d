// Generates the Plano-format YAML that the switchyard systems run with.
// Both cases share one shape; failover only points the primary at a path the
// mock always answers with 429, so the comparison isolates the failover cost.
// Two more entries serve the issue-16 rows: an Anthropic-format entry (the
// translated long prompts) and a slow one (one token a second, open streams).
// The listener's 120 s deadline outlasts the open-streams row's ramp to 10,000.
// The primary's circuit breaker counts every attempt (a 429 is neutral to it),
// so with shared state in Redis the rows include the fleet's per-attempt work.

export interface SwitchyardConfigInput {
  readonly listenPort: number;
  readonly mockOrigin: string;
  readonly primaryFails: boolean;
  /** Shares state through this Redis (switchyard-redis); memory when absent. */
  readonly sharedStateUrl?: string;
  /** An OTLP/gRPC collector: when set, tracing is on and samples every request (Plano's tracing section). */
  readonly traceTo?: string;
}

/** The entry whose upstream streams one token a second (mock paths under /slow/). */
export const SLOW_MODEL = 'openai/gpt-4o-mini-slow';

export function switchyardConfigYaml(input: SwitchyardConfigInput): string {
  const primaryBase = input.primaryFails ? `${input.mockOrigin}/fail/v1` : input.mockOrigin;
  return `version: v0.3.0

listeners:
  - type: model
    name: bench_listener
    address: 127.0.0.1
    port: ${input.listenPort}
    timeout: 120s

model_providers:
  - model: openai/gpt-4o-mini
    base_url: ${primaryBase}
    access_key: bench-key
    default: true
    retry_policy:
      default_strategy: different_provider
      default_max_attempts: 2
      on_status_codes:
        - codes: [429]
          strategy: different_provider
          max_attempts: 2
      circuit_breaker: { failure_threshold: 5 }

  - model: mistral/mistral-small
    base_url: ${input.mockOrigin}
    access_key: bench-key

  - model: anthropic/claude-bench
    base_url: ${input.mockOrigin}
    access_key: bench-key

  - model: ${SLOW_MODEL}
    base_url: ${input.mockOrigin}/slow/v1
    access_key: bench-key

switchyard:
  log_level: warn
${input.sharedStateUrl === undefined ? '' : `  shared_state:\n    type: redis\n    url: ${input.sharedStateUrl}\n`}${input.traceTo === undefined ? '' : `
tracing:
  random_sampling: 100
  opentracing_grpc_endpoint: ${input.traceTo}
`}`;
}
