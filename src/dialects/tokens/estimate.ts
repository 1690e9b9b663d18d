// Input-token estimates for answers that must carry one before the provider
// reports it: an OpenAI-format provider streams usage only at the end, but an
// Anthropic client reads input_tokens from message_start. The estimate uses
// the model's tokenizer when it is already loaded (a count_tokens request
// loads it), else about 4 characters a token. It never starts a load itself:
// evaluating an encoding blocks the event loop for a few hundred ms (over a
// second on a busy machine) and adds about 70 MB, a stall every stream in
// flight would feel, for a figure the provider corrects in message_delta.
import type { OpenAIRequest } from '../openai/types.js';
import { encodingFor, loadedEncoding } from './encodings.js';
import { countPromptTokens } from './promptTokens.js';

const CHARS_PER_TOKEN = 4;

/** The rough count used while a tokenizer loads: about 4 characters a token for English and code. */
export const approximateTokens = (text: string): number => Math.ceil(text.length / CHARS_PER_TOKEN);

export function estimateInputTokens(req: Pick<OpenAIRequest, 'model' | 'messages' | 'tools' | 'response_format'>): number {
  const name = encodingFor(req.model);
  const count = loadedEncoding(name);
  return countPromptTokens(req, count ?? approximateTokens);
}
