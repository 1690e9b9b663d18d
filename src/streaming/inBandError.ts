// How a committed stream ends when it cannot be completed: an error event in
// the client's dialect, then a clean close. Never [DONE], a finish_reason
// "stop" or message_stop, which would make a truncated answer look complete.
import type { WireFormat } from '../dialects/wireFormat.js';
import { formatSseJson } from '../dialects/index.js';

export function inBandError(client: WireFormat, message: string, code: string): string {
  if (client === 'openai') {
    return formatSseJson(undefined, { error: { message, type: 'upstream_stream_error', param: null, code } });
  }
  return formatSseJson('error', { type: 'error', error: { type: 'api_error', message } });
}

/** The terminal event for a stream whose content was complete when its upstream broke. */
export function terminalEvent(client: WireFormat): string {
  return client === 'openai' ? 'data: [DONE]\n\n' : formatSseJson('message_stop', { type: 'message_stop' });
}
