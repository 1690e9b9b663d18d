// A limit learned from what a model has recently shown: multiplier × p99 of its
// times, clamped to [floor, ceiling]. Too few samples say nothing yet, so the
// static default holds until the window has enough. Pure.
import type { LearnedTimeouts } from '../config/types.js';
import type { LatencyQuantile } from '../state/latencyDistributions.js';

/** Samples a model's window needs before its times are trusted. */
export const MIN_SAMPLES = 20;

/** The quantile a learned limit multiplies. */
export const LEARNED_QUANTILE = 0.99;

/** Whether `observed` holds enough samples to learn from. */
export const isKnown = (observed: LatencyQuantile | undefined): observed is LatencyQuantile => observed !== undefined && observed.samples >= MIN_SAMPLES;

/** `observed` is the model's p99 (LEARNED_QUANTILE); the ceiling defaults to `staticDefaultMs`. */
export function learnedLimitMs(observed: LatencyQuantile | undefined, settings: LearnedTimeouts, staticDefaultMs: number): number {
  if (!isKnown(observed)) return staticDefaultMs;
  const ceiling = settings.ceilingMs ?? staticDefaultMs;
  return Math.round(Math.min(ceiling, Math.max(settings.floorMs, settings.multiplier * observed.valueMs)));
}
