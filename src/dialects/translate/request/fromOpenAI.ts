// An OpenAI Chat Completions request, to be served by an Anthropic model.
//
// Every top-level field is either mapped, accepted only at its no-op value, or
// dropped as a hint because it steers OpenAI's platform rather than the
// completion (store, service_tier, metadata, prompt_cache_key; named, or
// refused under translation: strict). Anything else is refused naming the field.
//
// Decisions: max_tokens defaults to DEFAULT_MAX_TOKENS when absent
// (max_completion_tokens wins over max_tokens), lowered to the entry's
// max_output_tokens; reasoning_effort becomes a thinking budget for reasoning
// entries (./fromOpenAIReasoning.ts); temperature above 1 is refused
// because Anthropic's range is 0–1 and rescaling would change its meaning;
// `user` (or `safety_identifier`) becomes metadata.user_id.
import type { AnthropicRequest } from '../../anthropic/types.js';
import type { OpenAIRequest } from '../../openai/types.js';
import { untranslatable } from '../../translation.js';
import { HintLedger, withDropped, type RequestTranslation } from '../../translationLoss.js';
import type { TranslationTarget } from '../../translationTarget.js';
import { toAnthropicConversation } from './fromOpenAIMessages.js';
import { toAnthropicTools } from './fromOpenAITools.js';
import { applyReasoningEffort } from './fromOpenAIReasoning.js';
import { clampMaxTokens } from './maxTokens.js';

/** Anthropic requires max_tokens; OpenAI lets the model decide. */
export const DEFAULT_MAX_TOKENS = 4096;

const MAPPED = new Set([
  'model', 'messages', 'max_tokens', 'max_completion_tokens', 'temperature', 'top_p', 'stop', 'stream',
  'stream_options', 'user', 'safety_identifier', 'tools', 'tool_choice', 'parallel_tool_calls', 'functions',
  'function_call', 'reasoning_effort',
]);

/**
 * Hints that steer OpenAI's platform (storage, capacity, caching) rather than
 * the completion, each with the values that ask for nothing and so lose nothing.
 */
const HINTS: Readonly<Record<string, (v: unknown) => boolean>> = {
  store: (v) => v === false,
  service_tier: (v) => v === 'auto' || v === 'default',
  metadata: (v) => typeof v === 'object' && v !== null && Object.keys(v).length === 0,
  prompt_cache_key: () => false,
};

const isEmpty = (v: unknown): boolean => v === null || v === undefined;

/** Fields Anthropic cannot honour, accepted only when they ask for nothing. */
const NEUTRAL_ONLY: Readonly<Record<string, (v: unknown) => boolean>> = {
  n: (v) => isEmpty(v) || v === 1,
  logprobs: (v) => isEmpty(v) || v === false,
  top_logprobs: isEmpty,
  frequency_penalty: (v) => isEmpty(v) || v === 0,
  presence_penalty: (v) => isEmpty(v) || v === 0,
  logit_bias: (v) => isEmpty(v) || (typeof v === 'object' && Object.keys(v as object).length === 0),
  modalities: (v) => isEmpty(v) || (Array.isArray(v) && v.every((m) => m === 'text')),
  audio: isEmpty,
  response_format: (v) => isEmpty(v) || (v as { type?: unknown }).type === 'text',
  seed: isEmpty,
  prediction: isEmpty,
  web_search_options: isEmpty,
};

export function openAIToAnthropicRequest(req: OpenAIRequest, target: TranslationTarget): RequestTranslation<AnthropicRequest> {
  const hints = new HintLedger(target.mode);
  for (const [key, value] of Object.entries(req)) {
    if (MAPPED.has(key) || value === undefined || value === null) continue;
    const asksNothing = HINTS[key];
    if (asksNothing !== undefined) {
      if (asksNothing(value)) continue;
      const refused = hints.drop(key, `"${key}" is not supported by Anthropic models`);
      if (refused) return refused;
      continue;
    }
    const neutral = NEUTRAL_ONLY[key];
    if (neutral === undefined) return untranslatable(key, `"${key}" is not supported by Anthropic models`);
    if (!neutral(value)) return untranslatable(key, `"${key}" = ${JSON.stringify(value)} cannot be expressed for Anthropic models`);
  }
  if (!Array.isArray(req.messages)) return untranslatable('messages', 'messages must be an array');
  if (typeof req.temperature === 'number' && req.temperature > 1) {
    return untranslatable('temperature', `Anthropic models accept temperature 0–1, got ${req.temperature}`);
  }

  const conversation = toAnthropicConversation(req.messages);
  if (!conversation.ok) return conversation;
  const tools = toAnthropicTools(req);
  if (!tools.ok) return tools;

  const out: AnthropicRequest = {
    model: target.modelId,
    messages: conversation.value.messages,
    max_tokens: clampMaxTokens(req.max_completion_tokens ?? req.max_tokens ?? DEFAULT_MAX_TOKENS, target.maxOutputTokens),
  };
  const system = conversation.value.system;
  if (system.length === 1 && system[0]) out.system = system[0].text;
  else if (system.length > 1) out.system = system;
  if (typeof req.temperature === 'number') out.temperature = req.temperature;
  if (typeof req.top_p === 'number') out.top_p = req.top_p;
  const stop = typeof req.stop === 'string' ? [req.stop] : req.stop;
  if (stop && stop.length > 0) out.stop_sequences = stop;
  if (req.stream === true) out.stream = true;
  const userId = req.user ?? req.safety_identifier;
  if (userId !== undefined) out.metadata = { user_id: userId };
  if (tools.value.tools) out.tools = tools.value.tools;
  if (tools.value.tool_choice) out.tool_choice = tools.value.tool_choice;
  const refused = applyReasoningEffort(req, target, hints, out);
  if (refused) return refused;
  return withDropped(out, hints);
}

/** Whether an OpenAI client asked for the usage chunk at the end of its stream. */
export const wantsStreamUsage = (req: OpenAIRequest): boolean => req.stream_options?.include_usage === true;
