// Per-request retry state (Envoy's RetryState): what has been tried, how many
// retries each rule has caused, and the blocks only this request sees. Created
// on the first failure, so a request that succeeds at once allocates none of it.
import type { ModelProvider, RetryPolicy } from '../config/types.js';
import type { BlockStore } from '../state/blockStore.js';
import { MemoryBlockStore } from '../state/memoryBlockStore.js';
import { LayeredBlockView } from './blockView.js';
import type { AttemptOutcome, AttemptRecord } from './outcome.js';
import { errorTypeOf } from './outcome.js';

export interface RetryState {
  readonly policy: RetryPolicy;
  readonly primary: ModelProvider;
  readonly providers: readonly ModelProvider[];
  readonly deadlineMs: number;
  /** Blocks with apply_to: request land here and die with the request. */
  readonly localBlocks: MemoryBlockStore;
  /** Global and request-scoped blocks together. */
  readonly blocks: LayeredBlockView;
  readonly attempts: AttemptRecord[];
  readonly tried: ModelProvider[];
  /** Retries caused so far, by TriggerRule.id. */
  readonly ruleRetries: Map<string, number>;
  firstFailureMs: number | undefined;
  /** Retries the backoff has applied to so far (its `n` is this + 1). */
  backoffRetries: number;
}

export interface RetryStateInit {
  readonly policy: RetryPolicy;
  readonly primary: ModelProvider;
  readonly providers: readonly ModelProvider[];
  readonly globalBlocks: BlockStore;
  readonly deadlineMs: number;
}

export function createRetryState(init: RetryStateInit): RetryState {
  const localBlocks = new MemoryBlockStore();
  return {
    policy: init.policy,
    primary: init.primary,
    providers: init.providers,
    deadlineMs: init.deadlineMs,
    localBlocks,
    blocks: new LayeredBlockView(init.globalBlocks, localBlocks),
    attempts: [],
    tried: [],
    ruleRetries: new Map(),
    firstFailureMs: undefined,
    backoffRetries: 0,
  };
}

/** Notes that `target` is being tried in this request, so no later choice picks it again. */
export function markTried(state: RetryState, target: ModelProvider): void {
  if (!state.tried.includes(target)) state.tried.push(target);
}

/** Notes a failed attempt (under `rule`, its ruleLabel); returns its record. */
export function recordFailure(
  state: RetryState,
  target: ModelProvider,
  attempt: number,
  outcome: AttemptOutcome,
  nowMs: number,
  rule?: string,
): AttemptRecord {
  const record: AttemptRecord = { target, attempt, errorType: errorTypeOf(outcome), outcome, rule };
  state.attempts.push(record);
  markTried(state, target);
  state.firstFailureMs ??= nowMs;
  return record;
}

/** Counts a retry that is actually going ahead against its rule and the backoff. */
export function commitRetry(state: RetryState, ruleId: string, backoffApplied: boolean): void {
  state.ruleRetries.set(ruleId, (state.ruleRetries.get(ruleId) ?? 0) + 1);
  if (backoffApplied) state.backoffRetries++;
}
