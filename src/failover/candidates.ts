// The deterministic candidate order: fallback_models as given, then the other
// model_providers in config order, each filtered by strategy, skipping targets
// already tried, targets currently blocked and, when the caller narrows the
// field (a continuation needs a prefill), targets it rules out. Pure.
import type { ModelProvider, RetryPolicy, Strategy } from '../config/types.js';
import type { BlockView } from './blockView.js';

/** Narrows the candidates beyond the policy; undefined admits every entry. */
export type CandidateFilter = ((candidate: ModelProvider) => boolean) | undefined;

/** A config has a handful of entries: a scan is as fast as an index and needs no cache. */
function byName(providers: readonly ModelProvider[], name: string): ModelProvider | undefined {
  return providers.find((p) => p.name === name);
}

/** Whether candidate may serve a retry under strategy, relative to the primary's prefix. */
export function matchesStrategy(strategy: Strategy, candidate: ModelProvider, primary: ModelProvider): boolean {
  switch (strategy) {
    case 'same_model':
      return candidate === primary;
    case 'same_provider':
      return candidate !== primary && candidate.prefix === primary.prefix;
    case 'different_provider':
      return candidate.prefix !== primary.prefix;
  }
}

function eligible(
  c: ModelProvider,
  strategy: Strategy,
  primary: ModelProvider,
  tried: readonly ModelProvider[],
  blocks: BlockView,
  nowMs: number,
  filter: CandidateFilter,
): boolean {
  return (
    matchesStrategy(strategy, c, primary) &&
    !tried.includes(c) &&
    (filter === undefined || filter(c)) &&
    blocks.blockedUntil(c, nowMs) === undefined
  );
}

/**
 * The first eligible candidate that is not the primary, or undefined when none is
 * left. same_model is not handled here (its only candidate is the entry that
 * failed, which may repeat); see decideNext.
 */
export function firstCandidate(
  primary: ModelProvider,
  strategy: Strategy,
  policy: RetryPolicy,
  providers: readonly ModelProvider[],
  tried: readonly ModelProvider[],
  blocks: BlockView,
  nowMs: number,
  filter?: CandidateFilter,
): ModelProvider | undefined {
  if (strategy === 'same_model') return undefined;
  const fallbacks = policy.fallbackModels;
  for (const name of fallbacks) {
    const c = byName(providers, name);
    if (c !== undefined && eligible(c, strategy, primary, tried, blocks, nowMs, filter)) return c;
  }
  // Fallbacks rejected above are rejected again here for the same reasons, so
  // the "remaining providers" need no separate exclusion list.
  for (const c of providers) {
    if (eligible(c, strategy, primary, tried, blocks, nowMs, filter)) return c;
  }
  return undefined;
}

/**
 * The target of the next retry. same_model repeats `current` (the entry that just
 * failed) whatever its blocks, since the caller waits those out, unless the
 * filter rules it out; the other strategies pick the first eligible candidate.
 */
export function selectNextCandidate(
  primary: ModelProvider,
  current: ModelProvider,
  strategy: Strategy,
  policy: RetryPolicy,
  providers: readonly ModelProvider[],
  tried: readonly ModelProvider[],
  blocks: BlockView,
  nowMs: number,
  filter?: CandidateFilter,
): ModelProvider | undefined {
  if (strategy === 'same_model') return filter === undefined || filter(current) ? current : undefined;
  return firstCandidate(primary, strategy, policy, providers, tried, blocks, nowMs, filter);
}
