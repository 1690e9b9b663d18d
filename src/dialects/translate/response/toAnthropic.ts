// An OpenAI Chat Completions response, for an Anthropic client.
// Losses (tested): only choice 0 is used (requests with n > 1 are refused
// upstream of here); stop_sequence is always null; a refusal becomes a text
// block with stop_reason "refusal"; tool arguments that are not a JSON object
// are kept as {"_unparsed_arguments": "<raw>"} so the client sees them rather
// than an empty input; a response without usage reports zero tokens;
// reasoning content is a thinking block only for clients that asked to see
// thinking, and it is unsigned (../reasoning.ts).
import type { AnthropicContentBlock, AnthropicResponse } from '../../anthropic/types.js';
import { choiceZero } from '../../openai/choiceZero.js';
import type { OpenAIResponse } from '../../openai/types.js';
import { finishReasonToAnthropicStop } from '../stopReason.js';
import { openAIUsageToAnthropic } from '../usage.js';
import { reasoningText } from '../reasoning.js';

export interface ToAnthropicResponseOptions {
  /** Reasoning content becomes a leading thinking block with an empty signature (see ../reasoning.ts); else it is left out. */
  readonly thinkingBlocks: boolean;
}

export function openAIToAnthropicResponse(resp: OpenAIResponse, opts: ToAnthropicResponseOptions = { thinkingBlocks: false }): AnthropicResponse {
  const choice = choiceZero(resp.choices);
  const content: AnthropicContentBlock[] = [];
  const message = choice?.message;
  const reasoning = opts.thinkingBlocks ? reasoningText(message) : undefined;
  if (reasoning !== undefined) content.push({ type: 'thinking', thinking: reasoning, signature: '' });
  if (typeof message?.content === 'string' && message.content.length > 0) content.push({ type: 'text', text: message.content });
  const refused = typeof message?.refusal === 'string' && message.refusal.length > 0;
  if (refused) content.push({ type: 'text', text: message.refusal as string });
  for (const call of message?.tool_calls ?? []) {
    content.push({ type: 'tool_use', id: call.id, name: call.function.name, input: toolInput(call.function.arguments) });
  }
  return {
    id: resp.id,
    type: 'message',
    role: 'assistant',
    model: resp.model,
    content,
    stop_reason: refused ? 'refusal' : finishReasonToAnthropicStop(choice?.finish_reason),
    stop_sequence: null,
    usage: resp.usage
      ? openAIUsageToAnthropic(resp.usage)
      : { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  };
}

export function toolInput(args: string | undefined): Record<string, unknown> {
  if (args === undefined || args.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(args);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through: keep the raw text visible to the client
  }
  return { _unparsed_arguments: args };
}
