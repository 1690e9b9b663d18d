// The process-wide memory behind /status: each model's recent window and the
// latest failovers. It outlives config reloads; models are kept by name.
import { RecentWindow, type WindowReading } from './recentWindow.js';

/** One retry or give-up, as the status page lists it. */
export interface FailoverNote {
  readonly atMs: number;
  readonly kind: 'failover' | 'same-model' | 'gave-up';
  readonly requestId: string;
  readonly from: string;
  /** The entry retried on; null for a give-up. */
  readonly to: string | null;
  /** The rule that decided (its id); null when none did (every candidate blocked). */
  readonly rule: string | null;
  /** The failure that triggered it, spelled as in the exhaustion body; null for a give-up. */
  readonly trigger: string | null;
  /** Why the request gave up; null for a retry. */
  readonly reason: string | null;
}

/** Recent failovers kept, newest first. */
const NOTES_KEPT = 50;

export class StatusBoard {
  readonly startedAtMs = Date.now();
  private readonly windows = new Map<string, RecentWindow>();
  private readonly notes: FailoverNote[] = [];

  constructor(readonly windowMs = 300_000) {}

  private window(model: string): RecentWindow {
    let w = this.windows.get(model);
    if (w === undefined) {
      w = new RecentWindow(this.windowMs);
      this.windows.set(model, w);
    }
    return w;
  }

  attempt(model: string, failed: boolean, nowMs: number): void {
    this.window(model).attempt(nowMs, failed);
  }

  /** A committed stream of `model` broke: one more failure, its attempt already counted. */
  broke(model: string, nowMs: number): void {
    this.window(model).failure(nowMs);
  }

  ttft(model: string, ms: number, nowMs: number): void {
    this.window(model).ttft(nowMs, ms);
  }

  note(n: FailoverNote): void {
    this.notes.unshift(n);
    if (this.notes.length > NOTES_KEPT) this.notes.pop();
  }

  recentNotes(): readonly FailoverNote[] {
    return this.notes;
  }

  read(model: string, nowMs: number): WindowReading {
    return this.window(model).read(nowMs);
  }
}
