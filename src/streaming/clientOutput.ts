// What one write to the client is: upstream bytes relayed as they came, or
// events the gateway built, kept as objects next to their one serialisation
// (so the ledger can read them back without parsing what the gateway wrote).
import { writeAnthropicEvent, writeOpenAIEvent, writeResponsesEvent, type AnthropicEvent, type OpenAIEvent, type ResponsesEvent } from '../dialects/index.js';

export type BuiltOutput =
  | { readonly dialect: 'openai'; readonly events: readonly OpenAIEvent[]; readonly text: string }
  | { readonly dialect: 'anthropic'; readonly events: readonly AnthropicEvent[]; readonly text: string }
  | { readonly dialect: 'responses'; readonly events: readonly ResponsesEvent[]; readonly text: string };

export type ClientOutput = string | Buffer | BuiltOutput;

export function openAIOutput(events: readonly OpenAIEvent[]): BuiltOutput {
  let text = '';
  for (const e of events) text += writeOpenAIEvent(e);
  return { dialect: 'openai', events, text };
}

export function anthropicOutput(events: readonly AnthropicEvent[]): BuiltOutput {
  let text = '';
  for (const e of events) text += writeAnthropicEvent(e);
  return { dialect: 'anthropic', events, text };
}

export function responsesOutput(events: readonly ResponsesEvent[]): BuiltOutput {
  let text = '';
  for (const e of events) text += writeResponsesEvent(e);
  return { dialect: 'responses', events, text };
}

export function isRelayed(out: ClientOutput): out is string | Buffer {
  return typeof out === 'string' || Buffer.isBuffer(out);
}

/** What goes on the wire. */
export function outputBytes(out: ClientOutput): string | Buffer {
  return isRelayed(out) ? out : out.text;
}
