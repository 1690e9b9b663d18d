// The shape of one bench run, as measured; rendering and judging read only this.
import type { ExitInfo } from './child.js';
import type { LoadResult } from './loadDriver.js';
import type { LongPromptKind } from './longPromptBodies.js';
import type { BodyLoadResult } from './longPromptLoad.js';
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

/** One long-prompt row: a body size and kind at fixed concurrency, on a fresh process. */
export interface LongPromptRow {
  readonly system: SystemName;
  readonly kind: LongPromptKind;
  readonly sizeBytes: number;
  readonly connections: number;
  readonly load: BodyLoadResult;
  readonly cpuSecondsPer10k: number | undefined;
  /** The process's peak RSS during this row (VmHWM for the first row of a fresh process). */
  readonly peakRssBytes: number | undefined;
  /** Body bytes the mock received per call: proves the prompt went through whole. */
  readonly upstreamBytesPerCall: number | undefined;
}

/** One step of the open-streams row: `held` slow streams open at once. */
export interface OpenStreamsStep {
  readonly system: SystemName;
  readonly requested: number;
  /** `requested`, or fewer when the process's file limit cannot hold two sockets per stream. */
  readonly held: number;
  readonly fdLimit: number | undefined;
  /** Streams that did not open (non-200, no first event) or ended before the client left. */
  readonly refused: number;
  readonly firstFailure: string | undefined;
  readonly rampS: number;
  readonly rssBeforeBytes: number;
  readonly rssOpenBytes: number;
  /** Events the open streams received while new requests were probed: proves they were live. */
  readonly eventsDuringHold: number;
  readonly holdS: number;
  /** New streamed requests with no slow stream open, and with `held` open. */
  readonly idleProbe: ProbeResult;
  readonly whileOpen: ProbeResult;
  /** Upstream slow streams still open 20 s after every client left (should be 0). */
  readonly stillOpenUpstream: number;
}

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

/**
 * A pair's load: c64 in a request mode; 8 connections sending 1 MB same-format
 * prompts; or the concurrency-1 JSON probe (issue 16).
 */
export type PairMode = RequestMode | 'long-1mb' | 'c1-json';

/** Two systems measured side by side in alternating rounds (bench/pairedRuns.ts): medians per side. */
export type PairedComparison =
  | {
      readonly kind: 'measured';
      readonly reference: SystemName;
      readonly compared: SystemName;
      readonly mode: PairMode;
      readonly rounds: number;
      /** The timed rounds' order, A the reference and B the compared system. */
      readonly order: string;
      readonly roundSeconds: number;
      /** Median c64 req/s of each side. */
      readonly rps: { readonly reference: number; readonly compared: number };
      readonly rpsRounds: { readonly reference: readonly number[]; readonly compared: readonly number[] };
      /** Median gateway CPU seconds per 10k requests of each side. */
      readonly cpuPer10k: { readonly reference: number; readonly compared: number } | undefined;
      /** The 1 MB and c1 pairs: median over the rounds of each round's p50 latency, in µs. */
      readonly p50Us?: { readonly reference: number; readonly compared: number };
    }
  | { readonly kind: 'not-measured'; readonly reference: SystemName; readonly compared: SystemName; readonly mode: PairMode; readonly reason: string };

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
  readonly longPrompts: readonly LongPromptRow[];
  readonly openStreams: readonly OpenStreamsStep[];
  /** The tail-latency benchmark (issue 15); undefined when skipped (--quick, --no-tail). */
  readonly tail: TailResult | undefined;
  /** The ratio targets' side-by-side measurements (--parts pairs). */
  readonly pairs: readonly PairedComparison[];
  readonly wallSeconds: number;
}
