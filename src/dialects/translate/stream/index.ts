// Chooses how an upstream stream reaches the client. Same-format pairs are
// never translated: the caller relays the events untouched.
import type { AnthropicEvent } from '../../anthropic/events.js';
import type { OpenAIEvent } from '../../openai/events.js';
import type { EntryFormat } from '../../wireFormat.js';
import { AnthropicStreamSequencer } from './toAnthropic.js';
import { OpenAIChunkSequencer } from './toOpenAI.js';
import type { StreamTranslator, StreamTranslatorOptions } from './translator.js';

export type StreamRelay =
  | { readonly mode: 'passthrough' }
  | { readonly mode: 'translate'; readonly to: 'openai'; readonly translator: StreamTranslator<AnthropicEvent, OpenAIEvent> }
  | { readonly mode: 'translate'; readonly to: 'anthropic'; readonly translator: StreamTranslator<OpenAIEvent, AnthropicEvent> };

/** Between the two entry formats; a Responses client's stream is sequenced from Chat Completions (toResponses.ts). */
export function createStreamTranslator(from: EntryFormat, to: EntryFormat, opts: StreamTranslatorOptions): StreamRelay {
  if (from === to) return { mode: 'passthrough' };
  return to === 'openai'
    ? { mode: 'translate', to, translator: new OpenAIChunkSequencer(opts) }
    : { mode: 'translate', to, translator: new AnthropicStreamSequencer(opts) };
}

export type { StreamTranslator, StreamTranslatorOptions } from './translator.js';
