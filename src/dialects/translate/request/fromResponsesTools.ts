// Responses tools and tool_choice → Chat Completions.
//
// - function tools map one to one (`strict` kept);
// - functions inside a namespace tool are flattened to `<namespace>__<name>`;
// - a custom (freeform) tool becomes a function taking `{input: string}`; its
//   grammar, if any, is appended to the description (loss: not enforced);
// - built-in tools (web_search, file_search, code_interpreter, tool_search,
//   mcp, …) run on OpenAI's side only: offered, they are a hint and dropped;
//   forced by tool_choice, they are a contract the target cannot keep.
import type { OpenAITool, OpenAIToolChoice } from '../../openai/types.js';
import type { ResponsesCustomTool, ResponsesFunctionTool, ResponsesRequest, ResponsesTool } from '../../responses/types.js';
import { type Translation, translated, untranslatable } from '../../translation.js';
import { flatName, offeredTools } from '../responsesToolNames.js';

const EMPTY_PARAMETERS = { type: 'object', properties: {} };

export interface ChatTools {
  tools: OpenAITool[];
  tool_choice?: OpenAIToolChoice;
  /** Hints left out, by name: `tools.web_search`, … */
  dropped: string[];
}

function functionTool(t: ResponsesFunctionTool, namespace: string | undefined): OpenAITool {
  const fn: OpenAITool['function'] = { name: flatName(t.name, namespace), parameters: t.parameters ?? { ...EMPTY_PARAMETERS } };
  if (typeof t.description === 'string') fn.description = t.description;
  if (typeof t.strict === 'boolean') fn.strict = t.strict;
  return { type: 'function', function: fn };
}

function customTool(t: ResponsesCustomTool, namespace: string | undefined): OpenAITool {
  const format = t.format;
  const grammar = format?.type === 'grammar' ? `\n\nThe input must follow this ${format.syntax} grammar:\n${format.definition}` : '';
  return {
    type: 'function',
    function: {
      name: flatName(t.name, namespace),
      description: `${t.description ?? ''}${grammar}\n\nPass the tool's freeform input as the string "input".`.trimStart(),
      parameters: { type: 'object', properties: { input: { type: 'string', description: 'The freeform input.' } }, required: ['input'] },
    },
  };
}

function addTool(tool: ResponsesTool, namespace: string | undefined, out: ChatTools): void {
  if (tool.type === 'function') out.tools.push(functionTool(tool as ResponsesFunctionTool, namespace));
  else if (tool.type === 'custom') out.tools.push(customTool(tool as ResponsesCustomTool, namespace));
  else if (tool.type === 'namespace' && Array.isArray(tool['tools'])) {
    for (const inner of tool['tools'] as ResponsesTool[]) addTool(inner, String(tool['name']), out);
  } else {
    const name = `tools.${tool.type}`;
    if (!out.dropped.includes(name)) out.dropped.push(name);
  }
}

function toolChoice(choice: ResponsesRequest['tool_choice']): Translation<OpenAIToolChoice | undefined> {
  if (choice === undefined || choice === null) return translated(undefined);
  if (choice === 'auto' || choice === 'none' || choice === 'required') return translated(choice);
  if ((choice.type === 'function' || choice.type === 'custom') && typeof choice['name'] === 'string') {
    return translated({ type: 'function', function: { name: flatName(choice['name'], typeof choice['namespace'] === 'string' ? choice['namespace'] : undefined) } });
  }
  return untranslatable('tool_choice', `tool_choice ${JSON.stringify(choice)} forces a tool that only OpenAI's Responses API runs`);
}

export function toChatTools(req: ResponsesRequest): Translation<ChatTools> {
  const out: ChatTools = { tools: [], dropped: [] };
  for (const tool of offeredTools(req)) addTool(tool, undefined, out);
  const names = new Set<string>();
  for (const t of out.tools) {
    if (names.has(t.function.name)) return untranslatable('tools', `two tools are both offered as "${t.function.name}"`);
    names.add(t.function.name);
  }
  const choice = toolChoice(req.tool_choice);
  if (!choice.ok) return choice;
  // With every offered tool dropped, "required" cannot be met and "auto" means nothing.
  if (choice.value !== undefined && out.tools.length > 0) out.tool_choice = choice.value;
  else if (choice.value === 'required') return untranslatable('tool_choice', 'tool_choice "required" with no tool the target can run');
  return translated(out);
}
