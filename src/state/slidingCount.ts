// A count of events over a sliding window, kept in one-second slices (so an
// event counts for between window − 1 s and the whole window). O(1) to add and
// to read, amortised.

const SLICE_MS = 1000;

export class SlidingCount {
  private readonly slices: Uint32Array;
  private total = 0;
  /** The slice (nowMs / SLICE_MS) last advanced to. */
  private epoch = Number.NEGATIVE_INFINITY;

  constructor(windowMs: number) {
    this.slices = new Uint32Array(Math.max(1, Math.ceil(windowMs / SLICE_MS)));
  }

  /** Empties the slots of the slices entered since the last read: each held a slice that has left the window. */
  private advance(nowMs: number): void {
    const epoch = Math.floor(nowMs / SLICE_MS);
    if (epoch <= this.epoch) return;
    const n = this.slices.length;
    for (let e = Math.max(this.epoch + 1, epoch - n + 1); e <= epoch; e++) {
      const slot = ((e % n) + n) % n;
      this.total -= this.slices[slot] ?? 0;
      this.slices[slot] = 0;
    }
    this.epoch = epoch;
  }

  add(nowMs: number): void {
    this.advance(nowMs);
    const n = this.slices.length;
    const slot = ((this.epoch % n) + n) % n;
    this.slices[slot] = (this.slices[slot] ?? 0) + 1;
    this.total++;
  }

  count(nowMs: number): number {
    this.advance(nowMs);
    return this.total;
  }
}
