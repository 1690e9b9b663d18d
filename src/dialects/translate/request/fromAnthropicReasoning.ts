// Thinking and output_config, for an OpenAI-format target.
//
// For a reasoning entry, effort becomes reasoning_effort: output_config.effort
// (a system turn's own, the last one, wins over the top level), else a
// thinking budget (./effort.ts). Adaptive thinking without an effort leaves
// the model's default. Thinking cannot be turned off on a reasoning model, so
// `thinking: disabled` is dropped there. For any other entry, thinking and
// effort are dropped. All of these are hints.
//
// output_config.format (a JSON schema for the answer) is a contract and has an
// equivalent: response_format json_schema. Any other output_config key is refused.
import type { AnthropicRequest, AnthropicThinking } from '../../anthropic/types.js';
import type { OpenAIRequest } from '../../openai/types.js';
import { type Translation, translated, untranslatable } from '../../translation.js';
import type { HintLedger } from '../../translationLoss.js';
import type { TranslationTarget } from '../../translationTarget.js';
import { anthropicEffortToOpenAI, budgetToOpenAIEffort } from './effort.js';

type ReasoningFields = Pick<OpenAIRequest, 'reasoning_effort' | 'response_format'>;

const OUTPUT_CONFIG_KEYS = new Set(['effort', 'format']);
const THINKING_TYPES = new Set(['enabled', 'adaptive', 'disabled']);

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export function toOpenAIReasoning(
  req: Pick<AnthropicRequest, 'thinking' | 'output_config' | 'messages'>,
  target: TranslationTarget,
  hints: HintLedger,
): Translation<ReasoningFields> {
  const out: ReasoningFields = {};
  const config: unknown = req.output_config;
  if (config !== undefined && config !== null) {
    if (!isObject(config)) return untranslatable('output_config', 'output_config must be an object');
    for (const key of Object.keys(config)) {
      if (!OUTPUT_CONFIG_KEYS.has(key)) return untranslatable(`output_config.${key}`, `"output_config.${key}" is not supported by OpenAI-format models`);
    }
    if (config.format !== undefined && config.format !== null) {
      const format = config.format;
      if (!isObject(format) || format.type !== 'json_schema' || !isObject(format.schema)) {
        return untranslatable('output_config.format', 'only a json_schema output format can be expressed for OpenAI-format models');
      }
      out.response_format = { type: 'json_schema', json_schema: { name: 'output', schema: format.schema } };
    }
  }
  const thinking: unknown = req.thinking;
  if (thinking !== undefined && thinking !== null && (!isObject(thinking) || !THINKING_TYPES.has(thinking.type as string))) {
    return untranslatable('thinking.type', 'thinking must be enabled, adaptive or disabled');
  }
  const effort = lastTurnEffort(req.messages) ?? (isObject(config) ? config.effort : undefined);
  const refused = target.reasoning
    ? reasoningEffort(thinking as AnthropicThinking | undefined | null, effort, hints, out)
    : dropReasoning(thinking as AnthropicThinking | undefined | null, effort, hints);
  return refused ?? translated(out);
}

function reasoningEffort(thinking: AnthropicThinking | undefined | null, effort: unknown, hints: HintLedger, out: ReasoningFields) {
  if (thinking?.type === 'disabled') {
    const refused = hints.drop('thinking', 'a reasoning model cannot turn its reasoning off');
    if (refused) return refused;
  }
  if (effort !== undefined) {
    const mapped = anthropicEffortToOpenAI(effort);
    if (mapped === undefined) return hints.drop('output_config.effort', `effort ${JSON.stringify(effort)} has no reasoning_effort equivalent`);
    out.reasoning_effort = mapped;
  } else if (thinking?.type === 'enabled' && typeof thinking.budget_tokens === 'number') {
    out.reasoning_effort = budgetToOpenAIEffort(thinking.budget_tokens);
  }
  return undefined;
}

function dropReasoning(thinking: AnthropicThinking | undefined | null, effort: unknown, hints: HintLedger) {
  if (thinking && thinking.type !== 'disabled') {
    const refused = hints.drop('thinking', `thinking ${JSON.stringify(thinking.type)} needs a reasoning model (reasoning: true on the entry)`);
    if (refused) return refused;
  }
  if (effort !== undefined) return hints.drop('output_config.effort', 'effort needs a reasoning model (reasoning: true on the entry)');
  return undefined;
}

/** The effort of the last system turn that sets one (per-turn-control). */
function lastTurnEffort(messages: AnthropicRequest['messages']): unknown {
  if (!Array.isArray(messages)) return undefined;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m?.role === 'system' && isObject(m.output_config) && m.output_config.effort !== undefined) return m.output_config.effort;
  }
  return undefined;
}
