// Keeps what the client was sent, so that when the upstream breaks what the
// client has can be read back (a StreamSummary). Recording is a push of a
// reference. Events the gateway built are kept as the objects they were
// written from and never parsed; bytes relayed as they came are parsed only
// after a break, by the client dialect's reader.
import { SseParser, type WireFormat } from '../dialects/index.js';
import { isRelayed, outputBytes, type ClientOutput } from './clientOutput.js';
import { StreamSummaryBuilder, type StreamSummary } from './streamSummary.js';

/** Past this, the stream is not kept and a break ends with an error instead of a continuation. */
export const LEDGER_LIMIT = 4 << 20;

export class ClientLedger {
  private parts: ClientOutput[] = [];
  private size = 0;

  record(out: ClientOutput): void {
    if (this.size > LEDGER_LIMIT) return;
    this.parts.push(out);
    this.size += outputBytes(out).length;
  }

  /** What the client has, or undefined when the stream outgrew the ledger. */
  summary(dialect: WireFormat): StreamSummary | undefined {
    if (this.size > LEDGER_LIMIT) return undefined;
    const summary = new StreamSummaryBuilder();
    let parser: SseParser | undefined;
    const flush = (): void => {
      for (const ev of parser?.flush() ?? []) summary.addSse(dialect, ev);
      parser = undefined;
    };
    for (const part of this.parts) {
      if (isRelayed(part)) {
        parser ??= new SseParser();
        for (const ev of parser.push(part)) summary.addSse(dialect, ev);
      } else {
        flush();
        summary.addBuilt(part);
      }
    }
    flush();
    return summary.result();
  }
}
