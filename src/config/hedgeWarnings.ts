// Start-up warnings for hedge blocks that can never start a hedge. A hedge is
// the retry a timeout of the attempt would make, made early: a policy whose
// timeout rule allows no retry has none to make, and a provider's own hedge
// needs some entry's retry_policy to choose where a hedge goes.
import type { LocatedProvider } from './deadlineWarnings.js';
import type { IssueCollector } from './issues.js';
import { has, readMap } from './raw.js';

export function warnIdleHedges(located: readonly LocatedProvider[], issues: IssueCollector): void {
  const anyPolicy = located.some((l) => l.provider.retryPolicy !== undefined);
  for (const { provider, path, raw } of located) {
    const policy = provider.retryPolicy;
    const policyRaw = readMap(raw, 'retry_policy') ?? {};
    if (policy?.hedge !== undefined && has(policyRaw, 'hedge')) {
      const rule = policy.timeoutRule;
      if (rule.maxAttempts === 0 && (rule.sameModelRetries ?? 0) === 0) {
        issues.warn(
          [...path, 'retry_policy', 'hedge'],
          'a hedge is the retry a timeout would make, made early, and this policy allows no timeout retry ' +
            '(on_timeout, or the default rule, has max_attempts 0): no hedge ever starts',
        );
      }
    }
    if (provider.hedge !== undefined && !anyPolicy) {
      issues.warn([...path, 'hedge'], 'applies only to requests whose requested model has a retry_policy, and no entry has one: no hedge ever starts');
    }
  }
}
