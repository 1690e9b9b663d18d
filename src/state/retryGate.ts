// Process-wide cap on concurrent retries, so a provider outage cannot turn every
// request into a retry storm that takes the gateway down with it.

export class RetryGate {
  private inFlight = 0;

  constructor(private cap: number) {}

  get capacity(): number {
    return this.cap;
  }

  /**
   * A reload's new max_concurrent_retries. Retries in flight keep their slots;
   * a smaller cap only refuses new retries until enough of them finish.
   */
  resize(capacity: number): void {
    this.cap = capacity;
  }

  /** Takes a slot for one retry (its wait and its attempt); false when full. */
  tryAcquire(): boolean {
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
