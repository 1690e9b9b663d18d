// Is the gateway's memory flat after warm-up? Pure. A leak shows as a climb
// from the start of the judged period to its end; single samples swing by
// tens of MB with the GC's sawtooth, so thirds of the period are averaged and
// the last third is compared with the first.
export interface RssSample {
  readonly atMs: number;
  readonly rssBytes: number;
}

export interface RssTrend {
  /** Mean RSS of the first, middle and last third after warm-up. */
  readonly thirds: readonly number[];
  /** (last third − first third) / first third, in percent. */
  readonly growthPct: number;
  /** Lowest and highest single sample after warm-up, for the record. */
  readonly min: number;
  readonly max: number;
  readonly flat: boolean;
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

export function assessRss(samples: readonly RssSample[], warmupMs: number, limitPct = 10): RssTrend {
  const judged = samples.filter((s) => s.atMs >= warmupMs).map((s) => s.rssBytes);
  if (judged.length < 3) return { thirds: [], growthPct: 0, min: 0, max: 0, flat: false };
  const n = Math.floor(judged.length / 3);
  const thirds = [mean(judged.slice(0, n)), mean(judged.slice(n, judged.length - n)), mean(judged.slice(judged.length - n))];
  const growthPct = ((thirds[2]! - thirds[0]!) / thirds[0]!) * 100;
  return { thirds, growthPct, min: Math.min(...judged), max: Math.max(...judged), flat: growthPct <= limitPct };
}
