// In-process BlockStore. Expiry needs no timers: an entry is compared with `now`
// on read and dropped there. The key space is bounded by the configured models
// and prefixes, so lazy pruning cannot grow memory without bound.
import type { BlockEntry, BlockReason, BlockStore } from './blockStore.js';

export class MemoryBlockStore implements BlockStore {
  private readonly entries = new Map<string, BlockEntry>();

  block(key: string, untilMs: number, reason: BlockReason): void {
    const current = this.entries.get(key);
    if (current !== undefined && current.untilMs >= untilMs) return;
    this.entries.set(key, { untilMs, reason });
  }

  lookup(key: string, nowMs: number): BlockEntry | undefined {
    if (this.entries.size === 0) return undefined;
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.untilMs <= nowMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  release(key: string, cause: BlockReason['cause']): void {
    if (this.entries.get(key)?.reason.cause === cause) this.entries.delete(key);
  }

  blockedUntil(key: string, nowMs: number): number | undefined {
    return this.lookup(key, nowMs)?.untilMs;
  }

  /** Every block still in force at nowMs (a fleet pushes these after reconnecting). */
  *live(nowMs: number): IterableIterator<readonly [string, BlockEntry]> {
    for (const [key, entry] of this.entries) if (entry.untilMs > nowMs) yield [key, entry];
  }

  /** Live entries; for diagnostics and tests. */
  get size(): number {
    return this.entries.size;
  }
}
