// How many client requests and hedges a primary model has seen over a sliding
// window: hedging may add at most budget_percent of the requests in upstream
// attempts. Keyed by the requested entry's name. Per replica even in a fleet:
// each replica's share bounds the fleet's without a Redis write per request
// (docs/fleet.md). Reads are synchronous like every state read on the request path.

/** The sliding window the budget is counted over. */
export const HEDGE_BUDGET_WINDOW_MS = 60_000;

export interface HedgeCounts {
  readonly requests: number;
  readonly hedges: number;
}

export interface HedgeBudget {
  /** Counts one client request for `key` at nowMs. */
  noteRequest(key: string, nowMs: number): void;
  /** Counts one hedge started for a request of `key` at nowMs. */
  noteHedge(key: string, nowMs: number): void;
  /** Requests and hedges for `key` in the window ending at nowMs. */
  counts(key: string, nowMs: number): HedgeCounts;
}
