// Where a request's first attempt goes. A globally blocked primary gets no call
// when its policy lets the request move elsewhere. Pure.
import type { ModelProvider, RetryPolicy, Strategy } from '../config/types.js';
import type { BlockReason } from '../state/blockStore.js';
import type { BlockView } from './blockView.js';
import { firstCandidate, matchesStrategy } from './candidates.js';
import { ruleForStatus } from './statusRules.js';

export type FirstTarget =
  | { readonly kind: 'target'; readonly target: ModelProvider; readonly steered: boolean }
  | { readonly kind: 'all-blocked'; readonly shortestRemainingBlockMs: number };

const NONE_TRIED: readonly ModelProvider[] = [];

const primaryTarget = (primary: ModelProvider): FirstTarget => ({ kind: 'target', target: primary, steered: false });

/**
 * The strategy for moving away from a blocked primary: that of the rule the
 * block came from under *this* policy (the status that carried Retry-After, or
 * on_high_latency), else the default rule's.
 */
export function steeringStrategy(policy: RetryPolicy, reason: BlockReason): Strategy {
  switch (reason.cause) {
    case 'retry-after':
      return (ruleForStatus(policy, reason.status) ?? policy.defaultRule).strategy;
    case 'high-latency':
      return (policy.highLatency ?? policy.defaultRule).strategy;
    case 'circuit-open':
      return policy.defaultRule.strategy;
  }
}

export function selectFirstTarget(
  primary: ModelProvider,
  policy: RetryPolicy | undefined,
  providers: readonly ModelProvider[],
  blocks: BlockView,
  nowMs: number,
): FirstTarget {
  // Without a policy nothing is steered: errors, blocks included, are the upstream's business.
  if (policy === undefined) return primaryTarget(primary);
  const block = blocks.entry(primary, nowMs);
  if (block === undefined) return primaryTarget(primary);

  const strategy = steeringStrategy(policy, block.reason);
  const candidate = firstCandidate(primary, strategy, policy, providers, NONE_TRIED, blocks, nowMs);
  if (candidate !== undefined) return { kind: 'target', target: candidate, steered: true };

  // Every candidate the strategy allows is blocked: report when the first frees up.
  let shortest = block.untilMs - nowMs;
  for (const p of providers) {
    if (p === primary || !matchesStrategy(strategy, p, primary)) continue;
    const until = blocks.blockedUntil(p, nowMs);
    if (until !== undefined && until - nowMs < shortest) shortest = until - nowMs;
  }
  return { kind: 'all-blocked', shortestRemainingBlockMs: shortest };
}
