// The lifetime of one client request: its deadline and the signal that ends
// every upstream call when the deadline passes or the client goes away.
import type { ServerResponse } from 'node:http';

export type EndReason = 'deadline' | 'client-gone';

export class RequestScope {
  readonly controller = new AbortController();
  readonly startedAt = performance.now();
  readonly deadlineAt: number;
  private endReason: EndReason | undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(res: ServerResponse, timeoutMs: number) {
    this.deadlineAt = this.startedAt + timeoutMs;
    this.timer = setTimeout(() => this.end('deadline'), timeoutMs);
    res.once('close', () => {
      if (!res.writableFinished) this.end('client-gone');
      clearTimeout(this.timer);
    });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get ended(): EndReason | undefined {
    return this.endReason;
  }

  remainingMs(now = performance.now()): number {
    return Math.max(0, this.deadlineAt - now);
  }

  private end(reason: EndReason): void {
    if (this.endReason) return;
    this.endReason = reason;
    this.controller.abort(reason);
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
