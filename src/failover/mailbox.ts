// A queue with one reader that awaits the next item: the race's events (an
// attempt reached a milestone or ended, a hedge is due) arrive from callbacks
// and promises in any order and are handled one at a time, in order.
export class Mailbox<T> {
  private readonly queue: T[] = [];
  private reader: ((item: T) => void) | undefined;

  push(item: T): void {
    const reader = this.reader;
    if (reader === undefined) {
      this.queue.push(item);
      return;
    }
    this.reader = undefined;
    reader(item);
  }

  /** The next item; one caller at a time. */
  next(): Promise<T> {
    if (this.queue.length > 0) return Promise.resolve(this.queue.shift() as T);
    return new Promise((resolve) => {
      this.reader = resolve;
    });
  }
}
