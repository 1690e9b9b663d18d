// The rule for a failed attempt once error classes are taken into account: an
// on_errors entry for its class, else the built-in default for the class, else
// the status/timeout classification of classify.ts. Pure.
import { RETRY_POLICY_DEFAULTS } from '../config/defaults.js';
import { NEVER_SAME_MODEL } from '../config/errorRules.js';
import type { ErrorClass, ErrorRule, RetryPolicy, TriggerRule } from '../config/types.js';
import { classify, INVALID_RESPONSE_STATUS, ruleForStatus, statusRuleFor } from './classify.js';
import { errorClassOf } from './errorClass.js';
import type { AttemptOutcome } from './outcome.js';

export interface Classified {
  /** undefined: not retriable, the error goes back to the client as it is. */
  readonly rule: TriggerRule | undefined;
  readonly errorClass: ErrorClass | undefined;
}

const contextRules = new WeakMap<RetryPolicy, ErrorRule | null>();
const withoutSameModel = new WeakMap<TriggerRule, TriggerRule | null>();

/**
 * Built-in: an on_errors entry for the class under the default strategy, its
 * max_attempts at the default (one failover); none when that strategy is
 * same_model (the same model would fail again).
 */
function builtInContextRule(policy: RetryPolicy): ErrorRule | undefined {
  let r = contextRules.get(policy);
  if (r === undefined) {
    const strategy = policy.defaultRule.strategy;
    const maxAttempts = RETRY_POLICY_DEFAULTS.on_errors.max_attempts;
    r = strategy === 'same_model' ? null : Object.freeze({ id: 'errors:context_length_exceeded', match: 'context_length_exceeded', strategy, maxAttempts });
    contextRules.set(policy, r);
  }
  return r ?? undefined;
}

/** The rule with same-model retries removed, or undefined when its strategy is same_model. */
function neverSameModel(rule: TriggerRule | undefined): TriggerRule | undefined {
  if (rule === undefined) return undefined;
  let r = withoutSameModel.get(rule);
  if (r === undefined) {
    r = rule.strategy === 'same_model' ? null : rule.sameModelRetries ? Object.freeze({ ...rule, sameModelRetries: 0 }) : rule;
    withoutSameModel.set(rule, r);
  }
  return r ?? undefined;
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
  const errorClass = errorClassOf(outcome);
  if (errorClass === undefined) return { rule: classify(outcome, policy), errorClass };
  const listed = policy.errorRules.find((r) => r.match === errorClass);
  const rule = listed ?? builtIn(errorClass, outcome, policy);
  return { rule: NEVER_SAME_MODEL.has(errorClass) ? neverSameModel(rule) : rule, errorClass };
}
