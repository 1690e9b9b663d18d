// The process-wide state failover consults: created once at start-up and handed
// to every request.
import type { Config } from '../config/types.js';
import type { BlockStore } from './blockStore.js';
import { CircuitBreakers } from './circuitBreakers.js';
import type { HedgeBudget } from './hedgeBudget.js';
import type { LatencyDistributions } from './latencyDistributions.js';
import { LatencyWindows } from './latencyWindows.js';
import { MemoryBlockStore } from './memoryBlockStore.js';
import { MemoryHedgeBudget } from './memoryHedgeBudget.js';
import { MemoryLatencyDistributions } from './memoryLatencyDistributions.js';
import { RetryGate } from './retryGate.js';

export interface SharedState {
  readonly blocks: BlockStore;
  readonly latency: LatencyWindows;
  readonly gate: RetryGate;
  /** Per-entry circuits; an open circuit is a block in `blocks`. */
  readonly circuits: CircuitBreakers;
  /** Each model's recent times to first byte and first token: learned limits, the deadline reserve, hedge delays. */
  readonly distributions: LatencyDistributions;
  /** Client requests and hedges per requested model over a sliding window: hedges stay within budget_percent. */
  readonly hedgeBudget: HedgeBudget;
}

export function createSharedState(config: Config): SharedState {
  const blocks = new MemoryBlockStore();
  return {
    blocks,
    circuits: new CircuitBreakers(blocks),
    latency: new LatencyWindows(),
    distributions: new MemoryLatencyDistributions(),
    hedgeBudget: new MemoryHedgeBudget(),
    gate: new RetryGate(config.gateway.maxConcurrentRetries),
  };
}
