// Which status rule of a policy covers an HTTP status. Pure.
import type { RetryPolicy, TriggerRule } from '../config/types.js';

/** A 2xx that carries no usable answer is handled as a bad gateway from that provider. */
export const INVALID_RESPONSE_STATUS = 502;

/** Codes the default rule covers when no status rule lists them. */
export function isDefaultRetriable(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || (status >= 500 && status <= 599);
}

/** The status rule listing this code, or undefined. Earlier entries win on overlap. */
export function statusRuleFor(policy: RetryPolicy, status: number): TriggerRule | undefined {
  for (const rule of policy.statusRules) {
    for (const r of rule.ranges) if (status >= r.from && status <= r.to) return rule;
  }
  return undefined;
}

/** The rule for an HTTP status: a listed rule, else the default for retriable codes. */
export function ruleForStatus(policy: RetryPolicy, status: number): TriggerRule | undefined {
  return statusRuleFor(policy, status) ?? (isDefaultRetriable(status) ? policy.defaultRule : undefined);
}
