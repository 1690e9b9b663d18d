// Reads an upstream SSE body event by event, with a deadline per read. Bytes
// are handed on only up to the last complete event, so whatever is relayed
// raw never ends in half an event: an error event that arrives in pieces can
// still be held back, and a cut never leaves a torn line at the client.
//
// The body is read in paused mode ('readable' and read()), not through its
// async iterator, and the deadline is one timer per reader that is re-armed
// only when a sooner deadline asks for it. A slow stream waits about a second
// between events: whatever a wait allocates lives that long, outlives young
// collections and is promoted. So the relay follows the body (follow()), with
// events handed over synchronously from the 'readable' event, and allocates
// nothing per wait; next() serves the start of a stream, one promise a read.
import type { Readable } from 'node:stream';
import { lastEventBoundary, SseParser, type SseEvent } from '../dialects/index.js';

export type ReadResult =
  /** `bytes` holds whole events only; `events` are those events, parsed. */
  | { readonly kind: 'chunk'; readonly bytes: Buffer; readonly events: readonly SseEvent[] }
  /** The body ended cleanly; `bytes`/`events` are a final event that lacked its blank line. */
  | { readonly kind: 'end'; readonly bytes: Buffer; readonly events: readonly SseEvent[] }
  /** The connection broke (or was destroyed) mid-body. */
  | { readonly kind: 'cut' }
  /** The read's deadline passed first; the body is still open for the next call. */
  | { readonly kind: 'timer' }
  /** The request signal aborted: client gone or request deadline. */
  | { readonly kind: 'aborted' };

const EMPTY = Buffer.alloc(0);
const NO_EVENTS: readonly SseEvent[] = Object.freeze([]);
const TIMER = Object.freeze({ kind: 'timer' } as const);
const CUT: ReadResult = Object.freeze({ kind: 'cut' });
const ABORTED: ReadResult = Object.freeze({ kind: 'aborted' });
const ENDED: ReadResult = Object.freeze({ kind: 'end', bytes: EMPTY, events: NO_EVENTS });

/** Takes whole events as they arrive; false stops the reader's follow(). */
export type EventSink = (bytes: Buffer, events: readonly SseEvent[]) => boolean;

/** Why follow() stopped: everything a read can say except a chunk, or the sink said stop. */
export type FollowEnd = Exclude<ReadResult, { readonly kind: 'chunk' }> | { readonly kind: 'stopped' };

const STOPPED: FollowEnd = Object.freeze({ kind: 'stopped' });

type BodyState = 'open' | 'ended' | 'broken';

export class UpstreamEventReader {
  private readonly parser = new SseParser();
  private carry: Buffer = EMPTY;
  /** 'ended' once the body emitted 'end'; 'broken' once it errored or closed before that. */
  private bodyState: BodyState = 'open';
  /** No more reads: the answer was returned whole, or the reader was closed or drained. */
  private finished = false;
  private endedCleanly = false;
  /** Resumes whoever waits for the body, next() or follow(); set only while one waits. */
  private wake: ((woken: boolean) => void) | undefined;
  private waitDeadline = Number.POSITIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;
  /** performance.now() the armed timer fires at. */
  private timerDue = Number.POSITIVE_INFINITY;

  constructor(
    private readonly body: Readable,
    private readonly signal: Pick<AbortSignal, 'aborted'>,
    private readonly raw: Readable = body,
  ) {
    body.on('readable', this.poke);
    body.on('end', this.onEnd);
    body.on('error', this.onBroken);
    body.on('close', this.onBroken);
  }

  private readonly poke = (): void => {
    const wake = this.wake;
    if (wake === undefined) return;
    this.wake = undefined;
    wake(true);
  };

  private readonly onEnd = (): void => {
    this.bodyState = 'ended';
    this.poke();
  };

  /** An error, or a close: after 'end' a close changes nothing. */
  private readonly onBroken = (): void => {
    if (this.bodyState === 'open') this.bodyState = 'broken';
    this.poke();
  };

  private readonly onTimer = (): void => {
    this.timer = undefined;
    this.timerDue = Number.POSITIVE_INFINITY;
    const wake = this.wake;
    if (wake === undefined) return;
    const left = this.waitDeadline - performance.now();
    // Armed for an earlier deadline than the one waited for now: wait the rest.
    if (left > 0) {
      this.arm(this.waitDeadline, left);
      return;
    }
    this.wake = undefined;
    wake(false);
  };

  private arm(due: number, ms: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timerDue = due;
    // Whole milliseconds: Node keeps one timer list per distinct duration.
    this.timer = setTimeout(this.onTimer, Math.ceil(ms));
  }

  private disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDue = Number.POSITIVE_INFINITY;
  }

  /**
   * Calls `wake` once: with true when the body has news, with false when
   * deadlineAt passes first. False at once (no call) when it has passed already.
   */
  private listen(deadlineAt: number | undefined, wake: (woken: boolean) => void): boolean {
    if (deadlineAt === undefined) {
      this.waitDeadline = Number.POSITIVE_INFINITY;
    } else {
      const left = deadlineAt - performance.now();
      if (left <= 0) return false;
      this.waitDeadline = deadlineAt;
      // A timer due later than this deadline is replaced; one due sooner fires early and re-arms.
      if (this.timerDue > deadlineAt) this.arm(deadlineAt, left);
    }
    this.wake = wake;
    return true;
  }

  /** Whole events available now, or the body's end or break; undefined when nothing is there yet. */
  private take(): ReadResult | undefined {
    for (;;) {
      if (this.finished) return this.endedCleanly ? ENDED : CUT;
      const chunk = this.bodyState === 'broken' ? null : (this.body.read() as Buffer | null);
      if (chunk === null) {
        if (this.bodyState === 'broken') {
          this.finished = true;
          this.disarm();
          return this.signal.aborted ? ABORTED : CUT;
        }
        return this.bodyState === 'ended' ? this.ended() : undefined;
      }
      const data = this.carry.length === 0 ? chunk : Buffer.concat([this.carry, chunk]);
      const cut = lastEventBoundary(data);
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

  /** Reads until whole events arrive, the body ends or breaks, or `deadlineAt` (performance.now()) passes. */
  async next(deadlineAt: number | undefined): Promise<ReadResult> {
    for (;;) {
      const r = this.take();
      if (r !== undefined) return r;
      const woken = await new Promise<boolean>((resolve) => {
        if (!this.listen(deadlineAt, resolve)) resolve(false);
      });
      if (!woken) return TIMER;
    }
  }

  /**
   * Hands whole events to `sink` as they arrive, synchronously, until the sink
   * returns false ('stopped': the reader stays open), the body ends or breaks, or
   * no event comes for idleMs after the last one ('timer'). The relay's way to
   * read: one promise per call, none per event.
   */
  follow(sink: EventSink, idleMs: number): Promise<FollowEnd> {
    return new Promise((resolve, reject) => {
      let deadline = performance.now() + idleMs;
      const step = (woken: boolean): void => {
        if (!woken) {
          resolve(TIMER);
          return;
        }
        try {
          for (let r = this.take(); r !== undefined; r = this.take()) {
            if (r.kind !== 'chunk') {
              resolve(r);
              return;
            }
            deadline = performance.now() + idleMs;
            if (!sink(r.bytes, r.events)) {
              resolve(STOPPED);
              return;
            }
          }
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
          return;
        }
        if (!this.listen(deadline, step)) resolve(TIMER);
      };
      step(true);
    });
  }

  /** The body ended: what is left is a final event that lacked its blank line, if anything. */
  private ended(): ReadResult {
    this.finished = true;
    this.disarm();
    if (this.signal.aborted) return ABORTED;
    this.endedCleanly = true;
    const bytes = this.carry;
    this.carry = EMPTY;
    const events = bytes.length > 0 ? this.parser.push(bytes) : [];
    events.push(...this.parser.flush());
    return { kind: 'end', bytes, events: events.length > 0 ? events : NO_EVENTS };
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
    this.disarm();
    if (this.bodyState !== 'open') {
      if (this.bodyState === 'broken') this.close();
      return;
    }
    const { body } = this;
    const grace = setTimeout(() => { this.close(); }, graceMs);
    const settled = (): void => { clearTimeout(grace); };
    const discard = (): void => {
      while (body.read() !== null) {
        // Nothing after the answer is relayed.
      }
    };
    body.off('readable', this.poke);
    body.on('readable', discard);
    body.once('end', settled);
    body.once('close', settled);
    discard();
  }

  /** Stops reading and releases the upstream connection. */
  close(): void {
    this.finished = true;
    this.disarm();
    if (!this.raw.destroyed) this.raw.destroy();
    if (!this.body.destroyed) this.body.destroy();
  }
}
