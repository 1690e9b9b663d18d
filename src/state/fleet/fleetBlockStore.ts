// Blocks shared by a fleet. Reads come from the local mirror; a block written
// here goes into the mirror at once and to Redis behind it, where a script
// keeps the longer of the two and announces it to every replica. Each block
// is a maximum, so late, repeated or crossing messages converge on the same
// answer and never shorten a block.
import type { Redis } from 'ioredis';
import type { BlockEntry, BlockReason, BlockStore } from '../blockStore.js';
import type { MemoryBlockStore } from '../memoryBlockStore.js';
import type { FleetKeys } from './keys.js';
import type { FleetLink } from './link.js';
import { decodeStoredBlock, encodeBlockMessage, encodeStoredBlock } from './messages.js';
import { LIVE_BLOCKS_SCRIPT, SET_BLOCK_SCRIPT } from './scripts.js';

export class FleetBlockStore implements BlockStore {
  constructor(
    /** Also the circuits' store: their blocks are local, derived from the circuit state the fleet shares. */
    readonly mirror: MemoryBlockStore,
    private readonly link: FleetLink,
    private readonly keys: FleetKeys,
    private readonly now: () => number = Date.now,
  ) {}

  block(key: string, untilMs: number, reason: BlockReason): void {
    this.mirror.block(key, untilMs, reason);
    // A circuit travels as its own state (see FleetCircuitBreakers), never as a block.
    if (reason.cause === 'circuit-open') return;
    // Not connected: the mirror keeps it, and the next re-sync pushes it.
    this.link.tell((redis) => this.send(redis, key, { untilMs, reason }));
  }

  lookup(key: string, nowMs: number): BlockEntry | undefined {
    return this.mirror.lookup(key, nowMs);
  }

  blockedUntil(key: string, nowMs: number): number | undefined {
    return this.mirror.blockedUntil(key, nowMs);
  }

  release(key: string, cause: BlockReason['cause']): void {
    this.mirror.release(key, cause);
  }

  /** A block another replica announced. */
  apply(key: string, entry: BlockEntry): void {
    this.mirror.block(key, entry.untilMs, entry.reason);
  }

  /** Loads the fleet's live blocks, then pushes the ones this replica holds longer (learned while apart). */
  async resync(redis: Redis): Promise<{ blocksLoaded: number; blocksPushed: number }> {
    const nowMs = this.now();
    const flat = (await LIVE_BLOCKS_SCRIPT.run(redis, [this.keys.blocks], [nowMs])) as string[];
    const fleet = new Map<string, BlockEntry>();
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const entry = decodeStoredBlock(flat[i + 1] ?? '');
      if (entry !== undefined) fleet.set(flat[i] ?? '', entry);
    }
    const pushes: Promise<unknown>[] = [];
    for (const [key, entry] of this.mirror.live(nowMs)) {
      if (entry.reason.cause !== 'circuit-open' && entry.untilMs > (fleet.get(key)?.untilMs ?? 0)) pushes.push(this.send(redis, key, entry));
    }
    for (const [key, entry] of fleet) this.apply(key, entry);
    await Promise.all(pushes);
    return { blocksLoaded: fleet.size, blocksPushed: pushes.length };
  }

  private send(redis: Redis, key: string, entry: BlockEntry): Promise<unknown> {
    const sentAt = this.now();
    const args = [key, entry.untilMs, encodeStoredBlock(entry), sentAt, this.keys.channel, encodeBlockMessage(this.link.replica, sentAt, key, entry)];
    return SET_BLOCK_SCRIPT.run(redis, [this.keys.blocks], args);
  }
}
