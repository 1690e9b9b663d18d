// Anthropic tools and tool_choice → OpenAI function tools.
//
// A client tool becomes a function with its input_schema as parameters. The
// schema's top-level "$schema" (Claude Code sends draft 2020-12's URI) is
// removed: it only names the JSON Schema dialect, and some OpenAI-compatible
// servers refuse keys they do not know. Hints dropped: cache_control, and
// defer_loading (tool search): a deferred tool is sent like any other, so the
// model sees it at once. Server tools (web_search, …) are contracts: refused.
import type { AnthropicRequest, AnthropicToolChoice } from '../../anthropic/types.js';
import type { OpenAIRequest, OpenAITool, OpenAIToolChoice } from '../../openai/types.js';
import { type Translation, translated, untranslatable } from '../../translation.js';
import type { HintLedger } from '../../translationLoss.js';
import { dropCacheControl } from './fromAnthropicMessages.js';

type ToolFields = Pick<OpenAIRequest, 'tools' | 'tool_choice' | 'parallel_tool_calls'>;

export function toOpenAITools(req: Pick<AnthropicRequest, 'tools' | 'tool_choice'>, hints: HintLedger): Translation<ToolFields> {
  const out: ToolFields = {};
  if (req.tools) {
    const tools: OpenAITool[] = [];
    for (const [i, tool] of req.tools.entries()) {
      const at = `tools[${i}]`;
      if (tool.type !== undefined && tool.type !== 'custom') {
        return untranslatable(`${at}.type`, `server tool "${tool.type}" cannot run on OpenAI-format models`);
      }
      const refused =
        dropCacheControl(tool, at, hints) ??
        (tool.defer_loading === true ? hints.drop('defer_loading', 'OpenAI-format models load every tool up front', `${at}.defer_loading`) : undefined);
      if (refused) return refused;
      const fn: OpenAITool['function'] = { name: tool.name, parameters: withoutSchemaUri(tool.input_schema) };
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
  return translated(out);
}

function withoutSchemaUri(schema: Record<string, unknown>): Record<string, unknown> {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the wire type is what a valid message holds; this checks the one that came is
  if (schema === null || typeof schema !== 'object' || !('$schema' in schema)) return schema;
  const { $schema: _uri, ...rest } = schema;
  return rest;
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
