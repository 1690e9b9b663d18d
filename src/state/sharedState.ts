// The process-wide state failover consults: created once at start-up and handed
// to every request.
import type { Config } from '../config/types.js';
import type { BlockStore } from './blockStore.js';
import { LatencyWindows } from './latencyWindows.js';
import { MemoryBlockStore } from './memoryBlockStore.js';
import { RetryGate } from './retryGate.js';

export interface SharedState {
  readonly blocks: BlockStore;
  readonly latency: LatencyWindows;
  readonly gate: RetryGate;
}

export function createSharedState(config: Config): SharedState {
  return {
    blocks: new MemoryBlockStore(),
    latency: new LatencyWindows(),
    gate: new RetryGate(config.gateway.maxConcurrentRetries),
  };
}
