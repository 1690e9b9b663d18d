// Sliding windows of on_high_latency events: min_triggers slow answers within
// trigger_window_seconds block the target. In memory a window counts this
// process's answers; in a fleet, global blocks count every replica's.
import type { BlockReason } from './blockStore.js';

export const HIGH_LATENCY: BlockReason = Object.freeze({ cause: 'high-latency' });

/** One slow answer, and the global block it leads to once its window fills. */
export interface LatencyEvent {
  /** The block key the rule's scope names (`model:…` or `provider:…`). */
  readonly key: string;
  readonly atMs: number;
  readonly minTriggers: number;
  /** undefined: no window (min_triggers 1, or events count however far apart). */
  readonly windowMs: number | undefined;
  readonly blockUntilMs: number;
}

export interface LatencyWindows {
  /**
   * Counts an event towards a global block (apply_to: global) and blocks the
   * key in the shared BlockStore once the window fills. Returns true when it
   * blocked here and now; a fleet counts in Redis, and its block reaches every
   * replica, this one included, a moment later (false here).
   */
  recordGlobal(event: LatencyEvent): boolean;
  /**
   * Counts an event for a request-scoped block (apply_to: request); true when
   * this event fills the window, and the caller blocks the request's own
   * store. Counted in this process: only a request here can see that block.
   */
  record(key: string, nowMs: number, minTriggers: number, windowMs: number | undefined): boolean;
}
