// Chooses how an upstream stream reaches the client. Same-format pairs are
// never translated: the caller relays the bytes untouched.
import type { WireFormat } from '../../wireFormat.js';
import { AnthropicStreamSequencer } from './toAnthropic.js';
import { OpenAIChunkSequencer } from './toOpenAI.js';
import type { StreamTranslator, StreamTranslatorOptions } from './translator.js';

export type StreamRelay = { mode: 'passthrough' } | { mode: 'translate'; translator: StreamTranslator };

export function createStreamTranslator(
  from: WireFormat,
  to: WireFormat,
  opts: StreamTranslatorOptions,
): StreamRelay {
  if (from === to) return { mode: 'passthrough' };
  return { mode: 'translate', translator: to === 'openai' ? new OpenAIChunkSequencer(opts) : new AnthropicStreamSequencer() };
}

export type { StreamTranslator, StreamTranslatorOptions } from './translator.js';
