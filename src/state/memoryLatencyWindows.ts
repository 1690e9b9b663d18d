// Latency windows of one process. Each key keeps a ring of its last
// `minTriggers` event times, so a record is O(1): the window is met when the
// oldest of those events is still inside it.
import type { BlockStore } from './blockStore.js';
import { HIGH_LATENCY, type LatencyEvent, type LatencyWindows } from './latencyWindows.js';

interface Ring {
  readonly times: number[];
  next: number;
}

export class MemoryLatencyWindows implements LatencyWindows {
  private readonly rings = new Map<string, Ring>();

  /** `blocks` receives the global blocks a filled window causes. */
  constructor(private readonly blocks: BlockStore) {}

  recordGlobal(e: LatencyEvent): boolean {
    if (!this.record(e.key, e.atMs, e.minTriggers, e.windowMs)) return false;
    this.blocks.block(e.key, e.blockUntilMs, HIGH_LATENCY);
    return true;
  }

  /**
   * Records one event for key at nowMs. Returns true when this event makes
   * `minTriggers` events within `windowMs`; the count then starts afresh so the
   * next block needs a fresh set of events.
   */
  record(key: string, nowMs: number, minTriggers: number, windowMs: number | undefined): boolean {
    if (minTriggers <= 1) return true;
    let ring = this.rings.get(key);
    // A different min_triggers (another policy blocking the same key) resizes the ring.
    if (ring === undefined || ring.times.length !== minTriggers) {
      ring = { times: new Array<number>(minTriggers).fill(Number.NEGATIVE_INFINITY), next: 0 };
      this.rings.set(key, ring);
    }
    ring.times[ring.next] = nowMs;
    ring.next = (ring.next + 1) % minTriggers;
    const oldest = ring.times[ring.next] ?? Number.NEGATIVE_INFINITY;
    if (nowMs - oldest <= (windowMs ?? Number.POSITIVE_INFINITY)) {
      ring.times.fill(Number.NEGATIVE_INFINITY);
      return true;
    }
    return false;
  }
}
