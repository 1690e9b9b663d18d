// Token counts read from a provider's answer, in either dialect, for metrics
// and traces. The two dialects name their fields apart (prompt_tokens vs
// input_tokens), so one reader serves both. Input counts every prompt token,
// cached or not, as translate/usage.ts decides for the OpenAI view of an
// Anthropic answer.

export interface TokenUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** Every field of a usage object that readTokenUsage reads, for readers that pick fields rather than parse the object. */
export const USAGE_COUNT_FIELDS = ['prompt_tokens', 'completion_tokens', 'input_tokens', 'output_tokens', 'cache_read_input_tokens', 'cache_creation_input_tokens'] as const;

const count = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);

/** The usage object of an answer, a stream chunk or an Anthropic message; undefined when it has none. */
export function readTokenUsage(usage: unknown): TokenUsage | undefined {
  if (usage === null || typeof usage !== 'object') return undefined;
  const u = usage as Record<string, unknown>;
  if ('prompt_tokens' in u || 'completion_tokens' in u) {
    return { inputTokens: count(u['prompt_tokens']), outputTokens: count(u['completion_tokens']) };
  }
  if ('input_tokens' in u || 'output_tokens' in u) {
    const input = count(u['input_tokens']) + count(u['cache_read_input_tokens']) + count(u['cache_creation_input_tokens']);
    return { inputTokens: input, outputTokens: count(u['output_tokens']) };
  }
  return undefined;
}

/** What an answer says about itself: its usage and the model that wrote it, when it says. */
export interface AnswerFacts {
  readonly usage: TokenUsage | undefined;
  readonly model: string | undefined;
}

/** Facts of a parsed answer body (OpenAI chat.completion or Anthropic message). */
export function answerFacts(body: Record<string, unknown>): AnswerFacts {
  const model = body['model'];
  return { usage: readTokenUsage(body['usage']), model: typeof model === 'string' ? model : undefined };
}
