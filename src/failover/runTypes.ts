// The orchestrator's contract with its caller (the server): what it is given,
// how it makes an attempt, and what it answers.
import type { Config, ModelProvider } from '../config/types.js';
import type { SharedState } from '../state/sharedState.js';
import type { AttemptLimits } from './attemptLimits.js';
import type { Rng } from './backoff.js';
import type { Milestone } from './hedge.js';
import type { Clock } from './clock.js';
import type { GiveUpReason } from './decision.js';
import type { FailoverObserver } from './observer.js';
import type { AttemptOutcome, AttemptRecord } from './outcome.js';

/** The subset of a pino logger used here. */
export interface FailoverLog {
  info(obj: object, msg: string): void;
}

export interface FailoverContext extends SharedState {
  readonly config: Config;
  readonly primary: ModelProvider;
  readonly clock: Clock;
  readonly rng: Rng;
  /** Absolute time (clock ms) by which the whole request must be done: listener timeout. */
  readonly deadlineMs: number;
  /** Whether the client is still there (and a signal for abortable waits). */
  readonly client: ClientPresence;
  readonly log: FailoverLog;
  readonly requestId: string;
  /** A streamed request: attempts wait for a first token, and learn from first-token times. */
  readonly stream?: boolean;
  /** Told what happens (metrics, traces, the status page); absent in tests that do not watch. */
  readonly observer?: FailoverObserver;
}

/**
 * The client's presence. `gone` is a plain flag because it is read after every
 * attempt; `signal` is only for waits and may be created on first use.
 */
export interface ClientPresence {
  readonly gone: boolean;
  readonly signal: AbortSignal;
}

/** A ClientPresence over an AbortSignal that aborts when the client goes away. */
export function presenceOf(signal: AbortSignal): ClientPresence {
  return {
    get gone() {
      return signal.aborted;
    },
    signal,
  };
}

/** How long a successful attempt took to start answering, in ms from sending it. */
export interface AttemptTimings {
  /** To the response headers (on_high_latency's ttfb). */
  readonly ttfbMs: number;
  /** Send → the first content-bearing event of a stream, or the whole answer read (see AttemptEnd). */
  readonly ttftMs?: number | undefined;
  /** Streams: to the first event, which a stream's first-byte limit times. */
  readonly firstEventMs?: number | undefined;
}

export type AttemptResult<R> =
  | ({ readonly kind: 'success'; readonly response: R } & AttemptTimings)
  | { readonly kind: 'failure'; readonly outcome: AttemptOutcome };

/** How an attempt that races a hedge reports to the race and is ended by it. */
export interface RaceLink {
  /** The attempt reached a milestone: its first byte (a stream: its first event), its first token. */
  reached(milestone: Milestone): void;
  /** The attempt hands over how to end it at once (its socket closed); the race calls that if it loses. */
  onCancel(cancel: () => void): void;
}

/** What the failover decisions settled for one attempt before it starts. */
export interface AttemptPlan {
  readonly limits: AttemptLimits;
  /** Set only while the attempt races others (hedging); undefined on the plain path. */
  readonly race?: RaceLink;
}

/**
 * Makes one upstream attempt. `remainingMs` is what is left of the request
 * deadline: the attempt must end by then and report a timeout. It must end by
 * a signal on the orchestrator's own clock (see RequestScope), or the
 * orchestrator could see a sliver of time left and start another attempt.
 * `plan.limits` are its first-byte, first-token and idle limits. It may throw
 * before its first await (it need not be async); callers treat that as a rejection.
 */
export type RunAttempt<R> = (target: ModelProvider, attemptNo: number, remainingMs: number, plan: AttemptPlan) => Promise<AttemptResult<R>>;

/** How a request ends without an answer to relay. */
export type StopResult =
  | {
      /** Relay the upstream error unchanged: no policy, or not retriable under it. */
      readonly kind: 'passthrough';
      readonly outcome: AttemptOutcome;
      readonly target: ModelProvider;
      readonly attemptCount: number;
      readonly failures: readonly AttemptRecord[];
    }
  | {
      readonly kind: 'exhausted';
      readonly reason: GiveUpReason | 'all-blocked';
      readonly status: number;
      /** The retry_exhausted JSON. */
      readonly body: string;
      /** content-type, x-request-id and, when a block is known, retry-after. */
      readonly headers: Readonly<Record<string, string>>;
      readonly failures: readonly AttemptRecord[];
    }
  | { readonly kind: 'client-gone'; readonly attemptCount: number; readonly failures: readonly AttemptRecord[] };
