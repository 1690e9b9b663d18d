// The contract a caller drives while relaying one upstream stream to a client
// of the other dialect: upstream events in (read once by the upstream
// dialect's reader), client events out (each written once by the caller).

export interface StreamTranslator<In, Out> {
  /** Translates one upstream event; returns the client events due now (none is fine). */
  push(e: In): Out[];
  /**
   * The upstream body ended without a transport error. Returns whatever still
   * closes the client stream — only if the upstream really completed; a stream
   * cut before its terminal event gets nothing and completed() stays false.
   */
  end(): Out[];
  /**
   * The gateway gives up mid-stream (upstream cut, timeout). Returns the
   * client's in-band error event, or nothing if the stream already completed or failed.
   */
  fail(type: string, message: string): Out[];
  /** The client received a proper terminal ([DONE] / message_stop). */
  completed(): boolean;
  /** A text or tool-call delta reached the client (role-only deltas and pings do not count). */
  sawContent(): boolean;
}

export interface StreamTranslatorOptions {
  /** OpenAI clients only: the client set stream_options.include_usage. */
  includeUsage: boolean;
  /**
   * Anthropic clients only: the prompt's input tokens for message_start
   * (an estimate: OpenAI-format providers report usage only at the end).
   * Called once, when message_start is written.
   */
  inputTokens?: () => number;
  /** Anthropic clients only: reasoning content becomes unsigned thinking blocks (see ../reasoning.ts); else it is left out. */
  thinkingBlocks?: boolean;
  /** Milliseconds since the epoch, for OpenAI's `created`. */
  now?: () => number;
}

/** What an upstream event that is not JSON becomes: it cannot be translated, so it ends the stream. */
export const UNPARSEABLE_EVENT = 'upstream sent an unparseable stream event';
