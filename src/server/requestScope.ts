// The lifetime of one client request: its deadline, and the signals that end
// upstream calls when the client goes away or the deadline passes.
import type { ServerResponse } from 'node:http';

export class RequestScope {
  private readonly client = new AbortController();
  private readonly upstream = new AbortController();
  readonly startedAt = performance.now();
  readonly deadlineAt: number;
  private readonly timer: NodeJS.Timeout;

  constructor(res: ServerResponse, timeoutMs: number) {
    this.deadlineAt = this.startedAt + timeoutMs;
    this.timer = setTimeout(() => this.upstream.abort('deadline'), timeoutMs);
    res.once('close', () => {
      clearTimeout(this.timer);
      if (res.writableFinished) return;
      this.client.abort('client-gone');
      this.upstream.abort('client-gone');
    });
  }

  /** Aborts only when the client goes away: a failure then says nothing about the provider. */
  get clientSignal(): AbortSignal {
    return this.client.signal;
  }

  /** Aborts when the client goes away or the request deadline passes. */
  get signal(): AbortSignal {
    return this.upstream.signal;
  }

  remainingMs(now = performance.now()): number {
    return Math.max(0, this.deadlineAt - now);
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
