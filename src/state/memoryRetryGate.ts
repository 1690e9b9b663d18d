// The retry gate of one process: a counter.
import type { RetryGate } from './retryGate.js';

export class MemoryRetryGate implements RetryGate {
  private inFlight = 0;

  constructor(private cap: number) {}

  get capacity(): number {
    return this.cap;
  }

  resize(capacity: number): void {
    this.cap = capacity;
  }

  acquire(): boolean {
    if (this.inFlight >= this.cap) return false;
    this.inFlight++;
    return true;
  }

  release(): void {
    if (this.inFlight > 0) this.inFlight--;
  }

  get active(): number {
    return this.inFlight;
  }
}
