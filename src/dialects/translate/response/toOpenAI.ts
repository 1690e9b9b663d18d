// An Anthropic Messages response, for an OpenAI client.
// Losses (tested): thinking blocks are dropped; text blocks are joined into one
// content string; which stop sequence matched is not reported (see
// stopReason.ts); cache writes are folded into prompt_tokens (see usage.ts).
import type { AnthropicResponse } from '../../anthropic/types.js';
import type { OpenAIResponse, OpenAIToolCall } from '../../openai/types.js';
import { anthropicStopToFinishReason } from '../stopReason.js';
import { anthropicUsageToOpenAI } from '../usage.js';

export interface ResponseClock {
  /** Milliseconds since the epoch; `created` is derived from it. */
  now?: () => number;
}

export function anthropicToOpenAIResponse(resp: AnthropicResponse, opts: ResponseClock = {}): OpenAIResponse {
  const texts: string[] = [];
  const toolCalls: OpenAIToolCall[] = [];
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the wire type is what a valid message holds; this checks the one that came is
  for (const block of resp.content ?? []) {
    if (block.type === 'text') texts.push(block.text);
    else if (block.type === 'tool_use') {
      toolCalls.push({ id: block.id, type: 'function', function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) } });
    }
  }
  const message: OpenAIResponse['choices'][number]['message'] = {
    role: 'assistant',
    content: texts.length > 0 ? texts.join('') : null,
    refusal: null,
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return {
    id: resp.id,
    object: 'chat.completion',
    created: Math.floor((opts.now ?? Date.now)() / 1000),
    model: resp.model,
    choices: [{ index: 0, message, finish_reason: anthropicStopToFinishReason(resp.stop_reason), logprobs: null }],
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the wire type is what a valid message holds; this checks the one that came is
    usage: anthropicUsageToOpenAI(resp.usage ?? {}),
  };
}
