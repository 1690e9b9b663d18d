// Reasoning effort between the formats. Anthropic speaks of an effort word
// (output_config.effort: low, medium, high, xhigh, max) and of a thinking
// budget in tokens; OpenAI's reasoning models take reasoning_effort (minimal,
// low, medium, high). Pure and table-driven, so the docs can quote the tables.

export type OpenAIEffort = 'minimal' | 'low' | 'medium' | 'high';

/** Anthropic effort words → reasoning_effort. OpenAI has nothing above high. */
const FROM_ANTHROPIC_WORD: Readonly<Record<string, OpenAIEffort>> = {
  low: 'low',
  medium: 'medium',
  high: 'high',
  xhigh: 'high',
  max: 'high',
};

export const anthropicEffortToOpenAI = (word: unknown): OpenAIEffort | undefined =>
  typeof word === 'string' ? FROM_ANTHROPIC_WORD[word] : undefined;

/**
 * A thinking budget → reasoning_effort: below 8k tokens is low, below 24k
 * medium, above that high (Claude Code's default budget, 31999, is high).
 */
export function budgetToOpenAIEffort(budgetTokens: number): OpenAIEffort {
  if (budgetTokens < 8192) return 'low';
  if (budgetTokens < 24576) return 'medium';
  return 'high';
}

/** reasoning_effort → a thinking budget; Anthropic's minimum budget is 1024. `none` means no thinking. */
const TO_BUDGET: Readonly<Record<string, number>> = {
  minimal: 1024,
  low: 4096,
  medium: 16384,
  high: 32768,
};

export const openAIEffortToBudget = (effort: unknown): number | undefined =>
  typeof effort === 'string' ? TO_BUDGET[effort] : undefined;

/** The smallest thinking budget Anthropic accepts. */
export const MIN_THINKING_BUDGET = 1024;
