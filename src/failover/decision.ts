// What the retry decision answers: go on to a target after a delay, or give up
// for one named reason.
import type { ModelProvider } from '../config/types.js';

/**
 * A retry after a failure, or a hedge: the retry a timeout of an attempt still
 * in flight would make, made now. A hedge never waits: no backoff, and a
 * target that could only be reached by waiting out a block is no hedge target.
 */
export type DecisionMode = 'retry' | 'hedge';

export type GiveUpReason =
  | 'not-retriable'
  | 'rule-exhausted'
  | 'no-candidate'
  | 'budget-exhausted'
  | 'deadline'
  | 'gate-full';

export type Decision =
  | {
      readonly kind: 'retry';
      readonly target: ModelProvider;
      readonly delayMs: number;
      /** The count this retry consumes (commitRetry): the rule's, or its same-model count on one entry. */
      readonly ruleId: string;
      readonly backoffApplied: boolean;
    }
  | { readonly kind: 'give-up'; readonly reason: GiveUpReason };

type GiveUp = Extract<Decision, { kind: 'give-up' }>;
/** Shared, frozen give-up decisions: no allocation on the failure path. */
export const giveUps = {} as Record<GiveUpReason, GiveUp>;
for (const reason of ['not-retriable', 'rule-exhausted', 'no-candidate', 'budget-exhausted', 'deadline', 'gate-full'] as const) {
  giveUps[reason] = Object.freeze({ kind: 'give-up', reason });
}

