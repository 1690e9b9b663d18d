// A Responses request, to be served by a Chat Completions or a Messages model.
//
// Decision: Chat Completions is the one translation the Responses API has.
// A Messages (Anthropic) target gets the Chat Completions translation carried
// on by the existing Chat Completions → Messages translator, so the rules for
// roles, tool results, images and system prompts are written once.
//
// Every top-level field is mapped, handled by the gateway itself (store,
// previous_response_id, metadata: see server/responsesHandler.ts), dropped as a
// hint and named, or refused as a contract naming the field:
// - hints: include, prompt_cache_key, reasoning.summary (and Codex's
//   reasoning.context), text.verbosity, service_tier, truncation,
//   client_metadata, stream_options, offered built-in tools, reasoning items
//   in the input, and reasoning.effort for an entry without `reasoning: true`
//   (a reasoning entry gets reasoning_effort, or a thinking budget through the
//   second step);
// - contracts: background, a forced built-in tool, conversation, prompt,
//   max_tool_calls, top_logprobs, and any field the translator does not know;
//   for a Messages target also a text.format other than text.
//
// Both steps record into one HintLedger made with the entry's translation
// mode, so `translation: strict` refuses a hint whichever step meets it, and
// the dropped list names each hint once, in the client's (Responses) words.
import type { AnthropicRequest } from '../../anthropic/types.js';
import type { OpenAIRequest } from '../../openai/types.js';
import type { ResponsesRequest } from '../../responses/types.js';
import { type Translation, translated, untranslatable, type Untranslatable } from '../../translation.js';
import { HintLedger, withDropped, type RequestTranslation } from '../../translationLoss.js';
import type { TranslationTarget } from '../../translationTarget.js';
import { openAIToAnthropicRequest } from './fromOpenAI.js';
import { toChatMessages } from './fromResponsesItems.js';
import { toChatTools } from './fromResponsesTools.js';
import { clampMaxTokens } from './maxTokens.js';

/** Mapped into the Chat Completions request. */
const MAPPED = new Set([
  'model', 'input', 'instructions', 'tools', 'tool_choice', 'parallel_tool_calls', 'max_output_tokens', 'temperature',
  'top_p', 'text', 'reasoning', 'stream', 'user', 'safety_identifier',
]);

/** The gateway acts on these itself: they never travel to a translated target. */
const GATEWAY_FIELDS = new Set(['store', 'previous_response_id', 'metadata']);

/** Steering for OpenAI's platform, without which the answer is still right. */
const HINTS = new Set(['include', 'prompt_cache_key', 'service_tier', 'truncation', 'client_metadata', 'stream_options', 'prompt_cache_retention']);

/** The second step's Chat Completions names for what the client sent as Responses fields. */
const CLIENT_NAMES: Readonly<Record<string, string>> = { reasoning_effort: 'reasoning.effort' };

const present = (v: unknown): boolean => v !== undefined && v !== null;

type Into = 'openai' | 'anthropic';

function chatRequest(req: ResponsesRequest, target: TranslationTarget, into: Into, hints: HintLedger): Translation<OpenAIRequest> {
  for (const [key, value] of Object.entries(req)) {
    if (MAPPED.has(key) || GATEWAY_FIELDS.has(key) || !present(value)) continue;
    if (key === 'background' && value === false) continue;
    if (!HINTS.has(key)) return untranslatable(key, `"${key}" is not supported when the Responses API is translated for this model`);
    const refused = hints.drop(key, `"${key}" steers OpenAI's Responses platform and has no equivalent here`);
    if (refused) return refused;
  }
  const messages = toChatMessages(req, hints);
  if (!messages.ok) return messages;
  const tools = toChatTools(req, hints);
  if (!tools.ok) return tools;

  const out: OpenAIRequest = { model: target.modelId, messages: messages.value };
  if (tools.value.tools.length > 0) out.tools = tools.value.tools;
  if (tools.value.tool_choice !== undefined) out.tool_choice = tools.value.tool_choice;
  if (typeof req.parallel_tool_calls === 'boolean' && tools.value.tools.length > 0) out.parallel_tool_calls = req.parallel_tool_calls;
  if (typeof req.max_output_tokens === 'number') {
    // OpenAI's reasoning models take only max_completion_tokens; the second step reads either.
    out[into === 'openai' && target.reasoning ? 'max_completion_tokens' : 'max_tokens'] = clampMaxTokens(req.max_output_tokens, target.maxOutputTokens);
  }
  if (typeof req.temperature === 'number') out.temperature = req.temperature;
  if (typeof req.top_p === 'number') out.top_p = req.top_p;
  const user = req.safety_identifier ?? req.user;
  if (typeof user === 'string') out.user = user;
  const reasoning = reasoningFields(req, target, into, hints, out);
  if (reasoning) return reasoning;

  const format = req.text?.format;
  if (present(req.text?.verbosity)) {
    const refused = hints.drop('text.verbosity', 'text.verbosity has no equivalent here');
    if (refused) return refused;
  }
  if (format !== undefined && format.type !== 'text') {
    if (into === 'anthropic') return untranslatable('text.format', `text.format "${format.type}" cannot be expressed for an Anthropic model`);
    out.response_format =
      format.type === 'json_schema'
        ? { type: 'json_schema', json_schema: { name: format.name, schema: format.schema, ...(format.strict !== undefined ? { strict: format.strict } : {}), ...(format.description !== undefined ? { description: format.description } : {}) } }
        : { type: 'json_object' };
  }
  if (req.stream === true) {
    out.stream = true;
    // A Responses answer always reports usage, so the stream must carry it.
    out.stream_options = { include_usage: true };
  }
  return translated(out);
}

/**
 * reasoning.effort becomes reasoning_effort for a reasoning entry; a Messages
 * target always gets it, for the second step to map to a thinking budget or
 * drop (it knows the obstacles: temperature, a forced tool, max_tokens).
 * Every other reasoning key (summary, Codex's context) is a hint.
 */
function reasoningFields(req: ResponsesRequest, target: TranslationTarget, into: Into, hints: HintLedger, out: OpenAIRequest): Untranslatable | undefined {
  const reasoning = req.reasoning ?? {};
  for (const key of Object.keys(reasoning)) {
    if (key === 'effort' || !present(reasoning[key])) continue;
    const refused = hints.drop(`reasoning.${key}`, `reasoning.${key} is produced by OpenAI's Responses platform only`);
    if (refused) return refused;
  }
  if (typeof reasoning.effort !== 'string') return undefined;
  if (into === 'anthropic' || target.reasoning) {
    out.reasoning_effort = reasoning.effort;
    return undefined;
  }
  return hints.drop('reasoning.effort', 'reasoning.effort needs a reasoning model (reasoning: true on the entry)');
}

export function responsesToChatRequest(req: ResponsesRequest, target: TranslationTarget): RequestTranslation<OpenAIRequest> {
  const hints = new HintLedger(target.mode);
  const chat = chatRequest(req, target, 'openai', hints);
  return chat.ok ? withDropped(chat.value, hints) : chat;
}

export function responsesToMessagesRequest(req: ResponsesRequest, target: TranslationTarget): RequestTranslation<AnthropicRequest> {
  const hints = new HintLedger(target.mode);
  const chat = chatRequest(req, target, 'anthropic', hints);
  if (!chat.ok) return chat;
  // stream_options is the Chat Completions way to ask for usage; Anthropic streams always carry it.
  const { stream_options: _usage, ...rest } = chat.value;
  const messages = openAIToAnthropicRequest(rest, target, hints);
  // The second step names Chat Completions fields; the client sent Responses ones.
  if (!messages.ok) return untranslatable(messages.field.startsWith('messages') ? 'input' : clientName(messages.field), messages.message);
  return { ok: true, value: messages.value, dropped: [...new Set(messages.dropped.map(clientName))] };
}

const clientName = (name: string): string => CLIENT_NAMES[name] ?? name;
