// In-process HedgeBudget: two sliding counts per requested model.
import { HEDGE_BUDGET_WINDOW_MS, type HedgeBudget, type HedgeCounts } from './hedgeBudget.js';
import { SlidingCount } from './slidingCount.js';

interface Counts {
  readonly requests: SlidingCount;
  readonly hedges: SlidingCount;
}

export class MemoryHedgeBudget implements HedgeBudget {
  private readonly keys = new Map<string, Counts>();

  constructor(private readonly windowMs = HEDGE_BUDGET_WINDOW_MS) {}

  private of(key: string): Counts {
    let c = this.keys.get(key);
    if (c === undefined) {
      c = { requests: new SlidingCount(this.windowMs), hedges: new SlidingCount(this.windowMs) };
      this.keys.set(key, c);
    }
    return c;
  }

  noteRequest(key: string, nowMs: number): void {
    this.of(key).requests.add(nowMs);
  }

  noteHedge(key: string, nowMs: number): void {
    this.of(key).hedges.add(nowMs);
  }

  counts(key: string, nowMs: number): HedgeCounts {
    const c = this.keys.get(key);
    return c === undefined ? { requests: 0, hedges: 0 } : { requests: c.requests.count(nowMs), hedges: c.hedges.count(nowMs) };
  }
}
