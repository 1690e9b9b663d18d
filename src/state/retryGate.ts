// Process-wide cap on concurrent retries, so a provider outage cannot turn every
// request into a retry storm that takes the gateway down with it.

export class RetryGate {
  private inFlight = 0;

  constructor(readonly capacity: number) {}

  /** Takes a slot for one retry (its wait and its attempt); false when full. */
  tryAcquire(): boolean {
    if (this.inFlight >= this.capacity) return false;
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
