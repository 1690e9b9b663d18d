// Token counts read from a provider's answer, in either dialect, for metrics
// and traces. The two dialects name their fields apart (prompt_tokens vs
// input_tokens), so one reader serves both. Input counts every prompt token,
// cached or not, as translate/usage.ts decides for the OpenAI view of an
// Anthropic answer.

export interface TokenUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

const count = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);

/** One field of a usage object, however it is held: parsed, or scanned in its bytes (upstream/answer.ts). */
export type UsageField = (name: string) => unknown;

/** Token counts from a usage object's fields; undefined when it names neither dialect's. */
export function tokenUsageOf(field: UsageField): TokenUsage | undefined {
  const prompt = field('prompt_tokens');
  const completion = field('completion_tokens');
  if (prompt !== undefined || completion !== undefined) return { inputTokens: count(prompt), outputTokens: count(completion) };
  const input = field('input_tokens');
  const output = field('output_tokens');
  if (input === undefined && output === undefined) return undefined;
  return { inputTokens: count(input) + count(field('cache_read_input_tokens')) + count(field('cache_creation_input_tokens')), outputTokens: count(output) };
}

/** The usage object of an answer, a stream chunk or an Anthropic message; undefined when it has none. */
export function readTokenUsage(usage: unknown): TokenUsage | undefined {
  if (usage === null || typeof usage !== 'object') return undefined;
  const u = usage as Record<string, unknown>;
  return tokenUsageOf((name) => u[name]);
}

/** What an answer says about itself: its usage and the model that wrote it, when it says. */
export interface AnswerFacts {
  readonly usage: TokenUsage | undefined;
  readonly model: string | undefined;
}

/** Facts of an answer body (OpenAI chat.completion or Anthropic message): its usage object's fields, if it has one, and its model. */
export function answerFacts(usage: UsageField | undefined, model: unknown): AnswerFacts {
  return { usage: usage === undefined ? undefined : tokenUsageOf(usage), model: typeof model === 'string' ? model : undefined };
}
