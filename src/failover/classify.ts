// Classifying a failed attempt: which rule of the primary's policy governs it.
// An on_errors entry for its error class comes first, else the built-in default
// for the class, else the rule for its status or kind. Pure.
import { RETRY_POLICY_DEFAULTS } from '../config/defaults.js';
import { NEVER_SAME_MODEL } from '../config/errorRules.js';
import type { ErrorClass, ErrorRule, RetryPolicy, TriggerRule } from '../config/types.js';
import { readErrorClass } from './errorClass.js';
import type { AttemptOutcome } from './outcome.js';
import { INVALID_RESPONSE_STATUS, ruleForStatus, statusRuleFor } from './statusRules.js';

export interface Classified {
  /** undefined: not retriable, the error goes back to the client as it is. */
  readonly rule: TriggerRule | undefined;
  readonly errorClass: ErrorClass | undefined;
}

/** By the outcome's kind alone: a status rule, the timeout rule, or on_high_latency. */
function ruleByKind(outcome: AttemptOutcome, policy: RetryPolicy): TriggerRule | undefined {
  switch (outcome.kind) {
    case 'http-error':
      return ruleForStatus(policy, outcome.status);
    case 'invalid-response':
      return ruleForStatus(policy, INVALID_RESPONSE_STATUS);
    case 'connection-error':
    case 'timeout':
      return policy.timeoutRule;
    case 'high-latency':
      return policy.highLatency;
    case 'untranslatable':
      return undefined;
  }
}

/**
 * Built-in: an on_errors entry for the class under the default strategy, its
 * max_attempts at the default (one failover); none when that strategy is
 * same_model (the same model would fail again).
 */
function builtInContextRule(policy: RetryPolicy): ErrorRule | undefined {
  const strategy = policy.defaultRule.strategy;
  const maxAttempts = RETRY_POLICY_DEFAULTS.on_errors.max_attempts;
  return strategy === 'same_model' ? undefined : { id: 'errors:context_length_exceeded', match: 'context_length_exceeded', strategy, maxAttempts };
}

/** The rule with same-model retries removed, or undefined when its strategy is same_model. */
function neverSameModel(rule: TriggerRule | undefined): TriggerRule | undefined {
  if (rule === undefined || rule.strategy === 'same_model') return undefined;
  return rule.sameModelRetries ? { ...rule, sameModelRetries: 0 } : rule;
}

function statusOf(outcome: AttemptOutcome): number {
  return outcome.kind === 'http-error' ? outcome.status : INVALID_RESPONSE_STATUS;
}

function builtIn(cls: ErrorClass, outcome: AttemptOutcome, policy: RetryPolicy): TriggerRule | undefined {
  switch (cls) {
    case 'context_length_exceeded':
      return builtInContextRule(policy);
    case 'content_policy':
      // A refusal is the answer: never retried, never routed around unless on_errors says so.
      return undefined;
    case 'auth':
      // Only when the status is listed: a bad key is not a transient fault.
      return statusRuleFor(policy, statusOf(outcome));
    case 'overloaded':
      return ruleForStatus(policy, statusOf(outcome)) ?? policy.defaultRule;
  }
}

export function classifyOutcome(outcome: AttemptOutcome, policy: RetryPolicy): Classified {
  const errorClass = readErrorClass(outcome);
  if (errorClass === undefined) return { rule: ruleByKind(outcome, policy), errorClass };
  const listed = policy.errorRules.find((r) => r.match === errorClass);
  const rule = listed ?? builtIn(errorClass, outcome, policy);
  return { rule: NEVER_SAME_MODEL.has(errorClass) ? neverSameModel(rule) : rule, errorClass };
}

/**
 * The rule governing a failure of `target`. A fallback that cannot express the
 * request (a field its wire format lacks) is a failed candidate, not the
 * client's error: the request moves on under the rule that chose that
 * fallback (the default rule for a first attempt steered there by a block).
 */
export function ruleForFailure(
  outcome: AttemptOutcome,
  policy: RetryPolicy,
  target: unknown,
  primary: unknown,
  chosenBy: TriggerRule | undefined,
): TriggerRule | undefined {
  if (outcome.kind === 'untranslatable' && target !== primary) return chosenBy ?? policy.defaultRule;
  return classifyOutcome(outcome, policy).rule;
}
