// One attempt's time-to-first-byte limit, on a native timer: undici's own
// timeouts tick at about one-second resolution, far too coarse for a
// sub-second setting. The limit spans connecting, the response headers and,
// for a stream, the first event, because that is when an answer can commit.

export class FirstByteTimer {
  private readonly own = new AbortController();
  private readonly timer: NodeJS.Timeout;
  /** Aborts when the limit passes or when `parent` aborts. */
  readonly signal: AbortSignal;

  constructor(
    readonly limitMs: number,
    parent: AbortSignal,
  ) {
    this.signal = AbortSignal.any([parent, this.own.signal]);
    this.timer = setTimeout(() => this.own.abort('first-byte-timeout'), limitMs);
  }

  /** Whether the limit passed (rather than the parent aborting). */
  get expired(): boolean {
    return this.own.signal.aborted;
  }

  /** The first byte arrived: the limit no longer applies. */
  stop(): void {
    clearTimeout(this.timer);
  }
}
