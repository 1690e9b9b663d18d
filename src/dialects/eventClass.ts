// What one stream event means for the stream as a whole, in either dialect:
// the only questions the stream guards, the commit point and the relay ask.

/**
 * - `error`: an in-band error; the stream is broken from here on;
 * - `terminal`: the event that closes a complete stream ([DONE], message_stop);
 * - `finish`: the answer's content is complete (a finish reason, message_delta),
 *   even if the terminal event is then lost;
 * - `other`: anything else.
 */
export type EventClass = 'error' | 'terminal' | 'finish' | 'other';
