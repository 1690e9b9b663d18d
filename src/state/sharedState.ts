// The state failover consults beyond one request: created once at start-up,
// carried over reloads, and handed to every request.
import type { Config } from '../config/types.js';
import type { BlockStore } from './blockStore.js';
import type { CircuitBreakers } from './circuitBreakers.js';
import type { HedgeBudget } from './hedgeBudget.js';
import type { LatencyDistributions } from './latencyDistributions.js';
import type { LatencyWindows } from './latencyWindows.js';
import { MemoryBlockStore } from './memoryBlockStore.js';
import { MemoryCircuitBreakers } from './memoryCircuitBreakers.js';
import { MemoryHedgeBudget } from './memoryHedgeBudget.js';
import { MemoryLatencyDistributions } from './memoryLatencyDistributions.js';
import { MemoryLatencyWindows } from './memoryLatencyWindows.js';
import { MemoryRetryGate } from './memoryRetryGate.js';
import type { RetryGate } from './retryGate.js';
import { MEMORY_LINK, type StateLink, type StateLog } from './stateLink.js';

/**
 * Every member reads synchronously from this process's memory: in a fleet a
 * local mirror answers, and Redis is written behind it. Only a retry slot and
 * a circuit's probe, which must be granted once across the fleet, may wait on
 * Redis, and never longer than SHARED_STATE_WAIT_MS.
 */
export interface SharedState {
  readonly blocks: BlockStore;
  readonly latency: LatencyWindows;
  readonly gate: RetryGate;
  /** Per-entry circuits; an open circuit is a block in `blocks`. */
  readonly circuits: CircuitBreakers;
  /**
   * Each model's recent times to first byte and first token: learned limits,
   * the deadline reserve, hedge delays. Per replica even in a fleet
   * (docs/fleet.md): each replica learns from the answers it sees.
   */
  readonly distributions: LatencyDistributions;
  /**
   * Client requests and hedges per requested model over a sliding window:
   * hedges stay within budget_percent. Per replica even in a fleet: each
   * replica's share bounds the fleet's (docs/fleet.md).
   */
  readonly hedgeBudget: HedgeBudget;
  /** Where the state lives: health, start-up sync and shutdown. */
  readonly link: StateLink;
}

/** The state of one process alone (switchyard.shared_state.type: memory). */
export function createSharedState(config: Config): SharedState {
  const blocks = new MemoryBlockStore();
  return {
    blocks,
    circuits: new MemoryCircuitBreakers(blocks),
    latency: new MemoryLatencyWindows(blocks),
    distributions: new MemoryLatencyDistributions(),
    hedgeBudget: new MemoryHedgeBudget(),
    gate: new MemoryRetryGate(config.gateway.maxConcurrentRetries),
    link: MEMORY_LINK,
  };
}

/**
 * The state switchyard.shared_state asks for. The Redis client is loaded only
 * for a fleet, so a single process pays nothing for it.
 */
export async function openSharedState(config: Config, log: StateLog): Promise<SharedState> {
  const settings = config.gateway.sharedState;
  if (settings.type === 'memory') return createSharedState(config);
  const { createFleetState } = await import('./fleet/fleetState.js');
  return createFleetState(settings, config.gateway.maxConcurrentRetries, log);
}
