// Which rule of the primary's policy governs a failed attempt. Pure.
import type { RetryPolicy, TriggerRule } from '../config/types.js';
import type { AttemptOutcome } from './outcome.js';

/** A 2xx that carries no usable answer is handled as a bad gateway from that provider. */
export const INVALID_RESPONSE_STATUS = 502;

/** Codes the default rule covers when no status rule lists them. */
export function isDefaultRetriable(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || (status >= 500 && status <= 599);
}

/** The status rule listing this code, or undefined. Earlier entries win on overlap. */
export function statusRuleFor(policy: RetryPolicy, status: number): TriggerRule | undefined {
  const rules = policy.statusRules;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    const ranges = rule.ranges;
    for (let j = 0; j < ranges.length; j++) {
      const r = ranges[j]!;
      if (status >= r.from && status <= r.to) return rule;
    }
  }
  return undefined;
}

/** The rule for an HTTP status: a listed rule, else the default for retriable codes. */
export function ruleForStatus(policy: RetryPolicy, status: number): TriggerRule | undefined {
  return statusRuleFor(policy, status) ?? (isDefaultRetriable(status) ? policy.defaultRule : undefined);
}

/**
 * The rule governing a failed attempt, or undefined when it is not retriable
 * (an unlisted non-retriable 4xx, or a high-latency outcome without
 * on_high_latency): such errors go back to the client unchanged. Its
 * error_type string is errorTypeOf(outcome).
 */
export function classify(outcome: AttemptOutcome, policy: RetryPolicy): TriggerRule | undefined {
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
