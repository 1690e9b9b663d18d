// An Anthropic Messages request, to be served by an OpenAI-format model.
//
// Every top-level field is mapped, dropped as a hint (named, or refused under
// translation: strict; see ../../translationLoss.ts), accepted only at its
// no-op value, or refused naming the field.
//
// Decisions: a streamed request always asks the upstream for
// stream_options.include_usage, because Anthropic clients always receive usage;
// max_tokens is sent as `max_tokens`, or as `max_completion_tokens` for a
// reasoning entry (OpenAI's reasoning models accept only the latter, while
// many OpenAI-compatible servers know only the former), lowered to the entry's
// max_output_tokens; a reasoning entry takes no temperature or top_p other
// than 1, so others are dropped as hints there.
import type { AnthropicRequest } from '../../anthropic/types.js';
import type { OpenAIRequest } from '../../openai/types.js';
import { untranslatable, type Untranslatable } from '../../translation.js';
import { HintLedger, withDropped, type RequestTranslation } from '../../translationLoss.js';
import type { TranslationTarget } from '../../translationTarget.js';
import { toOpenAIMessages } from './fromAnthropicMessages.js';
import { toOpenAIReasoning } from './fromAnthropicReasoning.js';
import { toOpenAITools } from './fromAnthropicTools.js';
import { clampMaxTokens } from './maxTokens.js';

/** Fields carried over by the code below (or by the modules it calls). */
const MAPPED = new Set([
  'model', 'messages', 'max_tokens', 'system', 'temperature', 'top_p', 'stop_sequences', 'stream', 'metadata',
  'tools', 'tool_choice', 'thinking', 'output_config',
]);

/** Hints that steer Anthropic's platform and have no OpenAI equivalent, with why. */
const HINTS: Readonly<Record<string, string>> = {
  service_tier: 'service_tier steers Anthropic\'s capacity',
  context_management: 'context_management edits are applied by Anthropic\'s API',
  safeguards: 'safeguards are classified by Anthropic\'s API',
};

const NEUTRAL_ONLY: Readonly<Record<string, (v: unknown) => boolean>> = {
  top_k: (v) => v === null || v === undefined,
};

export function anthropicToOpenAIRequest(req: AnthropicRequest, target: TranslationTarget): RequestTranslation<OpenAIRequest> {
  const hints = new HintLedger(target.mode);
  for (const [key, value] of Object.entries(req)) {
    if (MAPPED.has(key) || value === undefined || value === null) continue;
    const hint = HINTS[key];
    if (hint !== undefined) {
      const refused = hints.drop(key, `${hint}; OpenAI-format models have no equivalent`);
      if (refused) return refused;
      continue;
    }
    const neutral = NEUTRAL_ONLY[key];
    if (neutral === undefined) return untranslatable(key, `"${key}" is not supported by OpenAI-format models`);
    if (!neutral(value)) return untranslatable(key, `"${key}" = ${JSON.stringify(value)} cannot be expressed for OpenAI-format models`);
  }
  const messages = toOpenAIMessages(req, hints);
  if (!messages.ok) return messages;
  const reasoning = toOpenAIReasoning(req, target, hints);
  if (!reasoning.ok) return reasoning;
  const tools = toOpenAITools(req, hints);
  if (!tools.ok) return tools;

  const out: OpenAIRequest = { model: target.modelId, messages: messages.value };
  if (typeof req.max_tokens === 'number') {
    out[target.reasoning ? 'max_completion_tokens' : 'max_tokens'] = clampMaxTokens(req.max_tokens, target.maxOutputTokens);
  }
  const sampling = samplingFor(req, target, hints, out);
  if (sampling) return sampling;
  if (req.stop_sequences && req.stop_sequences.length > 0) out.stop = [...req.stop_sequences];
  if (req.stream === true) {
    out.stream = true;
    out.stream_options = { include_usage: true };
  }
  const metadata = userOf(req.metadata, hints);
  if (typeof metadata !== 'string' && metadata !== undefined) return metadata;
  if (metadata !== undefined) out.user = metadata;
  Object.assign(out, reasoning.value, tools.value);
  return withDropped(out, hints);
}

/** temperature and top_p; OpenAI's reasoning models accept only their default, 1. */
function samplingFor(req: AnthropicRequest, target: TranslationTarget, hints: HintLedger, out: OpenAIRequest): Untranslatable | undefined {
  for (const key of ['temperature', 'top_p'] as const) {
    const value = req[key];
    if (typeof value !== 'number') continue;
    if (target.reasoning && value !== 1) {
      const refused = hints.drop(key, `OpenAI reasoning models accept only ${key} 1`);
      if (refused) return refused;
      continue;
    }
    out[key] = value;
  }
  return undefined;
}

/** metadata.user_id becomes `user`; other metadata keys have nowhere to go and are a hint. */
function userOf(metadata: AnthropicRequest['metadata'], hints: HintLedger): string | Untranslatable | undefined {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the wire type is what a valid message holds; this checks the one that came is
  if (metadata === undefined || metadata === null) return undefined;
  const others = Object.keys(metadata).filter((k) => k !== 'user_id');
  if (others.length > 0) {
    const refused = hints.drop('metadata', `metadata ${others.join(', ')} has no OpenAI equivalent`, `metadata.${others[0] ?? ''}`);
    if (refused) return refused;
  }
  return typeof metadata.user_id === 'string' ? metadata.user_id : undefined;
}
