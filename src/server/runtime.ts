// Everything a request needs that outlives it: built once per config.
import type { Config } from '../config/types.js';
import type { Logger } from '../observability/logger.js';
import type { Observability } from '../observability/observability.js';
import { buildModelTable, type ModelTable } from '../routing/modelTable.js';
import { createSharedState, type SharedState } from '../state/sharedState.js';
import { UpstreamPools } from '../upstream/pools.js';
import type { ConversationStore } from '../state/conversations/record.js';
import { createClientAuth, type ClientAuthenticator } from './clientAuth.js';
import { createRedactor, secretsOf, type SecretRedactor } from './redactSecrets.js';

export interface GatewayRuntime {
  readonly config: Config;
  readonly models: ModelTable;
  readonly pools: UpstreamPools;
  /** Blocks, latency windows and the retry gate: they outlive config reloads. */
  readonly shared: SharedState;
  readonly log: Logger;
  /** switchyard.client_keys; lets everyone in when none are configured. */
  readonly auth: ClientAuthenticator;
  /** Scrubs configured secrets from text and headers relayed to clients, and from metrics, traces and status. */
  readonly redact: SecretRedactor;
  /** The Responses API's conversations (state_storage): opened at start-up, kept across reloads. */
  readonly conversations: ConversationStore;
  /** Metrics, the status board and the tracer: one per process, across reloads. */
  readonly obs: Observability;
}

/**
 * `carried` is the previous runtime on a reload: its pools, shared state and
 * conversation store live on. `redactSecrets: false` exists only for the test
 * that proves the credential scan fails without redaction.
 */
export function createRuntime(
  config: Config,
  log: Logger,
  obs: Observability,
  carried: Pick<GatewayRuntime, 'conversations'> & Partial<Pick<GatewayRuntime, 'pools' | 'shared'>>,
  redactSecrets = true,
): GatewayRuntime {
  // Blocks and circuits outlive a reload; the retry cap is the new file's.
  carried.shared?.gate.resize(config.gateway.maxConcurrentRetries);
  return {
    config,
    models: buildModelTable(config),
    pools: carried.pools ?? new UpstreamPools(),
    shared: carried.shared ?? createSharedState(config),
    log,
    auth: createClientAuth(config.gateway.clientKeys),
    redact: createRedactor(redactSecrets ? secretsOf(config) : []),
    conversations: carried.conversations,
    obs,
  };
}
