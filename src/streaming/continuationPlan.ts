// Whether, and where, a stream that broke after the commit point continues.
// Pure: the policy, what broke, what the client has, and the candidates in.
import type { ModelProvider, RetryPolicy, TriggerRule } from '../config/types.js';
import type { BlockView } from '../failover/blockView.js';
import { firstCandidate } from '../failover/candidates.js';
import { classifyOutcome } from '../failover/classifyErrors.js';
import type { AttemptOutcome } from '../failover/outcome.js';
import type { StreamSummary } from './streamSummary.js';

export type ContinuationEnd =
  | 'no-policy'
  | 'not-retriable'
  | 'tool-call'
  | 'client-has-error'
  | 'rule-exhausted'
  | 'no-candidate'
  | 'deadline';

export type ContinuationPlan =
  /** The content was complete before the break: close the stream normally. */
  | { readonly kind: 'complete' }
  | { readonly kind: 'continue'; readonly rule: TriggerRule; readonly targets: readonly ModelProvider[] }
  | { readonly kind: 'end'; readonly reason: ContinuationEnd };

export interface ContinuationInput {
  /** The primary's policy: it governs the whole request. */
  readonly policy: RetryPolicy | undefined;
  readonly primary: ModelProvider;
  /** The entry whose stream broke. */
  readonly broken: ModelProvider;
  readonly outcome: AttemptOutcome;
  readonly summary: StreamSummary;
  readonly providers: readonly ModelProvider[];
  /** Entries that failed in this request, before or after the commit. */
  readonly tried: readonly ModelProvider[];
  /** Outcomes of earlier failed attempts in this request (not this break). */
  readonly earlier: readonly AttemptOutcome[];
  /** Continuation attempts already made after the commit. */
  readonly continuationAttempts: number;
  readonly blocks: BlockView;
  readonly nowMs: number;
  readonly remainingMs: number;
}

const prefillCapable = new WeakMap<readonly ModelProvider[], readonly ModelProvider[]>();

function capable(providers: readonly ModelProvider[]): readonly ModelProvider[] {
  let list = prefillCapable.get(providers);
  if (list === undefined) {
    list = providers.filter((p) => p.supportsPrefill);
    prefillCapable.set(providers, list);
  }
  return list;
}

/**
 * Checks in a fixed order: content already complete, a policy, no error or
 * tool call at the client, a retriable break, the rule's retries left (its
 * earlier retries in the request count), time left, then the candidates in
 * the rule's strategy order that accept a prefill, are not blocked (Retry-After
 * or open circuit) and have not failed in this request.
 */
export function planContinuation(input: ContinuationInput): ContinuationPlan {
  const { policy, summary } = input;
  if (summary.finished && !summary.errored) return { kind: 'complete' };
  if (policy === undefined) return { kind: 'end', reason: 'no-policy' };
  if (summary.errored) return { kind: 'end', reason: 'client-has-error' };
  if (summary.toolCall) return { kind: 'end', reason: 'tool-call' };
  const rule = classifyOutcome(input.outcome, policy).rule;
  if (rule === undefined) return { kind: 'end', reason: 'not-retriable' };
  let used = input.continuationAttempts;
  for (const o of input.earlier) if (classifyOutcome(o, policy).rule?.id === rule.id) used++;
  const left = rule.maxAttempts - used;
  if (left <= 0) return { kind: 'end', reason: 'rule-exhausted' };
  if (input.remainingMs <= 0) return { kind: 'end', reason: 'deadline' };

  // Without text there is nothing to prefill: any candidate can start afresh.
  const pool = summary.text === '' ? input.providers : capable(input.providers);
  const targets: ModelProvider[] = [];
  if (rule.strategy === 'same_model') {
    const self = input.broken;
    if (pool.includes(self) && input.blocks.blockedUntil(self, input.nowMs) === undefined) targets.push(self);
  } else {
    const skip = [...input.tried];
    while (targets.length < left) {
      const c = firstCandidate(input.primary, rule.strategy, policy, pool, skip, input.blocks, input.nowMs);
      if (c === undefined) break;
      targets.push(c);
      skip.push(c);
    }
  }
  if (targets.length === 0) return { kind: 'end', reason: 'no-candidate' };
  return { kind: 'continue', rule, targets };
}
