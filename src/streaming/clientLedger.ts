// Keeps what the client was sent, so that when the upstream breaks the text
// so far can be read back (summarizeClientStream). Recording is a push of a
// reference; parsing happens only after a break.
import type { WireFormat } from '../dialects/wireFormat.js';
import { SseParser } from '../dialects/index.js';
import { summarizeClientStream, type StreamSummary } from './streamSummary.js';

/** Past this, the stream is not kept and a break ends with an error instead of a continuation. */
export const LEDGER_LIMIT = 4 << 20;

export class ClientLedger {
  private parts: (string | Buffer)[] = [];
  private size = 0;

  record(out: string | Buffer): void {
    if (this.size > LEDGER_LIMIT) return;
    this.parts.push(out);
    this.size += out.length;
  }

  /** What the client has, or undefined when the stream outgrew the ledger. */
  summary(dialect: WireFormat): StreamSummary | undefined {
    if (this.size > LEDGER_LIMIT) return undefined;
    const parser = new SseParser();
    const events = [];
    for (const p of this.parts) events.push(...parser.push(p));
    events.push(...parser.flush());
    return summarizeClientStream(dialect, events);
  }
}
