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
//   in the input; for a Messages target also reasoning.effort;
// - contracts: background, a forced built-in tool, conversation, prompt,
//   max_tool_calls, top_logprobs, and any field the translator does not know;
//   for a Messages target also a text.format other than text.
import type { AnthropicRequest } from '../../anthropic/types.js';
import type { OpenAIRequest } from '../../openai/types.js';
import type { ResponsesRequest } from '../../responses/types.js';
import { untranslatable } from '../../translation.js';
import { openAIToAnthropicRequest } from './fromOpenAI.js';
import { toChatMessages } from './fromResponsesItems.js';
import { toChatTools } from './fromResponsesTools.js';

/** A translation that may have left hints out, each named (sent as x-switchyard-dropped). */
export type HintedTranslation<T> =
  | { readonly ok: true; readonly value: T; readonly dropped: readonly string[] }
  | { readonly ok: false; readonly field: string; readonly message: string };

/** Mapped into the Chat Completions request. */
const MAPPED = new Set([
  'model', 'input', 'instructions', 'tools', 'tool_choice', 'parallel_tool_calls', 'max_output_tokens', 'temperature',
  'top_p', 'text', 'reasoning', 'stream', 'user', 'safety_identifier',
]);

/** The gateway acts on these itself: they never travel to a translated target. */
const GATEWAY_FIELDS = new Set(['store', 'previous_response_id', 'metadata']);

/** Steering for OpenAI's platform, without which the answer is still right. */
const HINTS = new Set(['include', 'prompt_cache_key', 'service_tier', 'truncation', 'client_metadata', 'stream_options', 'prompt_cache_retention']);

const present = (v: unknown): boolean => v !== undefined && v !== null;

type Target = 'openai' | 'anthropic';

function chatRequest(req: ResponsesRequest, upstreamModelId: string, target: Target): HintedTranslation<OpenAIRequest> {
  const dropped: string[] = [];
  for (const [key, value] of Object.entries(req)) {
    if (MAPPED.has(key) || GATEWAY_FIELDS.has(key) || !present(value)) continue;
    if (key === 'background' && value === false) continue;
    if (HINTS.has(key)) {
      dropped.push(key);
      continue;
    }
    return untranslatable(key, `"${key}" is not supported when the Responses API is translated for this model`);
  }
  const messages = toChatMessages(req);
  if (!messages.ok) return messages;
  const tools = toChatTools(req);
  if (!tools.ok) return tools;

  const out: OpenAIRequest = { model: upstreamModelId, messages: messages.value.messages };
  if (tools.value.tools.length > 0) out.tools = tools.value.tools;
  if (tools.value.tool_choice !== undefined) out.tool_choice = tools.value.tool_choice;
  if (typeof req.parallel_tool_calls === 'boolean' && tools.value.tools.length > 0) out.parallel_tool_calls = req.parallel_tool_calls;
  if (typeof req.max_output_tokens === 'number') out.max_tokens = req.max_output_tokens;
  if (typeof req.temperature === 'number') out.temperature = req.temperature;
  if (typeof req.top_p === 'number') out.top_p = req.top_p;
  const user = req.safety_identifier ?? req.user;
  if (typeof user === 'string') out.user = user;

  const reasoning = req.reasoning ?? {};
  for (const key of Object.keys(reasoning)) {
    if (key === 'effort' || !present(reasoning[key])) continue;
    dropped.push(`reasoning.${key}`);
  }
  if (typeof reasoning.effort === 'string') {
    if (target === 'openai') out.reasoning_effort = reasoning.effort;
    else dropped.push('reasoning.effort');
  }

  const format = req.text?.format;
  if (present(req.text?.verbosity)) dropped.push('text.verbosity');
  if (format !== undefined && format.type !== 'text') {
    if (target === 'anthropic') return untranslatable('text.format', `text.format "${format.type}" cannot be expressed for an Anthropic model`);
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
  return { ok: true, value: out, dropped: [...dropped, ...tools.value.dropped, ...messages.value.dropped] };
}

export function responsesToChatRequest(req: ResponsesRequest, upstreamModelId: string): HintedTranslation<OpenAIRequest> {
  return chatRequest(req, upstreamModelId, 'openai');
}

export function responsesToMessagesRequest(req: ResponsesRequest, upstreamModelId: string): HintedTranslation<AnthropicRequest> {
  const chat = chatRequest(req, upstreamModelId, 'anthropic');
  if (!chat.ok) return chat;
  // stream_options is the Chat Completions way to ask for usage; Anthropic streams always carry it.
  const { stream_options: _usage, ...rest } = chat.value;
  // Lenient, with no reasoning mapping: the first step already decided every
  // hint the Responses request carried (translation modes reach this path with
  // the switch to translationLoss.ts).
  const messages = openAIToAnthropicRequest(rest, { modelId: upstreamModelId, mode: 'lenient', reasoning: false, maxOutputTokens: undefined });
  // The second step names Chat Completions fields; the client sent Responses input.
  if (!messages.ok) return untranslatable(messages.field.startsWith('messages') ? 'input' : messages.field, messages.message);
  return { ok: true, value: messages.value, dropped: messages.dropped.length === 0 ? chat.dropped : [...chat.dropped, ...messages.dropped] };
}
