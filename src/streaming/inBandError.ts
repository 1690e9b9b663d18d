// How a committed stream ends when it cannot be completed: an error event in
// the client's dialect, then a clean close. Never [DONE], a finish_reason
// "stop" or message_stop, which would make a truncated answer look complete.
import type { WireFormat } from '../dialects/wireFormat.js';
import { anthropicEvent, OPENAI_DONE } from '../dialects/index.js';
import { anthropicOutput, openAIOutput, type BuiltOutput } from './clientOutput.js';

export function inBandError(client: WireFormat, message: string, code: string): BuiltOutput {
  if (client === 'openai') {
    return openAIOutput([{ kind: 'error', body: { error: { message, type: 'upstream_stream_error', param: null, code } } }]);
  }
  return anthropicOutput([anthropicEvent({ type: 'error', error: { type: 'api_error', message } })]);
}

/** The terminal event for a stream whose content was complete when its upstream broke. */
export function terminalEvent(client: WireFormat): BuiltOutput {
  return client === 'openai' ? openAIOutput([OPENAI_DONE]) : anthropicOutput([anthropicEvent({ type: 'message_stop' })]);
}
