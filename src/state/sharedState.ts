// The process-wide state failover consults: created once at start-up and handed
// to every request.
import type { Config } from '../config/types.js';
import type { BlockStore } from './blockStore.js';
import { CircuitBreakers } from './circuitBreakers.js';
import { LatencyWindows } from './latencyWindows.js';
import { MemoryBlockStore } from './memoryBlockStore.js';
import { RetryGate } from './retryGate.js';

export interface SharedState {
  readonly blocks: BlockStore;
  readonly latency: LatencyWindows;
  readonly gate: RetryGate;
  /** Per-entry circuits; an open circuit is a block in `blocks`. */
  readonly circuits: CircuitBreakers;
}

export function createSharedState(config: Config): SharedState {
  const blocks = new MemoryBlockStore();
  return {
    blocks,
    circuits: new CircuitBreakers(blocks),
    latency: new LatencyWindows(),
    gate: new RetryGate(config.gateway.maxConcurrentRetries),
  };
}
