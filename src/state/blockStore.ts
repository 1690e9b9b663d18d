// Blocks say "do not send to this target until T". Reads are synchronous because
// they sit on every request's hot path; a shared (Redis) store will keep a local
// mirror and write through, so the interface never grows a Promise on reads.
import { blockKey } from '../config/blockKeys.js';
import type { BlockScope, ModelProvider } from '../config/types.js';

/** Why a target is blocked; first-attempt steering picks its strategy from this. */
export type BlockReason =
  | { readonly cause: 'retry-after'; readonly status: number }
  | { readonly cause: 'high-latency' }
  | { readonly cause: 'circuit-open' };

export interface BlockEntry {
  readonly untilMs: number;
  readonly reason: BlockReason;
}

export interface BlockStore {
  /** Blocks key until untilMs. An existing later block wins: a block is never shortened. */
  block(key: string, untilMs: number, reason: BlockReason): void;
  /** The block on key, or undefined when there is none or it has expired by nowMs. */
  lookup(key: string, nowMs: number): BlockEntry | undefined;
  blockedUntil(key: string, nowMs: number): number | undefined;
  /**
   * Removes the block on key when its cause is `cause`; a block of any other
   * cause stays. The circuit breaker lifts its own blocks this way when a probe
   * succeeds, since blocks are otherwise never shortened.
   */
  release(key: string, cause: BlockReason['cause']): void;
}

/** `model:<entry name>`: blocks one model entry. */
export function modelBlockKey(target: ModelProvider): string {
  return target.blockKeys.model;
}

/** `provider:<prefix>`: blocks every entry sharing the prefix. */
export function providerBlockKey(prefix: string): string {
  return blockKey('provider', prefix);
}

/** The key a block of the given scope on this target uses. */
export function blockKeyFor(target: ModelProvider, scope: BlockScope): string {
  return target.blockKeys[scope];
}
