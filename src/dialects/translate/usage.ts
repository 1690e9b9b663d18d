// Token usage between the two dialects.
//
// Decision: OpenAI's prompt_tokens counts every prompt token, cached or not,
// while Anthropic's input_tokens excludes both cache reads and cache writes.
// So prompt_tokens = input + cache_read + cache_creation, and
// prompt_tokens_details.cached_tokens = cache_read.
// Loss (Anthropic → OpenAI): cache_creation_input_tokens has no OpenAI field;
// it is counted inside prompt_tokens but no longer reported separately.
// Loss (OpenAI → Anthropic): OpenAI does not report cache writes, so
// cache_creation_input_tokens is 0 and every uncached prompt token is input.
import type { AnthropicUsage } from '../anthropic/types.js';
import type { OpenAIUsage } from '../openai/types.js';

export function anthropicUsageToOpenAI(usage: Partial<AnthropicUsage>): OpenAIUsage {
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const prompt = (usage.input_tokens ?? 0) + cacheRead + (usage.cache_creation_input_tokens ?? 0);
  const completion = usage.output_tokens ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cacheRead },
  };
}

export function openAIUsageToAnthropic(usage: OpenAIUsage): AnthropicUsage {
  const cached = usage.prompt_tokens_details?.cached_tokens ?? 0;
  return {
    input_tokens: Math.max(0, usage.prompt_tokens - cached),
    output_tokens: usage.completion_tokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: cached,
  };
}
