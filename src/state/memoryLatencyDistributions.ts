// In-process LatencyDistributions: one sliding histogram per model and metric.
// The key space is bounded by the configured entries.
import { DISTRIBUTION_WINDOW_MS, type LatencyDistributions, type LatencyMetric, type LatencyQuantile } from './latencyDistributions.js';
import { SlidingHistogram } from './slidingHistogram.js';

interface ModelTimes {
  readonly 'first-byte': SlidingHistogram;
  readonly 'first-token': SlidingHistogram;
}

export class MemoryLatencyDistributions implements LatencyDistributions {
  private readonly models = new Map<string, ModelTimes>();

  constructor(private readonly windowMs = DISTRIBUTION_WINDOW_MS) {}

  record(model: string, metric: LatencyMetric, ms: number, nowMs: number): void {
    let times = this.models.get(model);
    if (times === undefined) {
      times = { 'first-byte': new SlidingHistogram(this.windowMs), 'first-token': new SlidingHistogram(this.windowMs) };
      this.models.set(model, times);
    }
    times[metric].record(ms, nowMs);
  }

  quantile(model: string, metric: LatencyMetric, q: number, nowMs: number): LatencyQuantile | undefined {
    const h = this.models.get(model)?.[metric];
    const valueMs = h?.quantile(q, nowMs);
    return h === undefined || valueMs === undefined ? undefined : { valueMs, samples: h.size(nowMs) };
  }
}
