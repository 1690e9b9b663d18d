// Hedged requests, the pure part: which settings apply to an attempt, what it
// must reach within the delay, how long the delay is, and whether the budget
// allows one more hedge. Where a hedge goes is the retry decision's answer for
// a timeout of the attempt (decideNext in 'hedge' mode), so a hedge and a
// retry never disagree about blocks, circuits, counts or candidate order.
import type { Config, HedgePolicy, ModelProvider, RetryPolicy } from '../config/types.js';
import type { HedgeCounts } from '../state/hedgeBudget.js';
import type { LatencyMetric, LatencyQuantile } from '../state/latencyDistributions.js';
import { isKnown } from './learnedLimit.js';

/** What an attempt can reach before it has delivered: its first byte (a stream: its first event), its first token. */
export type Milestone = LatencyMetric;

/** Below this many requests in the window, the budget allows one hedge whatever the percentage. */
export const BUDGET_MIN_REQUESTS = 10;

/**
 * The hedge settings for an attempt on `target`: the entry's own, else the
 * request policy's. Without a policy there is no failover to choose a hedge's
 * target, so no hedge.
 */
export function hedgeFor(target: ModelProvider, policy: RetryPolicy | undefined): HedgePolicy | undefined {
  return policy === undefined ? undefined : (target.hedge ?? policy.hedge);
}

/**
 * What the attempt must reach within the delay for no hedge to start: the
 * configured trigger, else the first token of a stream and the first byte of
 * a whole answer. A whole answer's first token is the answer itself, so
 * first_token there means "no complete answer yet".
 */
export function hedgeMilestone(hedge: HedgePolicy, stream: boolean): Milestone {
  const trigger = hedge.trigger ?? (stream ? 'first_token' : 'first_byte');
  return trigger === 'first_token' ? 'first-token' : 'first-byte';
}

/** The times a learned delay reads: first tokens for streams, first bytes (the only ones a whole answer has) otherwise. */
export const delayMetric = (hedge: HedgePolicy, stream: boolean): LatencyMetric => (stream ? hedgeMilestone(hedge, stream) : 'first-byte');

/**
 * How long to wait before the first hedge (each further one waits as long
 * again): after_ms, or the configured percentile of the model's recent times
 * clamped to [min_after_ms, max_after_ms], and max_after_ms until the model
 * has enough samples to learn from.
 */
export function hedgeDelayMs(hedge: HedgePolicy, observed: LatencyQuantile | undefined): number {
  const d = hedge.delay;
  if (d.kind === 'fixed') return d.ms;
  if (!isKnown(observed)) return d.maxMs;
  return Math.round(Math.min(d.maxMs, Math.max(d.minMs, observed.valueMs)));
}

/**
 * Whether one more hedge fits the budget: at most budget_percent of the
 * client requests seen in the window, and while fewer than
 * BUDGET_MIN_REQUESTS were seen, one hedge.
 */
export function hedgeBudgetAllows(counts: HedgeCounts, budgetPercent: number): boolean {
  if (counts.requests < BUDGET_MIN_REQUESTS) return counts.hedges < 1;
  return counts.hedges + 1 <= (counts.requests * budgetPercent) / 100;
}

const hedgingByConfig = new WeakMap<Config, boolean>();

/** Whether any hedge is configured in `config` (then every request with a policy counts towards the budget). Cached per loaded config. */
export function configHedges(config: Config): boolean {
  let any = hedgingByConfig.get(config);
  if (any === undefined) {
    any = config.providers.some((p) => p.hedge !== undefined || p.retryPolicy?.hedge !== undefined);
    hedgingByConfig.set(config, any);
  }
  return any;
}
