// Everything a request needs that outlives it: built once per config.
import type { Config } from '../config/types.js';
import type { Logger } from '../observability/logger.js';
import type { Observability } from '../observability/observability.js';
import { buildModelTable, type ModelTable } from '../routing/modelTable.js';
import type { SharedState } from '../state/sharedState.js';
import { UpstreamPools } from '../upstream/pools.js';
import type { ConversationStore } from '../state/conversations/record.js';
import { createClientAuth, type ClientAuthenticator } from './clientAuth.js';
import { createRedactor, secretsOf, type SecretRedactor } from './redactSecrets.js';

export interface GatewayRuntime {
  readonly config: Config;
  readonly models: ModelTable;
  readonly pools: UpstreamPools;
  /** Blocks, circuits, latency windows and the retry gate (this process's, or the fleet's): they outlive config reloads. */
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
 * `held` outlives the config: the shared state (opened by the gateway, a
 * fleet's connection included) and the conversation store, and on a reload
 * the previous runtime's pools. `redactSecrets: false` exists only for the
 * test that proves the credential scan fails without redaction.
 */
export function createRuntime(
  config: Config,
  log: Logger,
  obs: Observability,
  held: Pick<GatewayRuntime, 'conversations' | 'shared'> & Partial<Pick<GatewayRuntime, 'pools'>>,
  redactSecrets = true,
): GatewayRuntime {
  // Blocks and circuits outlive a reload; the retry cap is the new file's.
  held.shared.gate.resize(config.gateway.maxConcurrentRetries);
  return {
    config,
    models: buildModelTable(config),
    pools: held.pools ?? new UpstreamPools(),
    shared: held.shared,
    log,
    auth: createClientAuth(config.gateway.clientKeys),
    redact: createRedactor(redactSecrets ? secretsOf(config) : []),
    conversations: held.conversations,
    obs,
  };
}
