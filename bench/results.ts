// The shape of one bench run, as measured; rendering and judging read only this.
import type { ExitInfo } from './child.js';
import type { LoadResult } from './loadDriver.js';
import type { ProbeResult } from './latencyProbe.js';
import type { PinPlan } from './pinning.js';
import type { SystemName } from './systems.js';
import type { TailResult } from './tailLatency.js';
import type { RequestMode } from './target.js';

export interface LoadMeasurement {
  readonly mode: RequestMode;
  readonly connections: number;
  readonly load: LoadResult;
  /** Gateway CPU (user+sys) per 10k completed requests; undefined with no gateway process. */
  readonly cpuSecondsPer10k: number | undefined;
}

export interface ProbeMeasurement {
  readonly mode: RequestMode;
  readonly result: ProbeResult;
}

export type SystemResult =
  | {
      readonly kind: 'measured';
      readonly name: SystemName;
      readonly loads: readonly LoadMeasurement[];
      readonly probes: readonly ProbeMeasurement[];
      readonly peakRssBytes: number | undefined;
      /** RSS after the first load phase and after the last one. */
      readonly rssFirstLastBytes: readonly [number, number] | undefined;
      readonly notes: readonly string[];
      readonly exit: ExitInfo | undefined;
    }
  | { readonly kind: 'not-available'; readonly name: SystemName; readonly reason: string }
  | { readonly kind: 'broken'; readonly name: SystemName; readonly reason: string };

export interface SoakResult {
  readonly system: SystemName;
  readonly durationS: number;
  readonly requestsPerSec: number;
  readonly failures: number;
  /** RSS sampled every tenth of the run. */
  readonly rssBytes: readonly number[];
}

export type MicroOutcome =
  | { readonly kind: 'measured'; readonly cases: readonly { readonly name: string; readonly nsPerOp: number }[] }
  | { readonly kind: 'not-measured'; readonly reason: string };

export interface MachineFacts {
  readonly cores: number;
  readonly cpuModel: string;
  readonly node: string;
  readonly platform: string;
  readonly totalMemGb: number;
  readonly loadAverageAtStart: number;
  readonly date: string;
}

export interface BenchSettings {
  readonly loadDurationS: number;
  readonly c1DurationS: number;
  readonly probeMaxRequests: number;
  readonly probeMaxMs: number;
}

export interface BenchRun {
  readonly machine: MachineFacts;
  readonly pin: PinPlan;
  readonly settings: BenchSettings;
  readonly systems: readonly SystemResult[];
  readonly micro: MicroOutcome;
  readonly soak: SoakResult | undefined;
  /** The tail-latency benchmark (issue 15); undefined when skipped (--quick, --no-tail). */
  readonly tail: TailResult | undefined;
  readonly wallSeconds: number;
}
