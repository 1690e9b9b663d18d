// A sliding-window histogram of durations in log-spaced buckets (5% apart, 1 ms
// to about an hour). The window is kept as six slices: a sample counts until
// its slice leaves the window, so it lives between 5/6 and all of the window.
// A record is O(1); a quantile scans the buckets once (a few hundred adds), so
// learned limits cost no sorting on the request path.

const RATIO = 1.05;
const LOG_RATIO = Math.log(RATIO);
/** Bucket 0 holds ≤ 1 ms; bucket i ≥ 1 holds (RATIO^(i-1), RATIO^i]; the last one everything longer. */
const BUCKETS = 320;
const SLICES = 6;

function bucketOf(ms: number): number {
  if (!(ms > 1)) return 0;
  return Math.min(BUCKETS - 1, 1 + Math.floor(Math.log(ms) / LOG_RATIO));
}

/** A bucket's representative value: the geometric middle of its range (within 2.5%). */
function valueOf(bucket: number): number {
  return bucket === 0 ? 1 : Math.pow(RATIO, bucket - 0.5);
}

export class SlidingHistogram {
  private readonly sliceMs: number;
  private readonly slices = new Uint32Array(SLICES * BUCKETS);
  /** The epoch (nowMs / sliceMs) each slice holds, or -Infinity when empty. */
  private readonly epochs: number[] = new Array<number>(SLICES).fill(Number.NEGATIVE_INFINITY);
  private readonly total = new Uint32Array(BUCKETS);
  private count = 0;
  private epoch = Number.NEGATIVE_INFINITY;

  constructor(windowMs: number) {
    this.sliceMs = windowMs / SLICES;
  }

  /** Drops the slices that have left the window by nowMs. */
  private advance(nowMs: number): void {
    const epoch = Math.floor(nowMs / this.sliceMs);
    // A clock that steps back keeps the newer slices rather than dropping data.
    if (epoch <= this.epoch) return;
    this.epoch = epoch;
    for (let s = 0; s < SLICES; s++) {
      const held = this.epochs[s] ?? Number.NEGATIVE_INFINITY;
      if (held === Number.NEGATIVE_INFINITY || held > epoch - SLICES) continue;
      const base = s * BUCKETS;
      for (let b = 0; b < BUCKETS; b++) {
        const n = this.slices[base + b] ?? 0;
        if (n === 0) continue;
        this.total[b] = (this.total[b] ?? 0) - n;
        this.count -= n;
        this.slices[base + b] = 0;
      }
      this.epochs[s] = Number.NEGATIVE_INFINITY;
    }
  }

  record(ms: number, nowMs: number): void {
    this.advance(nowMs);
    const slot = ((this.epoch % SLICES) + SLICES) % SLICES;
    this.epochs[slot] = this.epoch;
    const b = bucketOf(ms);
    const i = slot * BUCKETS + b;
    this.slices[i] = (this.slices[i] ?? 0) + 1;
    this.total[b] = (this.total[b] ?? 0) + 1;
    this.count++;
  }

  /** Samples in the window ending at nowMs. */
  size(nowMs: number): number {
    this.advance(nowMs);
    return this.count;
  }

  /** The q-quantile (0 < q ≤ 1) of the window's samples; undefined when it holds none. */
  quantile(q: number, nowMs: number): number | undefined {
    this.advance(nowMs);
    if (this.count === 0) return undefined;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let b = 0; b < BUCKETS; b++) {
      seen += this.total[b] ?? 0;
      if (seen >= rank) return valueOf(b);
    }
    return valueOf(BUCKETS - 1);
  }
}
