// One attempt's abort switch and its time-to-first-byte limit, on a native
// timer: undici's own timeouts tick at about one-second resolution, far too
// coarse for a sub-second setting. The limit spans connecting, the response
// headers and, for a stream, the first event, because that is when an answer
// can commit. The request scope flips the same switch on client disconnect or
// at the deadline. The AbortSignal is created only if someone asks for it:
// the non-streaming path registers one plain callback instead.

export class AttemptControl {
  private controller: AbortController | undefined;
  private timer: NodeJS.Timeout | undefined;
  private reason: 'first-byte-timeout' | 'client-gone' | 'deadline' | undefined;
  private hook: (() => void) | undefined;

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
    this.controller?.abort(reason);
  }

  /** Ends the attempt: the client left or the request deadline passed. */
  abort(reason: 'client-gone' | 'deadline'): void {
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
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.reason !== undefined) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  /** Whether the first-byte limit passed (rather than the request ending). */
  get expired(): boolean {
    return this.reason === 'first-byte-timeout';
  }

  /** The first byte arrived: the limit no longer applies. */
  stop(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }
}
