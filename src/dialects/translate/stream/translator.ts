// The contract a caller drives while relaying one upstream stream to a client
// of the other dialect.
import type { SseEvent } from '../../sse/parser.js';

export interface StreamTranslator {
  /** Translates one upstream event; returns SSE text to write now ('' when nothing is due). */
  push(ev: SseEvent): string;
  /**
   * The upstream body ended without a transport error. Returns whatever still
   * closes the client stream — only if the upstream really completed; a stream
   * cut before its terminal event gets '' and completed() stays false.
   */
  end(): string;
  /**
   * The gateway gives up mid-stream (upstream cut, timeout). Returns the
   * client's in-band error event, or '' if the stream already completed or failed.
   */
  fail(type: string, message: string): string;
  /** The client received a proper terminal ([DONE] / message_stop). */
  completed(): boolean;
  /** A text or tool-call delta reached the client (role-only deltas and pings do not count). */
  sawContent(): boolean;
}

export interface StreamTranslatorOptions {
  /** OpenAI clients only: the client set stream_options.include_usage. */
  includeUsage: boolean;
  /** Milliseconds since the epoch, for OpenAI's `created`. */
  now?: () => number;
}
