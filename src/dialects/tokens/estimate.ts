// Input-token estimates for answers that must carry one before the provider
// reports it: an OpenAI-format provider streams usage only at the end, but an
// Anthropic client reads input_tokens from message_start. The estimate uses
// the model's tokenizer when it is loaded; until then (the first moments after
// the first such request) it falls back to 4 characters a token and starts the
// load, so no answer ever waits for a tokenizer to load.
import type { OpenAIRequest } from '../openai/types.js';
import { encodingFor, loadedEncoding, loadEncoding } from './encodings.js';
import { countPromptTokens } from './promptTokens.js';

const CHARS_PER_TOKEN = 4;

/** The rough count used while a tokenizer loads: about 4 characters a token for English and code. */
export const approximateTokens = (text: string): number => Math.ceil(text.length / CHARS_PER_TOKEN);

export function estimateInputTokens(req: Pick<OpenAIRequest, 'model' | 'messages' | 'tools' | 'response_format'>): number {
  const name = encodingFor(req.model);
  const count = loadedEncoding(name);
  if (count) return countPromptTokens(req, count);
  // A failed load leaves the approximation in place; nothing to report per request.
  loadEncoding(name).catch(() => undefined);
  return countPromptTokens(req, approximateTokens);
}
