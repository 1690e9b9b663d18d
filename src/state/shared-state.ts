// The process-wide state failover consults: created once at start-up and handed
// to every request.
import type { Config } from '../config/types.js';
import type { BlockStore } from './block-store.js';
import { LatencyWindows } from './latency-windows.js';
import { MemoryBlockStore } from './memory-block-store.js';
import { RetryGate } from './retry-gate.js';

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
