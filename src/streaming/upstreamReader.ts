// Reads an upstream SSE body event by event, with a deadline per read. Bytes
// are handed on only up to the last complete event, so whatever is relayed
// raw never ends in half an event: an error event that arrives in pieces can
// still be held back, and a cut never leaves a torn line at the client.
import type { Readable } from 'node:stream';
import { SseParser, type SseEvent } from '../dialects/index.js';

export type ReadResult =
  /** `bytes` holds whole events only; `events` are those events, parsed. */
  | { readonly kind: 'chunk'; readonly bytes: Buffer; readonly events: readonly SseEvent[] }
  /** The body ended cleanly; `bytes`/`events` are a final event that lacked its blank line. */
  | { readonly kind: 'end'; readonly bytes: Buffer; readonly events: readonly SseEvent[] }
  /** The connection broke (or was destroyed) mid-body. */
  | { readonly kind: 'cut' }
  /** The read's deadline passed first; the pending read is kept for the next call. */
  | { readonly kind: 'timer' }
  /** The request signal aborted: client gone or request deadline. */
  | { readonly kind: 'aborted' };

const EMPTY = Buffer.alloc(0);
const NO_EVENTS: readonly SseEvent[] = Object.freeze([]);
const TIMER: ReadResult = Object.freeze({ kind: 'timer' });
const ENDED: ReadResult = Object.freeze({ kind: 'end', bytes: EMPTY, events: NO_EVENTS });

/** End offset of the last blank line (event boundary) in buf, or -1. */
function lastBoundary(buf: Buffer): number {
  const lf = buf.lastIndexOf('\n\n');
  const crlf = buf.lastIndexOf('\r\n\r\n');
  const cr = buf.lastIndexOf('\r\r');
  return Math.max(lf === -1 ? -1 : lf + 2, crlf === -1 ? -1 : crlf + 4, cr === -1 ? -1 : cr + 2);
}

export class UpstreamEventReader {
  private readonly parser = new SseParser();
  private carry: Buffer = EMPTY;
  private pending: Promise<IteratorResult<Buffer>> | undefined;
  private finished = false;
  private endedCleanly = false;

  constructor(
    private readonly body: Readable,
    private readonly it: AsyncIterator<Buffer>,
    private readonly signal: AbortSignal,
    private readonly raw: Readable = body,
  ) {}

  /** Reads until whole events arrive, the body ends or breaks, or `deadlineAt` (performance.now()) passes. */
  async next(deadlineAt: number | undefined): Promise<ReadResult> {
    for (;;) {
      if (this.finished) return this.endedCleanly ? ENDED : { kind: 'cut' };
      this.pending ??= this.it.next();
      let r: IteratorResult<Buffer>;
      try {
        r = deadlineAt === undefined ? await this.pending : await raceTimer(this.pending, deadlineAt - performance.now());
      } catch {
        this.pending = undefined;
        this.finished = true;
        return this.signal.aborted ? { kind: 'aborted' } : { kind: 'cut' };
      }
      if (r === TIMER_RESULT) return TIMER;
      this.pending = undefined;
      if (r.done) {
        this.finished = true;
        if (this.signal.aborted) return { kind: 'aborted' };
        this.endedCleanly = true;
        const bytes = this.carry;
        this.carry = EMPTY;
        const events = bytes.length > 0 ? this.parser.push(bytes) : [];
        events.push(...this.parser.flush());
        return { kind: 'end', bytes, events: events.length > 0 ? events : NO_EVENTS };
      }
      const data = this.carry.length === 0 ? r.value : Buffer.concat([this.carry, r.value]);
      const cut = lastBoundary(data);
      if (cut === -1) {
        this.carry = data;
        continue;
      }
      const bytes = cut === data.length ? data : data.subarray(0, cut);
      this.carry = cut === data.length ? EMPTY : Buffer.from(data.subarray(cut));
      const events = this.parser.push(bytes);
      if (events.length === 0) continue; // comments only (keep-alives): not an event
      return { kind: 'chunk', bytes, events };
    }
  }

  /**
   * The answer is complete: read what is left of the body (normally only its
   * end) so the keep-alive connection goes back to the pool. Destroying a body
   * that has not ended would make undici close the socket, costing a new
   * connection (and an error with a stack trace) per streamed request. A body
   * that does not end promptly is destroyed after all.
   */
  drain(graceMs = 1000): void {
    if (this.finished) {
      if (!this.endedCleanly) this.close();
      return;
    }
    this.finished = true;
    const timer = setTimeout(() => { this.close(); }, graceMs);
    const rest = async (): Promise<void> => {
      try {
        for (let r = await (this.pending ?? this.it.next()); !r.done; r = await this.it.next()) this.pending = undefined;
        this.pending = undefined;
      } catch {
        // Broken after the answer completed: nothing left to save.
      }
      clearTimeout(timer);
    };
    void rest();
  }

  /** Stops reading and releases the upstream connection. */
  close(): void {
    if (!this.finished) {
      this.finished = true;
      this.pending?.catch(() => {});
    }
    if (!this.raw.destroyed) this.raw.destroy();
    if (!this.body.destroyed) this.body.destroy();
  }
}

const TIMER_RESULT = { done: false, value: EMPTY } as IteratorResult<Buffer>;

function raceTimer(p: Promise<IteratorResult<Buffer>>, ms: number): Promise<IteratorResult<Buffer>> {
  if (ms <= 0) return Promise.resolve(TIMER_RESULT);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { resolve(TIMER_RESULT); }, ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
