// OpenAI tools / legacy functions and tool_choice → Anthropic.
// Loss: `strict` on a function definition is dropped (Anthropic has no
// per-tool strict schema adherence in the Messages API we target).
// A function without `parameters` gets the empty object schema Anthropic requires.
import type { AnthropicTool, AnthropicToolChoice } from '../../anthropic/types.js';
import type { OpenAIFunctionDefinition, OpenAIRequest } from '../../openai/types.js';
import { type Translation, translated, untranslatable } from '../../translation.js';

export const EMPTY_OBJECT_SCHEMA: Readonly<Record<string, unknown>> = Object.freeze({ type: 'object', properties: {} });

export interface AnthropicToolSettings {
  tools?: AnthropicTool[];
  tool_choice?: AnthropicToolChoice;
}

export function toAnthropicTools(req: OpenAIRequest): Translation<AnthropicToolSettings> {
  if (req.tools && req.functions) return untranslatable('functions', 'send either tools or the legacy functions, not both');
  let tools: AnthropicTool[] | undefined;
  if (req.tools) {
    tools = [];
    for (const [i, tool] of req.tools.entries()) {
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the wire type is what a valid message holds; this checks the one that came is
      if (tool.type !== 'function') {
        return untranslatable(`tools[${i}].type`, `tool type "${String(tool.type)}" cannot be sent to Anthropic`);
      }
      tools.push(toAnthropicTool(tool.function));
    }
  } else if (req.functions) {
    tools = req.functions.map(toAnthropicTool);
  }

  const choice = toAnthropicToolChoice(req);
  if (!choice.ok) return choice;
  const settings: AnthropicToolSettings = {};
  if (tools) settings.tools = tools;
  if (choice.value) settings.tool_choice = choice.value;
  return translated(settings);
}

function toAnthropicTool(fn: OpenAIFunctionDefinition): AnthropicTool {
  const tool: AnthropicTool = { name: fn.name, input_schema: fn.parameters ?? { ...EMPTY_OBJECT_SCHEMA } };
  if (fn.description !== undefined) tool.description = fn.description;
  return tool;
}

function toAnthropicToolChoice(req: OpenAIRequest): Translation<AnthropicToolChoice | undefined> {
  const raw = req.tool_choice ?? legacyChoice(req.function_call);
  let choice: AnthropicToolChoice | undefined;
  if (raw === undefined) choice = undefined;
  else if (raw === 'auto') choice = { type: 'auto' };
  else if (raw === 'none') choice = { type: 'none' };
  else if (raw === 'required') choice = { type: 'any' };
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the wire type is what a valid message holds; this checks the one that came is
  else if (typeof raw === 'object' && raw.type === 'function' && typeof raw.function?.name === 'string') {
    choice = { type: 'tool', name: raw.function.name };
  } else {
    return untranslatable('tool_choice', 'tool_choice must be auto, none, required or a named function for Anthropic');
  }
  if (req.parallel_tool_calls === false) {
    // "none" calls no tool at all, so there is no parallelism to disable.
    if (choice === undefined) choice = { type: 'auto', disable_parallel_tool_use: true };
    else if (choice.type !== 'none') choice = { ...choice, disable_parallel_tool_use: true };
  }
  return translated(choice);
}

function legacyChoice(fc: OpenAIRequest['function_call']): OpenAIRequest['tool_choice'] {
  if (fc === undefined) return undefined;
  if (typeof fc === 'string') return fc;
  return { type: 'function', function: { name: fc.name } };
}
