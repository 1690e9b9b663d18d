// same_model_retries: before a rule's strategy applies, retry the entry that
// just failed up to N times, with backoff, waiting out a short Retry-After. A
// Retry-After longer than retry_after_handling.max_wait_seconds (or an open
// circuit that long) skips straight to the strategy. Pure given the RNG.
import { DEFAULT_SAME_MODEL_RETRIES } from '../config/defaults.js';
import { SAME_MODEL_BACKOFF } from '../config/retryPolicy.js';
import type { ModelProvider, TriggerRule } from '../config/types.js';
import { computeBackoffMs, type Rng } from './backoff.js';
import type { CandidateFilter } from './candidates.js';
import type { Decision, DecisionMode } from './decision.js';
import type { RetryState } from './retryState.js';


/** The ruleRetries key counting same-model retries of one rule on one entry. */
export function sameModelRuleId(rule: TriggerRule, target: ModelProvider): string {
  return `same-model:${rule.id}|${target.name}`;
}

/** A same-model retry of `current`, or undefined when the rule's strategy should decide instead. */
export function decideSameModelRetry(
  state: RetryState,
  current: ModelProvider,
  rule: TriggerRule,
  nowMs: number,
  rng: Rng,
  filter?: CandidateFilter,
  mode: DecisionMode = 'retry',
): Extract<Decision, { kind: 'retry' }> | undefined {
  const allowed = rule.sameModelRetries ?? DEFAULT_SAME_MODEL_RETRIES;
  if (allowed <= 0) return undefined;
  if (filter !== undefined && !filter(current)) return undefined;
  const ruleId = sameModelRuleId(rule, current);
  const used = state.ruleRetries.get(ruleId) ?? 0;
  if (used >= allowed) return undefined;
  const { policy } = state;
  const until = state.blocks.blockedUntil(current, nowMs);
  const blockWait = until === undefined ? 0 : until - nowMs;
  if (blockWait > policy.retryAfter.maxWaitMs) return undefined;
  // A hedge starts now or not at all: a blocked entry leaves it to the strategy.
  if (mode === 'hedge' && blockWait > 0) return undefined;
  const delayMs = mode === 'hedge' ? 0 : Math.max(blockWait, computeBackoffMs(used + 1, policy.backoff ?? SAME_MODEL_BACKOFF, rng));
  const startMs = nowMs + delayMs;
  const budget = policy.maxRetryDurationMs;
  if (budget !== undefined && startMs - (state.firstFailureMs ?? nowMs) > budget) return undefined;
  if (startMs >= state.deadlineMs) return undefined;
  // backoffApplied stays false: these retries have their own count (used + 1).
  return { kind: 'retry', target: current, delayMs, ruleId, backoffApplied: false };
}
