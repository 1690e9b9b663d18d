// Latency windows counted by the whole fleet for global blocks: every
// replica's slow answers go into one window in Redis, and the script that
// fills it writes the block and announces it. Request-scoped blocks count
// here only, since only a request on this replica can see them.
import { HIGH_LATENCY, type LatencyEvent, type LatencyWindows } from '../latencyWindows.js';
import type { MemoryLatencyWindows } from '../memoryLatencyWindows.js';
import type { FleetBlockStore } from './fleetBlockStore.js';
import type { FleetKeys } from './keys.js';
import type { FleetLink } from './link.js';
import { encodeBlockMessage, encodeStoredBlock } from './messages.js';
import { LATENCY_EVENT_SCRIPT } from './scripts.js';

export class FleetLatencyWindows implements LatencyWindows {
  private seq = 0;

  constructor(
    /** Counts while Redis is unreachable, writing its blocks through `blocks` (pushed when the link re-syncs). */
    private readonly local: MemoryLatencyWindows,
    private readonly blocks: FleetBlockStore,
    private readonly link: FleetLink,
    private readonly keys: FleetKeys,
  ) {}

  record(key: string, nowMs: number, minTriggers: number, windowMs: number | undefined): boolean {
    return this.local.record(key, nowMs, minTriggers, windowMs);
  }

  recordGlobal(e: LatencyEvent): boolean {
    // One event is a full window: no count to share, only the block.
    if (e.minTriggers <= 1) {
      this.blocks.block(e.key, e.blockUntilMs, HIGH_LATENCY);
      return true;
    }
    const entry = { untilMs: e.blockUntilMs, reason: HIGH_LATENCY };
    const sent = this.link.tell(
      (redis) =>
        LATENCY_EVENT_SCRIPT.run(
          redis,
          [this.keys.latency(e.key), this.keys.blocks],
          [
            e.atMs,
            e.minTriggers,
            e.windowMs ?? -1,
            `${this.link.replica}:${++this.seq}`,
            e.key,
            e.blockUntilMs,
            encodeStoredBlock(entry),
            this.keys.channel,
            encodeBlockMessage(this.link.replica, e.atMs, e.key, entry),
          ],
        ),
      // The window filled: this replica hears its own announcement no sooner than the others.
      (filled) => {
        if (filled === 1) this.blocks.apply(e.key, entry);
      },
    );
    return sent ? false : this.local.recordGlobal(e);
  }
}
