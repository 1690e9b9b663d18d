// Sliding-window counters for high-latency events. Each key keeps a ring of its
// last `minTriggers` event times, so a record is O(1): the window is met when
// the oldest of those events is still inside it.

interface Ring {
  readonly times: number[];
  next: number;
}

export class LatencyWindows {
  private readonly rings = new Map<string, Ring>();

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
