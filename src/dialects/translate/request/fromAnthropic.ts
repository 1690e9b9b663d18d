// An Anthropic Messages request, to be served by an OpenAI-format model.
//
// Every top-level field is mapped, accepted only at its no-op value, or
// dropped because it steers Anthropic's platform (service_tier). Anything else
// is refused naming the field.
//
// Decisions: a streamed request always asks the upstream for
// stream_options.include_usage, because Anthropic clients always receive usage;
// max_tokens is sent as `max_tokens`, or as `max_completion_tokens` for a
// reasoning entry (OpenAI's reasoning models accept only the latter, while
// many OpenAI-compatible servers know only the former).
import type { AnthropicRequest, AnthropicToolChoice } from '../../anthropic/types.js';
import type { OpenAIRequest, OpenAITool, OpenAIToolChoice } from '../../openai/types.js';
import { untranslatable } from '../../translation.js';
import { HintLedger, withDropped, type RequestTranslation } from '../../translationLoss.js';
import type { TranslationTarget } from '../../translationTarget.js';
import { toOpenAIMessages } from './fromAnthropicMessages.js';

const MAPPED = new Set([
  'model', 'messages', 'max_tokens', 'system', 'temperature', 'top_p', 'stop_sequences', 'stream', 'metadata',
  'tools', 'tool_choice',
]);

/** Hints that steer Anthropic's platform and mean nothing elsewhere. */
const DROPPED = new Set(['service_tier']);

const NEUTRAL_ONLY: Readonly<Record<string, (v: unknown) => boolean>> = {
  top_k: (v) => v === null || v === undefined,
  thinking: (v) => v === null || v === undefined || (v as { type?: unknown }).type === 'disabled',
};

export function anthropicToOpenAIRequest(req: AnthropicRequest, target: TranslationTarget): RequestTranslation<OpenAIRequest> {
  const hints = new HintLedger(target.mode);
  for (const [key, value] of Object.entries(req)) {
    if (MAPPED.has(key)) continue;
    if (DROPPED.has(key)) {
      const refused = hints.drop(key, `"${key}" is not supported by OpenAI-format models`);
      if (refused) return refused;
      continue;
    }
    const neutral = NEUTRAL_ONLY[key];
    if (neutral === undefined) return untranslatable(key, `"${key}" is not supported by OpenAI-format models`);
    if (!neutral(value)) return untranslatable(key, `"${key}" = ${JSON.stringify(value)} cannot be expressed for OpenAI-format models`);
  }
  const messages = toOpenAIMessages(req);
  if (!messages.ok) return messages;

  const out: OpenAIRequest = { model: target.modelId, messages: messages.value };
  if (typeof req.max_tokens === 'number') out[target.reasoning ? 'max_completion_tokens' : 'max_tokens'] = req.max_tokens;
  if (typeof req.temperature === 'number') out.temperature = req.temperature;
  if (typeof req.top_p === 'number') out.top_p = req.top_p;
  if (req.stop_sequences && req.stop_sequences.length > 0) out.stop = [...req.stop_sequences];
  if (req.stream === true) {
    out.stream = true;
    out.stream_options = { include_usage: true };
  }
  if (typeof req.metadata?.user_id === 'string') out.user = req.metadata.user_id;

  if (req.tools) {
    const tools: OpenAITool[] = [];
    for (const [i, tool] of req.tools.entries()) {
      if (tool.type !== undefined && tool.type !== 'custom') {
        return untranslatable(`tools[${i}].type`, `server tool "${tool.type}" cannot run on OpenAI-format models`);
      }
      const fn: OpenAITool['function'] = { name: tool.name, parameters: tool.input_schema };
      if (tool.description !== undefined) fn.description = tool.description;
      tools.push({ type: 'function', function: fn });
    }
    out.tools = tools;
  }
  if (req.tool_choice) {
    const choice = toOpenAIToolChoice(req.tool_choice);
    if (!choice) return untranslatable('tool_choice.type', 'tool_choice must be auto, any, tool or none');
    out.tool_choice = choice;
    if ('disable_parallel_tool_use' in req.tool_choice && req.tool_choice.disable_parallel_tool_use === true) {
      out.parallel_tool_calls = false;
    }
  }
  return withDropped(out, hints);
}

function toOpenAIToolChoice(choice: AnthropicToolChoice): OpenAIToolChoice | undefined {
  switch (choice.type) {
    case 'auto':
      return 'auto';
    case 'none':
      return 'none';
    case 'any':
      return 'required';
    case 'tool':
      return { type: 'function', function: { name: choice.name } };
    default:
      return undefined;
  }
}
