// Keeps what the client was sent, so that when the upstream breaks what the
// client has can be read back (a StreamSummary). Events the gateway built are
// kept as the objects they were written from and never parsed; bytes relayed
// as they came are parsed only after a break, by the client dialect's reader.
//
// Relayed bytes are copied into one growing buffer rather than kept as the
// chunks they arrived in: each chunk is its own allocation of a few hundred
// bytes that costs over a kilobyte of RSS, and a slow stream (a reasoning model
// sending a token a second for minutes) would hold one per event. The copy is
// a few hundred bytes per event.
//
// Once the run passes FOLD_BYTES and ends with a whole event, everything kept
// so far is read into a StreamSummaryBuilder and let go: a long stream keeps
// its text so far (a few bytes a token) rather than every event it relayed (a
// few hundred). Each event is then read once during the stream instead of once
// after a break, and only in streams longer than FOLD_BYTES.
import { endsWithEventBoundary, SseParser, type WireFormat } from '../dialects/index.js';
import { isRelayed, type BuiltOutput, type ClientOutput } from './clientOutput.js';
import { StreamSummaryBuilder, type StreamSummary } from './streamSummary.js';

/** Past this, the stream is not kept and a break ends with an error instead of a continuation. */
export const LEDGER_LIMIT = 4 << 20;

/** The first buffer for relayed bytes: a short answer's events fit without a regrowth. */
const FIRST_RUN_BYTES = 2048;

/** Relayed bytes past this are read into the summary and let go (the buffer is reused). */
export const FOLD_BYTES = 8192;

/** Reads the parts, in the order the client got them, into `summary`. */
function readInto(summary: StreamSummaryBuilder, dialect: WireFormat, parts: readonly (Buffer | BuiltOutput)[]): void {
  let parser: SseParser | undefined;
  const flush = (): void => {
    for (const ev of parser?.flush() ?? []) summary.addSse(dialect, ev);
    parser = undefined;
  };
  for (const part of parts) {
    if (Buffer.isBuffer(part)) {
      parser ??= new SseParser();
      for (const ev of parser.push(part)) summary.addSse(dialect, ev);
    } else {
      flush();
      summary.addBuilt(part);
    }
  }
  flush();
}

export class ClientLedger {
  /** Sealed runs of relayed bytes and the built outputs between them, in the order the client got them. */
  private parts: (Buffer | BuiltOutput)[] = [];
  /** The open run of relayed bytes: its first `runLength` bytes, with room to grow. */
  private run: Buffer | undefined;
  private runLength = 0;
  private size = 0;
  private overflowed = false;
  /** What the parts already let go of told. */
  private folded: StreamSummaryBuilder | undefined;

  /** `dialect` is the client's: what it was sent is read back in it. */
  constructor(private readonly dialect: WireFormat) {}

  record(out: ClientOutput): void {
    if (this.overflowed) return;
    const length = isRelayed(out) ? (typeof out === 'string' ? Buffer.byteLength(out) : out.length) : out.text.length;
    if (this.size + length > LEDGER_LIMIT) {
      // Never summarised now: let it all go.
      this.overflowed = true;
      this.parts = [];
      this.run = undefined;
      this.folded = undefined;
      return;
    }
    this.size += length;
    if (!isRelayed(out)) {
      this.seal();
      this.parts.push(out);
      return;
    }
    const run = this.reserve(length);
    if (typeof out === 'string') run.write(out, this.runLength);
    else run.set(out, this.runLength);
    this.runLength += length;
    if (this.runLength >= FOLD_BYTES && endsWithEventBoundary(run, this.runLength)) this.fold(run);
  }

  /** Reads everything kept into the folded summary and lets it go; the run's buffer is kept for what comes next. */
  private fold(run: Buffer): void {
    this.parts.push(run.subarray(0, this.runLength));
    this.folded ??= new StreamSummaryBuilder();
    readInto(this.folded, this.dialect, this.parts);
    this.parts = [];
    this.runLength = 0;
  }

  /** The open run, with room for `length` more bytes. */
  private reserve(length: number): Buffer {
    const need = this.runLength + length;
    if (this.run !== undefined && need <= this.run.length) return this.run;
    const grown = Buffer.allocUnsafeSlow(Math.max(need, 2 * (this.run?.length ?? 0), FIRST_RUN_BYTES));
    this.run?.copy(grown, 0, 0, this.runLength);
    this.run = grown;
    return grown;
  }

  private seal(): void {
    if (this.run === undefined) return;
    this.parts.push(this.run.subarray(0, this.runLength));
    this.run = undefined;
    this.runLength = 0;
  }

  /** What the client has, or undefined when the stream outgrew the ledger. */
  summary(): StreamSummary | undefined {
    if (this.overflowed) return undefined;
    // A copy: the stream may go on (continued) and be summarised again after another break.
    const summary = this.folded?.copy() ?? new StreamSummaryBuilder();
    readInto(summary, this.dialect, this.run === undefined ? this.parts : [...this.parts, this.run.subarray(0, this.runLength)]);
    return summary.result();
  }
}
