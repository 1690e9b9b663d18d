// Incremental Server-Sent Events parser (WHATWG event-stream rules, minus
// `id`/`retry`, which only a reconnecting browser needs). Bytes go through a
// StringDecoder so a UTF-8 sequence split across chunks is held back; lines are
// found with indexOf over whole chunks, never byte by byte, and a line spread
// over many chunks is joined once, when its terminator arrives.
import { StringDecoder } from 'node:string_decoder';

export interface SseEvent {
  readonly event: string | undefined;
  readonly data: string;
}

const LF = 10;
const COLON = 58;
const SPACE = 32;

export class SseParser {
  private readonly decoder = new StringDecoder('utf8');
  /** Pieces of a line whose terminator has not arrived yet. */
  private pending: string[] = [];
  /** The last chunk ended on CR, so a LF opening the next one ends no extra line. */
  private skipLeadingLf = false;
  private atStreamStart = true;
  private eventType: string | undefined = undefined;
  private dataLines: string[] = [];

  /** Feeds bytes (or already-decoded text, not mixed with bytes) and returns the events they complete. */
  push(chunk: Buffer | string): SseEvent[] {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const out: SseEvent[] = [];
    if (text.length > 0) this.scan(text, out);
    return out;
  }

  /**
   * Ends the stream. Unlike a browser EventSource, a final event that lacks its
   * blank line is still delivered: upstreams that drop the trailing newline
   * (often after `data: [DONE]`) must not lose their last event.
   */
  flush(): SseEvent[] {
    const out: SseEvent[] = [];
    const tail = this.decoder.end();
    if (tail.length > 0) this.scan(tail, out);
    if (this.pending.length > 0) {
      const line = this.pending.join('');
      this.pending = [];
      if (line.length > 0) this.processLine(line, out);
    }
    this.skipLeadingLf = false;
    this.dispatch(out);
    return out;
  }

  private scan(text: string, out: SseEvent[]): void {
    let pos = 0;
    if (this.atStreamStart) {
      this.atStreamStart = false;
      if (text.charCodeAt(0) === 0xfeff) pos = 1;
    }
    if (this.skipLeadingLf) {
      this.skipLeadingLf = false;
      if (text.charCodeAt(pos) === LF) pos += 1;
    }
    let cr = text.indexOf('\r', pos);
    let lf = text.indexOf('\n', pos);
    while (pos < text.length) {
      if (cr !== -1 && cr < pos) cr = text.indexOf('\r', pos);
      if (lf !== -1 && lf < pos) lf = text.indexOf('\n', pos);
      let end: number;
      let next: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        end = cr;
        if (cr + 1 === text.length) {
          this.skipLeadingLf = true;
          next = cr + 1;
        } else {
          next = text.charCodeAt(cr + 1) === LF ? cr + 2 : cr + 1;
        }
      } else if (lf !== -1) {
        end = lf;
        next = lf + 1;
      } else {
        this.pending.push(pos === 0 ? text : text.slice(pos));
        return;
      }
      let line = text.slice(pos, end);
      if (this.pending.length > 0) {
        this.pending.push(line);
        line = this.pending.join('');
        this.pending = [];
      }
      this.processLine(line, out);
      pos = next;
    }
  }

  private processLine(line: string, out: SseEvent[]): void {
    if (line.length === 0) {
      this.dispatch(out);
      return;
    }
    if (line.charCodeAt(0) === COLON) return; // comment, e.g. keep-alive
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = '';
    if (colon !== -1) value = line.slice(line.charCodeAt(colon + 1) === SPACE ? colon + 2 : colon + 1);
    if (field === 'data') this.dataLines.push(value);
    else if (field === 'event') this.eventType = value;
  }

  private dispatch(out: SseEvent[]): void {
    if (this.dataLines.length > 0) {
      const data = this.dataLines.length === 1 ? (this.dataLines[0] as string) : this.dataLines.join('\n');
      out.push({ event: this.eventType === '' ? undefined : this.eventType, data });
    }
    this.dataLines = [];
    this.eventType = undefined;
  }
}
