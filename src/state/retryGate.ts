// A cap on concurrent retries, so a provider outage cannot turn every request
// into a retry storm that takes the gateway (and the provider) down with it.
// In memory it caps this process; in a fleet it caps every replica together.

export interface RetryGate {
  /** max_concurrent_retries as currently configured. */
  readonly capacity: number;
  /** Retries this process has in flight. */
  readonly active: number;
  /**
   * A reload's new max_concurrent_retries. Retries in flight keep their slots;
   * a smaller cap only refuses new retries until enough of them finish.
   */
  resize(capacity: number): void;
  /**
   * Takes a slot for one retry (its wait and its attempt); false when full.
   * In memory the answer is immediate. A fleet gate asks Redis and answers
   * within SHARED_STATE_WAIT_MS, from this process alone if Redis cannot.
   */
  acquire(): boolean | Promise<boolean>;
  /** Gives back one slot this process holds. */
  release(): void;
}
