// What a test file started, stopped by its `after` hook however far its
// `before` got. A `before` that fails half way (a replica that never joined)
// would otherwise leave `after` reading unset variables, and the servers it
// did start (a redis-server, mock providers) keeping the file alive.

export class Teardown {
  private readonly steps: (() => Promise<unknown>)[] = [];

  /** Registers how to stop `value`, and returns it. Stopped in the reverse order of starting. */
  add<T>(value: T, stop: (value: T) => Promise<unknown>): T {
    this.steps.push(() => stop(value));
    return value;
  }

  /** Stops everything registered; each step runs even when an earlier one fails. */
  async run(): Promise<void> {
    const failures: unknown[] = [];
    for (const step of this.steps.splice(0).reverse()) {
      try {
        await step();
      } catch (err) {
        failures.push(err);
      }
    }
    if (failures.length > 0) throw new AggregateError(failures, 'teardown failed');
  }
}
