// reasoning_effort, for an Anthropic-format target.
//
// A reasoning entry (`reasoning: true`: a model with extended thinking) gets
// a thinking budget (./effort.ts), kept below max_tokens as Anthropic
// requires. Thinking cannot be combined with a temperature other than 1 or
// with a forced tool_choice, and needs a budget of at least 1024 tokens; in
// those cases, and for any other entry, reasoning_effort is dropped as a hint.
// `none` asks for no reasoning, which is what no thinking block means.
import type { AnthropicRequest } from '../../anthropic/types.js';
import type { OpenAIRequest } from '../../openai/types.js';
import type { Untranslatable } from '../../translation.js';
import type { HintLedger } from '../../translationLoss.js';
import type { TranslationTarget } from '../../translationTarget.js';
import { MIN_THINKING_BUDGET, openAIEffortToBudget } from './effort.js';

/** Sets `out.thinking` when the effort maps; returns a refusal under translation: strict. */
export function applyReasoningEffort(req: OpenAIRequest, target: TranslationTarget, hints: HintLedger, out: AnthropicRequest): Untranslatable | undefined {
  const effort = req.reasoning_effort;
  if (effort === undefined || effort === null || effort === 'none') return undefined;
  const why = obstacle(effort, target, out);
  if (why !== undefined) return hints.drop('reasoning_effort', why);
  const budget = Math.min(openAIEffortToBudget(effort) ?? 0, out.max_tokens - 1);
  out.thinking = { type: 'enabled', budget_tokens: budget };
  return undefined;
}

function obstacle(effort: string, target: TranslationTarget, out: AnthropicRequest): string | undefined {
  if (!target.reasoning) return 'reasoning_effort needs a model with extended thinking (reasoning: true on the entry)';
  const budget = openAIEffortToBudget(effort);
  if (budget === undefined) return `reasoning_effort ${JSON.stringify(effort)} has no thinking-budget equivalent`;
  if (out.max_tokens - 1 < MIN_THINKING_BUDGET) return `max_tokens ${out.max_tokens} leaves no room for Anthropic's minimum thinking budget (${MIN_THINKING_BUDGET})`;
  if (out.temperature !== undefined && out.temperature !== 1) return 'Anthropic models cannot think with a temperature other than 1';
  const forced = out.tool_choice?.type;
  if (forced === 'any' || forced === 'tool') return 'Anthropic models cannot think when tool_choice forces a tool';
  return undefined;
}
