// Per-model distributions of how long answers take to start: time to first
// byte and time to first token, over a sliding window. Learned timeouts, the
// deadline split's reserve and hedge delays read quantiles from here. Reads are
// synchronous because they sit on the request path. Per replica even in a
// fleet: sharing would cost a Redis write per answer, and each replica behind
// a load balancer samples the same providers (docs/fleet.md).

/** first-byte: response headers (a stream: its first event); first-token: a stream's first content. */
export type LatencyMetric = 'first-byte' | 'first-token';

/** How long the window is: a sample older than this no longer counts. */
export const DISTRIBUTION_WINDOW_MS = 60_000;

export interface LatencyQuantile {
  /** The quantile's value in ms (within a few percent: samples are kept in log-spaced buckets). */
  readonly valueMs: number;
  /** Samples in the window it was read from. */
  readonly samples: number;
}

export interface LatencyDistributions {
  /** Records one observed time for `model` (an entry name) at nowMs. */
  record(model: string, metric: LatencyMetric, ms: number, nowMs: number): void;
  /** The q-quantile (0 < q ≤ 1) of the samples in the window ending at nowMs, or undefined when there are none. */
  quantile(model: string, metric: LatencyMetric, q: number, nowMs: number): LatencyQuantile | undefined;
}
