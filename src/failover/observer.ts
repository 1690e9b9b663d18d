// What a request's failover did, told as it happens, to whoever watches:
// metrics, traces and the status page (observability/), none of which this
// folder knows. Each call marks one lifecycle point; none may throw or block,
// and none changes what the request does next.
import type { BlockApplyTo, BlockScope, ModelProvider, TriggerRule } from '../config/types.js';
import type { BlockReason } from '../state/blockStore.js';
import type { GiveUpReason } from './decision.js';
import type { AttemptOutcome } from './outcome.js';

/** How one attempt ended. */
export type AttemptEnd =
  | {
      readonly kind: 'answered';
      /** Send → response headers; undefined when the caller did not time it. */
      readonly ttfbMs: number | undefined;
      /** Send → the first content-bearing event of a stream, or the whole answer read; undefined when neither came. */
      readonly ttftMs: number | undefined;
    }
  | { readonly kind: 'failed'; readonly outcome: AttemptOutcome }
  /** The client left while it ran, or it lost a hedge race: it says nothing about the provider. */
  | { readonly kind: 'abandoned' };

export const ABANDONED: AttemptEnd = Object.freeze({ kind: 'abandoned' });

/** A retry the decider chose and the session is carrying out. */
export interface RetryEvent {
  readonly from: ModelProvider;
  readonly to: ModelProvider;
  /** The rule that decided it (its id names it: "status[0]", "timeout", "default", ...). */
  readonly rule: TriggerRule;
  /** The failure that triggered it. */
  readonly trigger: AttemptOutcome;
  readonly delayMs: number;
}

/** A block the request wrote: Retry-After, high latency, or an opened circuit. */
export interface BlockEvent {
  readonly scope: BlockScope;
  /** The entry name (scope model) or the provider prefix (scope provider). */
  readonly target: string;
  readonly cause: BlockReason['cause'];
  readonly untilMs: number;
  /** request: only this request sees it. */
  readonly applyTo: BlockApplyTo;
}

export type CircuitState = 'open' | 'half-open' | 'closed';

export interface FailoverObserver {
  attemptStarted(target: ModelProvider, attemptNo: number, continuation: boolean): void;
  attemptEnded(target: ModelProvider, attemptNo: number, end: AttemptEnd): void;
  retrying(retry: RetryEvent): void;
  /** The request stops without an answer; `rule` is the one that gave up, when one did. */
  gaveUp(reason: GiveUpReason | 'all-blocked', rule: TriggerRule | undefined): void;
  backoffStarted(delayMs: number): void;
  backoffEnded(): void;
  blockWritten(block: BlockEvent): void;
  circuitChanged(target: ModelProvider, state: CircuitState): void;
}
