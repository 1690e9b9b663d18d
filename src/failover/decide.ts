// The retry decision, the only one in the gateway: every "what next?" of a
// request, before and after a stream's commit point, is answered here. Pure
// given the request's RetryState (which sees the shared blocks), the clock
// reading and the RNG. The checks run in a fixed order so each "no" has one
// clear reason.
import type { ModelProvider, TriggerRule } from '../config/types.js';
import { backoffApplies, computeBackoffMs, type Rng } from './backoff.js';
import { selectNextCandidate, type CandidateFilter } from './candidates.js';
import type { RetryState } from './retryState.js';
import { withLargerWindow } from './contextWindow.js';
import { decideSameModelRetry } from './escalation.js';
import { giveUps, type Decision, type DecisionMode } from './decision.js';

export type { Decision, DecisionMode, GiveUpReason } from './decision.js';

const isContextRule = (rule: TriggerRule): boolean => (rule as { match?: string }).match === 'context_length_exceeded';

/**
 * What to do after `current` failed with an outcome governed by `rule`
 * (undefined: not retriable). The caller has already called recordFailure.
 *
 * - same_model repeats `current`; if it is blocked (Retry-After) the retry waits
 *   for the block to end, and gives up with 'deadline' if that would start at or
 *   past the deadline. Other strategies skip blocked targets and never wait for
 *   someone else's block.
 * - The delay is the backoff (when apply_to covers this move) or the block wait,
 *   whichever is longer.
 * - max_retry_duration_ms bounds first failure → start of this retry.
 * - `filter` narrows the candidates further: after the commit point, once text
 *   was streamed, only entries that accept a prefill may continue it.
 * - In 'hedge' mode `current` is still running (and already in state.tried),
 *   and the answer is where its timeout would go, with no wait.
 */
export function decideNext(
  state: RetryState,
  current: ModelProvider,
  rule: TriggerRule | undefined,
  nowMs: number,
  rng: Rng,
  filter?: CandidateFilter,
  mode: DecisionMode = 'retry',
): Decision {
  if (rule === undefined) return giveUps['not-retriable'];
  if (nowMs >= state.deadlineMs) return giveUps.deadline;
  // Escalation (same_model_retries) comes first and has its own count.
  const sameModel = decideSameModelRetry(state, current, rule, nowMs, rng, filter, mode);
  if (sameModel !== undefined) return sameModel;
  if ((state.ruleRetries.get(rule.id) ?? 0) >= rule.maxAttempts) return giveUps['rule-exhausted'];

  const { policy } = state;
  const select = (providers: readonly ModelProvider[]): ModelProvider | undefined =>
    selectNextCandidate(state.primary, current, rule.strategy, policy, providers, state.tried, state.blocks, nowMs, filter);
  const preferLarger = isContextRule(rule) && current.contextWindow !== undefined;
  const target = (preferLarger ? select(withLargerWindow(state.providers, current.contextWindow)) : undefined) ?? select(state.providers);
  if (target === undefined) return giveUps['no-candidate'];

  let delayMs = 0;
  let backoffApplied = false;
  if (mode === 'retry' && policy.backoff !== undefined && backoffApplies(policy.backoff, current, target)) {
    delayMs = computeBackoffMs(state.backoffRetries + 1, policy.backoff, rng);
    backoffApplied = true;
  }
  if (rule.strategy === 'same_model') {
    const until = state.blocks.blockedUntil(target, nowMs);
    if (until !== undefined && mode === 'hedge') return giveUps['no-candidate'];
    if (until !== undefined && until - nowMs > delayMs) delayMs = until - nowMs;
  }

  const startMs = nowMs + delayMs;
  const budget = policy.maxRetryDurationMs;
  if (budget !== undefined && startMs - (state.firstFailureMs ?? nowMs) > budget) {
    return giveUps['budget-exhausted'];
  }
  if (startMs >= state.deadlineMs) return giveUps.deadline;
  return { kind: 'retry', target, delayMs, ruleId: rule.id, backoffApplied };
}
