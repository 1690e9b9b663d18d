// Whether a stream relayed in its own format completed: its terminal event
// came, or (OpenAI only) a finish reason followed by a clean end of body,
// because OpenAI-compatible servers may omit [DONE].
import type { EventClass, WireFormat } from '../dialects/index.js';

export class StreamCompletion {
  private terminal = false;
  private finished = false;
  private ended = false;

  constructor(private readonly format: WireFormat) {}

  see(cls: EventClass): void {
    if (cls === 'terminal') this.terminal = true;
    else if (cls === 'finish') this.finished = true;
  }

  /** The body ended cleanly. */
  end(): void {
    this.ended = true;
  }

  completed(): boolean {
    return this.terminal || (this.format === 'openai' && this.finished && this.ended);
  }
}
