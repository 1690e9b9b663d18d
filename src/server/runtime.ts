// Everything a request needs that outlives it: built once per config.
import type { Config } from '../config/types.js';
import type { Logger } from '../observability/logger.js';
import { buildModelTable, type ModelTable } from '../routing/modelTable.js';
import type { SharedState } from '../state/sharedState.js';
import { UpstreamPools } from '../upstream/pools.js';
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
  /** Scrubs configured secrets from text and headers relayed to clients. */
  readonly redact: SecretRedactor;
}

/** `held` outlives the config: the shared state, and on a reload the previous runtime's pools. */
export function createRuntime(config: Config, log: Logger, held: { readonly shared: SharedState; readonly pools?: UpstreamPools }): GatewayRuntime {
  // Blocks and circuits outlive a reload; the retry cap is the new file's.
  held.shared.gate.resize(config.gateway.maxConcurrentRetries);
  return {
    config,
    models: buildModelTable(config),
    pools: held.pools ?? new UpstreamPools(),
    shared: held.shared,
    log,
    auth: createClientAuth(config.gateway.clientKeys),
    redact: createRedactor(secretsOf(config)),
  };
}
