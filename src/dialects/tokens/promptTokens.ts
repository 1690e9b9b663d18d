// The prompt tokens of an OpenAI chat request, counted the way OpenAI's
// cookbook counts them for its chat models: each message costs its role and
// content plus 3 tokens of framing, and the reply is primed with 3 more.
// Tools are counted as the JSON of each function definition, which is close
// to (but not exactly) how OpenAI renders them for the model; an image is
// counted as 85 tokens, OpenAI's price of a low-detail image. docs/providers.md
// says how close this comes.
import type { OpenAIMessage, OpenAIRequest } from '../openai/types.js';
import type { CountTokens } from './encodings.js';

const PER_MESSAGE = 3;
const REPLY_PRIMING = 3;
const PER_NAME = 1;
const PER_IMAGE = 85;

export function countPromptTokens(req: Pick<OpenAIRequest, 'messages' | 'tools' | 'response_format'>, count: CountTokens): number {
  let total = REPLY_PRIMING;
  for (const message of req.messages) total += PER_MESSAGE + messageTokens(message, count);
  for (const tool of req.tools ?? []) total += count(JSON.stringify(tool.function));
  if (req.response_format?.json_schema !== undefined) total += count(JSON.stringify(req.response_format.json_schema));
  return total;
}

function messageTokens(message: OpenAIMessage, count: CountTokens): number {
  let n = count(message.role);
  if ('name' in message && typeof message.name === 'string') n += PER_NAME + count(message.name);
  const content = message.content;
  if (typeof content === 'string') n += count(content);
  else if (Array.isArray(content)) {
    for (const part of content) {
      if (part.type === 'text') n += count(part.text);
      else if (part.type === 'refusal') n += count(part.refusal);
      else n += PER_IMAGE;
    }
  }
  if (message.role === 'assistant') {
    for (const call of message.tool_calls ?? []) n += count(call.function.name) + count(call.function.arguments);
  }
  return n;
}
