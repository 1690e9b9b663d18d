// The lifetime of one client request: its deadline, and the signals that end
// upstream calls when the client goes away or the deadline passes.
import type { ServerResponse } from 'node:http';

export class RequestScope {
  private readonly client = new AbortController();
  private readonly upstream = new AbortController();
  /**
   * Wall-clock ms (Date.now, the failover clock) by which the request must be
   * done. The orchestrator decides against this same number, so once the
   * deadline signal has fired it can never see time left for another attempt.
   */
  readonly deadlineMs: number;
  private timer: NodeJS.Timeout;

  constructor(res: ServerResponse, timeoutMs: number) {
    this.deadlineMs = Date.now() + timeoutMs;
    this.timer = setTimeout(this.onTimer, timeoutMs);
    res.once('close', () => {
      clearTimeout(this.timer);
      if (res.writableFinished) return;
      this.client.abort('client-gone');
      this.upstream.abort('client-gone');
    });
  }

  // Node timers may fire a millisecond early by the wall clock: wait out the rest.
  private readonly onTimer = (): void => {
    const left = this.deadlineMs - Date.now();
    if (left > 0) this.timer = setTimeout(this.onTimer, left);
    else this.upstream.abort('deadline');
  };

  /** Aborts only when the client goes away: a failure then says nothing about the provider. */
  get clientSignal(): AbortSignal {
    return this.client.signal;
  }

  /** Aborts when the client goes away or the request deadline passes. */
  get signal(): AbortSignal {
    return this.upstream.signal;
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
