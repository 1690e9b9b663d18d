// One model's recent history for the status page: attempts and failures in
// fixed time buckets, and a ring of recent time-to-first-token samples. Memory
// is fixed per model; recording is O(1) and reading sorts at most the ring.

export interface WindowReading {
  readonly attempts: number;
  readonly failures: number;
  /** Nearest-rank percentiles of the samples in the window, in ms; undefined without samples. */
  readonly ttftP50Ms: number | undefined;
  readonly ttftP95Ms: number | undefined;
  readonly ttftSamples: number;
}

/** The nearest-rank percentile `p` (0..1] of ascending `sorted`. */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

export class RecentWindow {
  private readonly attempts: Float64Array;
  private readonly failures: Float64Array;
  /** Which bucket period each slot holds (period = floor(t / bucketMs)). */
  private readonly periods: Float64Array;
  private readonly sampleTimes: Float64Array;
  private readonly sampleValues: Float64Array;
  private nextSample = 0;

  constructor(
    readonly windowMs = 300_000,
    private readonly bucketMs = 10_000,
    sampleCapacity = 512,
  ) {
    const slots = Math.ceil(windowMs / bucketMs);
    this.attempts = new Float64Array(slots);
    this.failures = new Float64Array(slots);
    this.periods = new Float64Array(slots).fill(-1);
    this.sampleTimes = new Float64Array(sampleCapacity).fill(Number.NEGATIVE_INFINITY);
    this.sampleValues = new Float64Array(sampleCapacity);
  }

  private slot(nowMs: number): number {
    const period = Math.floor(nowMs / this.bucketMs);
    const i = period % this.periods.length;
    if (this.periods[i] !== period) {
      this.periods[i] = period;
      this.attempts[i] = 0;
      this.failures[i] = 0;
    }
    return i;
  }

  attempt(nowMs: number, failed: boolean): void {
    const i = this.slot(nowMs);
    this.attempts[i] = (this.attempts[i] ?? 0) + 1;
    if (failed) this.failures[i] = (this.failures[i] ?? 0) + 1;
  }

  /** A failure found after the attempt was counted (a stream that broke after its commit point). */
  failure(nowMs: number): void {
    const i = this.slot(nowMs);
    this.failures[i] = (this.failures[i] ?? 0) + 1;
  }

  ttft(nowMs: number, ms: number): void {
    this.sampleTimes[this.nextSample] = nowMs;
    this.sampleValues[this.nextSample] = ms;
    this.nextSample = (this.nextSample + 1) % this.sampleTimes.length;
  }

  read(nowMs: number): WindowReading {
    const oldestPeriod = Math.floor((nowMs - this.windowMs) / this.bucketMs);
    let attempts = 0;
    let failures = 0;
    for (let i = 0; i < this.periods.length; i++) {
      if ((this.periods[i] ?? -1) > oldestPeriod) {
        attempts += this.attempts[i] ?? 0;
        failures += this.failures[i] ?? 0;
      }
    }
    const since = nowMs - this.windowMs;
    const samples: number[] = [];
    for (let i = 0; i < this.sampleTimes.length; i++) {
      if ((this.sampleTimes[i] ?? Number.NEGATIVE_INFINITY) > since) samples.push(this.sampleValues[i] ?? 0);
    }
    samples.sort((a, b) => a - b);
    return { attempts, failures, ttftP50Ms: percentile(samples, 0.5), ttftP95Ms: percentile(samples, 0.95), ttftSamples: samples.length };
  }
}
