// Start-up warnings for settings that the request deadline (the listener
// timeout) makes unreachable: a per-attempt timeout that can never fire before
// it with the deadline split turned off, so on_timeout never moves a silent
// provider's request; an
// on_high_latency threshold no answer can exceed; and a stream commit point
// that promises continuation when no reachable entry accepts a prefill.
import { PROVIDER_DEFAULTS } from './defaults.js';
import type { IssueCollector, Path } from './issues.js';
import { has, readMap, type RawMap } from './raw.js';
import type { ModelProvider, RetryPolicy, Strategy, TriggerRule } from './types.js';

/** A provider entry with its retry policy built, and where it sits in the file. */
export interface LocatedProvider {
  readonly provider: ModelProvider;
  readonly path: Path;
  /** The entry as written (to tell a written value from a default). */
  readonly raw: RawMap;
}

const seconds = (ms: number): string => `${ms / 1000} s`;

/** Whether the timeout rule can send the request anywhere after a timeout. */
const timeoutCanMove = (policy: RetryPolicy): boolean => policy.timeoutRule.maxAttempts > 0 || (policy.timeoutRule.sameModelRetries ?? 0) > 0;

function warnSilentProvider(owner: LocatedProvider, policy: RetryPolicy, deadlineMs: number, issues: IssueCollector): void {
  // With the deadline split on, an attempt leaves the next candidate its share whatever its own limit.
  if (policy.deadlineReservePercent > 0 || !timeoutCanMove(policy)) return;
  const policyRaw = readMap(owner.raw, 'retry_policy') ?? {};
  const ownWritten = has(owner.raw, 'first_byte_timeout_ms');
  const policyWritten = !ownWritten && has(policyRaw, 'first_byte_timeout_ms');
  const limit = owner.provider.timeouts.firstByteMs ?? policy.firstByteTimeoutMs ?? PROVIDER_DEFAULTS.first_byte_timeout_ms;
  // A learned limit moves with the model's times; only a fixed one can be known to miss the deadline.
  if (limit === 'auto' || limit < deadlineMs) return;
  const at: Path = ownWritten
    ? [...owner.path, 'first_byte_timeout_ms']
    : policyWritten
      ? [...owner.path, 'retry_policy', 'first_byte_timeout_ms']
      : has(policyRaw, 'on_timeout')
        ? [...owner.path, 'retry_policy', 'on_timeout']
        : [...owner.path, 'retry_policy'];
  const what = ownWritten || policyWritten ? `first_byte_timeout_ms (${limit})` : `first_byte_timeout_ms (${limit}, the default)`;
  issues.warn(
    at,
    `${what} is at or above the listener timeout (${seconds(deadlineMs)}) and deadline_reserve_percent is 0: a provider that ` +
      `accepts the request and says nothing is never timed out before the deadline, so the timeout rule never moves the request ` +
      `and the client gets 504. Set first_byte_timeout_ms below ${deadlineMs} on this entry, or a deadline_reserve_percent above 0`,
  );
}

function warnUnreachableLatency(owner: LocatedProvider, policy: RetryPolicy, deadlineMs: number, issues: IssueCollector): void {
  const rule = policy.highLatency;
  if (rule === undefined || rule.thresholdMs < deadlineMs) return;
  issues.warn(
    [...owner.path, 'retry_policy', 'on_high_latency', 'threshold_ms'],
    `${rule.thresholdMs} is at or above the listener timeout (${seconds(deadlineMs)}): no answer can be that slow, so on_high_latency never fires`,
  );
}

/** Every rule that may retry, with the strategies it may use. */
function retryingRules(policy: RetryPolicy): TriggerRule[] {
  const rules: TriggerRule[] = [policy.defaultRule, policy.timeoutRule, ...policy.statusRules, ...policy.errorRules];
  if (policy.highLatency) rules.push(policy.highLatency);
  return rules.filter((r) => r.maxAttempts > 0 || (r.sameModelRetries ?? 0) > 0);
}

function reachable(strategy: Strategy, owner: ModelProvider, candidate: ModelProvider): boolean {
  switch (strategy) {
    case 'same_model':
      return candidate === owner;
    case 'same_provider':
      return candidate !== owner && candidate.prefix === owner.prefix;
    case 'different_provider':
      return candidate.prefix !== owner.prefix;
  }
}

function warnContinuationWithoutPrefill(owner: LocatedProvider, policy: RetryPolicy, all: readonly ModelProvider[], issues: IssueCollector): void {
  const policyRaw = readMap(owner.raw, 'retry_policy') ?? {};
  // Continuation is what an explicit immediate or windowed commit point relies on; buffered never continues.
  if (!has(policyRaw, 'stream_commit') || policy.streamCommit.mode === 'buffered') return;
  const me = owner.provider;
  const rules = retryingRules(policy);
  const canContinueOn = (c: ModelProvider): boolean =>
    c.supportsPrefill && rules.some((r) => reachable(r.strategy, me, c) || (c === me && (r.sameModelRetries ?? 0) > 0));
  if (all.some(canContinueOn)) return;
  issues.warn(
    [...owner.path, 'retry_policy', 'stream_commit'],
    'a stream that breaks after its commit point continues only on an entry that accepts a prefill (supports_prefill), ' +
      'and no entry this policy may move to does: such a stream always ends with an error. Add a fallback that accepts a ' +
      'prefill (Anthropic-format entries do), set supports_prefill on one that does, or use stream_commit: buffered',
  );
}

/** Warns, for each entry with a retry policy, about what the request deadline makes unreachable. */
export function warnDeadlineConflicts(located: readonly LocatedProvider[], deadlineMs: number, issues: IssueCollector): void {
  const all = located.map((l) => l.provider);
  for (const owner of located) {
    const policy = owner.provider.retryPolicy;
    if (policy === undefined) continue;
    warnSilentProvider(owner, policy, deadlineMs, issues);
    warnUnreachableLatency(owner, policy, deadlineMs, issues);
    warnContinuationWithoutPrefill(owner, policy, all, issues);
  }
}
