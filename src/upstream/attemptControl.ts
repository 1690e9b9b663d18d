// One attempt's abort switch and its time-to-first-byte limit, on a native
// timer: undici's own timeouts tick at about one-second resolution, far too
// coarse for a sub-second setting. The limit spans connecting, the response
// headers and, for a stream, the first event, because that is when an answer
// can commit. The request scope flips the same switch on client disconnect or
// at the deadline, and a race ends a losing attempt through it. The signal is
// created only if someone asks for it: the non-streaming path registers one
// plain callback instead.
import { EventEmitter } from 'node:events';
import type { Milestone } from '../failover/hedge.js';

/** Why an attempt was ended from outside: the client left, the request deadline passed, or it lost a race. */
export type AttemptEnd = 'client-gone' | 'deadline' | 'cancelled';

/**
 * An attempt's abort signal, in the other shape undici's request() takes: an
 * EventEmitter with `aborted` and `reason` that emits 'abort'. Node 20 takes
 * about 6 µs to create an AbortController, and an emitter 0.2 (measured); a
 * streamed attempt needs one.
 */
export class AttemptSignal extends EventEmitter {
  aborted = false;
  reason: unknown = undefined;

  fire(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit('abort');
  }
}

export class AttemptControl {
  private emitter: AttemptSignal | undefined;
  private timer: NodeJS.Timeout | undefined;
  private reason: 'first-byte-timeout' | AttemptEnd | undefined;
  private hook: (() => void) | undefined;
  /** Set while the attempt races a hedge: hears when the first byte arrives. */
  onMilestone: ((milestone: Milestone) => void) | undefined;

  constructor(readonly limitMs: number) {
    this.timer = setTimeout(this.onLimit, limitMs);
  }

  private readonly onLimit = (): void => {
    this.timer = undefined;
    this.trip('first-byte-timeout');
  };

  private trip(reason: NonNullable<AttemptControl['reason']>): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    this.hook?.();
    this.emitter?.fire(reason);
  }

  /** Ends the attempt: the client left, the request deadline passed, or it lost a race. */
  abort(reason: AttemptEnd): void {
    this.stop();
    this.trip(reason);
  }

  /** Calls `fn` once when the attempt is ended (limit, client gone or deadline). One hook per attempt. */
  onAbort(fn: () => void): void {
    this.hook = fn;
  }

  get aborted(): boolean {
    return this.reason !== undefined;
  }

  /** Aborts on the first-byte limit, client disconnect or the request deadline. */
  get signal(): AttemptSignal {
    if (!this.emitter) {
      this.emitter = new AttemptSignal();
      if (this.reason !== undefined) this.emitter.fire(this.reason);
    }
    return this.emitter;
  }

  /** Whether the first-byte limit passed (rather than the request ending). */
  get expired(): boolean {
    return this.reason === 'first-byte-timeout';
  }

  /** The first byte arrived: the limit no longer applies, and a race hears of it. */
  reachedFirstByte(): void {
    this.stop();
    this.onMilestone?.('first-byte');
  }

  /** The limit no longer applies (the first byte arrived, or the attempt is over). */
  stop(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }
}
