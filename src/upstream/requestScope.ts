// The lifetime of one client request: its deadline, a signal for the client
// going away, and the switch of the attempt in flight, which it flips itself
// on disconnect or at the deadline (no listener chains on the hot path).
import type { ServerResponse } from 'node:http';
import type { ClientPresence } from '../failover/runTypes.js';
import { AttemptControl } from './attemptControl.js';

export class RequestScope implements ClientPresence {
  /** Created on first use: most requests never wait, so never need the signal. */
  private client: AbortController | undefined;
  private current: AttemptControl | undefined;
  /** Attempts that race (hedging): every one of them ends with the request. Created on first use. */
  private racing: AttemptControl[] | undefined;
  private clientLeft = false;
  private ended: 'client-gone' | 'deadline' | undefined;
  /**
   * Wall-clock ms (Date.now, the failover clock) by which the request must be
   * done. The orchestrator decides against this same number, so once the
   * deadline has fired it can never see time left for another attempt.
   */
  readonly deadlineMs: number;
  private timer: NodeJS.Timeout;

  constructor(res: ServerResponse, timeoutMs: number) {
    this.deadlineMs = Date.now() + timeoutMs;
    this.timer = setTimeout(this.onTimer, timeoutMs);
    res.once('close', () => {
      clearTimeout(this.timer);
      if (res.writableFinished) return;
      this.clientLeft = true;
      this.end('client-gone');
      this.client?.abort('client-gone');
    });
  }

  // Node timers may fire a millisecond early by the wall clock: wait out the rest.
  private readonly onTimer = (): void => {
    const left = this.deadlineMs - Date.now();
    if (left > 0) this.timer = setTimeout(this.onTimer, left);
    else this.end('deadline');
  };

  private end(reason: 'client-gone' | 'deadline'): void {
    this.ended ??= reason;
    this.current?.abort(reason);
    if (this.racing !== undefined) for (const a of this.racing) a.abort(reason);
  }

  /** Whether the client went away: a failure then says nothing about the provider. */
  get gone(): boolean {
    return this.clientLeft;
  }

  /** Aborts only when the client goes away (never at the deadline). */
  get signal(): AbortSignal {
    if (!this.client) {
      this.client = new AbortController();
      if (this.gone) this.client.abort('client-gone');
    }
    return this.client.signal;
  }


  /**
   * Starts an attempt with its first-byte limit; it is ended with the request.
   * A `racing` attempt runs beside others, so the scope keeps every one.
   */
  beginAttempt(firstByteLimitMs: number, racing = false): AttemptControl {
    const control = new AttemptControl(firstByteLimitMs);
    this.current = control;
    if (racing) (this.racing ??= []).push(control);
    if (this.ended) control.abort(this.ended);
    return control;
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
