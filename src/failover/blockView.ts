// A target is blocked when its model key or its prefix key is blocked, in the
// process-wide store or in the current request's own store.
import type { ModelProvider } from '../config/types.js';
import type { BlockEntry, BlockStore } from '../state/blockStore.js';

export interface BlockView {
  /** The latest time any block on target ends, or undefined when it is not blocked. */
  blockedUntil(target: ModelProvider, nowMs: number): number | undefined;
  /** The block on target that lasts longest, with its reason. */
  entry(target: ModelProvider, nowMs: number): BlockEntry | undefined;
}

function longer(a: BlockEntry | undefined, b: BlockEntry | undefined): BlockEntry | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return b.untilMs > a.untilMs ? b : a;
}

function entryIn(store: BlockStore, target: ModelProvider, nowMs: number): BlockEntry | undefined {
  return longer(store.lookup(target.blockKeys.model, nowMs), store.lookup(target.blockKeys.provider, nowMs));
}

/** Global blocks plus, once the request has any, its request-scoped blocks. */
export class LayeredBlockView implements BlockView {
  constructor(
    readonly global: BlockStore,
    readonly local?: BlockStore,
  ) {}

  entry(target: ModelProvider, nowMs: number): BlockEntry | undefined {
    const g = entryIn(this.global, target, nowMs);
    return this.local === undefined ? g : longer(g, entryIn(this.local, target, nowMs));
  }

  blockedUntil(target: ModelProvider, nowMs: number): number | undefined {
    return this.entry(target, nowMs)?.untilMs;
  }
}
