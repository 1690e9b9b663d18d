// Checks a Responses request body before anything else reads it: the shapes
// the gateway relies on (input items, tools, text.format, …) are what the API
// reference documents, or the request is refused naming the field, as OpenAI
// does. Nothing that fails here ever reaches a provider. Pure.
import type { ResponsesRequest } from './types.js';

export type Checked = { readonly ok: true; readonly request: ResponsesRequest } | { readonly ok: false; readonly param: string; readonly message: string };

/** Every input item type the API reference lists, plus `message` (which may omit its type). */
export const KNOWN_ITEM_TYPES: ReadonlySet<string> = new Set([
  'message', 'function_call', 'function_call_output', 'custom_tool_call', 'custom_tool_call_output', 'reasoning',
  'additional_tools', 'file_search_call', 'computer_call', 'computer_call_output', 'web_search_call',
  'tool_search_call', 'tool_search_output', 'compaction', 'compaction_trigger', 'image_generation_call',
  'code_interpreter_call', 'local_shell_call', 'local_shell_call_output', 'shell_call', 'shell_call_output',
  'apply_patch_call', 'apply_patch_call_output', 'mcp_list_tools', 'mcp_approval_request', 'mcp_approval_response',
  'mcp_call', 'item_reference', 'program', 'program_output',
]);

const ROLES = new Set(['user', 'assistant', 'system', 'developer']);
const PART_TYPES = new Set(['input_text', 'input_image', 'input_file', 'input_audio', 'output_text', 'refusal']);
const TEXT_FORMATS = new Set(['text', 'json_object', 'json_schema']);
const TOOL_CHOICE_WORDS = new Set(['none', 'auto', 'required']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const absent = (v: unknown): boolean => v === undefined || v === null;

/** Thrown inside the checks only; checkResponsesRequest turns it into a value. */
class Invalid extends Error {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(message);
  }
}

function fail(param: string, message: string): never {
  throw new Invalid(param, message);
}

function optional(obj: Obj, key: string, type: 'string' | 'boolean' | 'number', at = key): void {
  const v = obj[key];
  if (!absent(v) && typeof v !== type) fail(at, `Invalid type for '${at}': expected ${type === 'number' ? 'a number' : `a ${type}`}.`);
}

function range(obj: Obj, key: string, min: number, max: number): void {
  const v = obj[key];
  if (typeof v === 'number' && (v < min || v > max)) fail(key, `Invalid '${key}': must be between ${min} and ${max}, got ${v}.`);
}

function checkContent(content: unknown, at: string): void {
  if (typeof content === 'string') return;
  if (!Array.isArray(content)) fail(at, `Invalid type for '${at}': expected a string or an array of content parts.`);
  content.forEach((part, j) => {
    const p = `${at}[${j}]`;
    if (!isObj(part) || typeof part['type'] !== 'string') fail(`${p}.type`, `Missing required parameter: '${p}.type'.`);
    if (!PART_TYPES.has(part['type'])) fail(`${p}.type`, `Invalid value: '${part['type']}'. Supported values are: ${[...PART_TYPES].map((t) => `'${t}'`).join(', ')}.`);
    if ((part['type'] === 'input_text' || part['type'] === 'output_text') && typeof part['text'] !== 'string') {
      fail(`${p}.text`, `Missing required parameter: '${p}.text'.`);
    }
    if (part['type'] === 'input_image' && typeof part['image_url'] !== 'string' && typeof part['file_id'] !== 'string') {
      fail(`${p}.image_url`, `An input_image part needs 'image_url' or 'file_id' ('${p}').`);
    }
  });
}

function requireString(item: Obj, key: string, at: string): void {
  if (typeof item[key] !== 'string') fail(`${at}.${key}`, `Missing required parameter: '${at}.${key}'.`);
}

function checkItem(item: unknown, at: string): void {
  if (!isObj(item)) fail(at, `Invalid type for '${at}': expected an object.`);
  const type = item['type'] ?? (item['role'] !== undefined ? 'message' : undefined);
  if (typeof type !== 'string') fail(`${at}.type`, `Missing required parameter: '${at}.type'.`);
  if (!KNOWN_ITEM_TYPES.has(type)) fail(`${at}.type`, `Invalid value: '${type}' is not a known input item type ('${at}.type').`);
  switch (type) {
    case 'message':
      if (typeof item['role'] !== 'string' || !ROLES.has(item['role'])) {
        fail(`${at}.role`, `Invalid value for '${at}.role': expected one of 'user', 'assistant', 'system', 'developer'.`);
      }
      checkContent(item['content'], `${at}.content`);
      return;
    case 'function_call':
      for (const key of ['call_id', 'name', 'arguments']) requireString(item, key, at);
      return;
    case 'custom_tool_call':
      for (const key of ['call_id', 'name', 'input']) requireString(item, key, at);
      return;
    case 'function_call_output':
    case 'custom_tool_call_output':
      requireString(item, 'call_id', at);
      checkContent(item['output'], `${at}.output`);
      return;
    case 'additional_tools':
      checkTools(item['tools'], `${at}.tools`);
      return;
    case 'item_reference':
      requireString(item, 'id', at);
      return;
    default:
      return;
  }
}

function checkFunctionLike(tool: Obj, at: string): void {
  if (typeof tool['name'] !== 'string' || tool['name'] === '') fail(`${at}.name`, `Missing required parameter: '${at}.name'.`);
  if (tool['type'] === 'function' && !absent(tool['parameters']) && !isObj(tool['parameters'])) {
    fail(`${at}.parameters`, `Invalid type for '${at}.parameters': expected an object.`);
  }
}

function checkTools(tools: unknown, at: string): void {
  if (!Array.isArray(tools)) fail(at, `Invalid type for '${at}': expected an array of tools.`);
  tools.forEach((tool, i) => {
    const p = `${at}[${i}]`;
    if (!isObj(tool) || typeof tool['type'] !== 'string') fail(`${p}.type`, `Missing required parameter: '${p}.type'.`);
    if (tool['type'] === 'function' || tool['type'] === 'custom') checkFunctionLike(tool, p);
    if (tool['type'] === 'namespace') {
      if (typeof tool['name'] !== 'string' || tool['name'] === '') fail(`${p}.name`, `Missing required parameter: '${p}.name'.`);
      checkTools(tool['tools'], `${p}.tools`);
    }
  });
}

function checkToolChoice(choice: unknown): void {
  if (absent(choice)) return;
  if (typeof choice === 'string') {
    if (!TOOL_CHOICE_WORDS.has(choice)) fail('tool_choice', `Invalid value for 'tool_choice': '${choice}'.`);
    return;
  }
  if (!isObj(choice) || typeof choice['type'] !== 'string') fail('tool_choice', "Invalid type for 'tool_choice'.");
  if ((choice['type'] === 'function' || choice['type'] === 'custom') && typeof choice['name'] !== 'string') {
    fail('tool_choice.name', "Missing required parameter: 'tool_choice.name'.");
  }
}

function checkText(text: unknown): void {
  if (absent(text)) return;
  if (!isObj(text)) fail('text', "Invalid type for 'text': expected an object.");
  const format = text['format'];
  if (absent(format)) return;
  if (!isObj(format) || typeof format['type'] !== 'string' || !TEXT_FORMATS.has(format['type'])) {
    fail('text.format.type', "Invalid value for 'text.format.type': expected 'text', 'json_object' or 'json_schema'.");
  }
  if (format['type'] === 'json_schema') {
    if (typeof format['name'] !== 'string' || format['name'] === '') fail('text.format.name', "Missing required parameter: 'text.format.name'.");
    if (!isObj(format['schema'])) fail('text.format.schema', "Missing required parameter: 'text.format.schema'.");
  }
}

function checkMetadata(metadata: unknown): void {
  if (absent(metadata)) return;
  if (!isObj(metadata)) fail('metadata', "Invalid type for 'metadata': expected an object of strings.");
  const keys = Object.keys(metadata);
  if (keys.length > 16) fail('metadata', `Invalid 'metadata': at most 16 keys, got ${keys.length}.`);
  for (const key of keys) {
    if (typeof metadata[key] !== 'string') fail(`metadata.${key}`, `Invalid type for 'metadata.${key}': expected a string.`);
  }
}

function check(body: Obj): void {
  optional(body, 'model', 'string');
  const input = body['input'];
  if (Array.isArray(input)) input.forEach((item, i) => { checkItem(item, `input[${i}]`); });
  else if (!absent(input) && typeof input !== 'string') fail('input', "Invalid type for 'input': expected a string or an array of input items.");
  if (absent(input) && absent(body['previous_response_id'])) fail('input', "Missing required parameter: 'input'.");
  optional(body, 'instructions', 'string');
  if (!absent(body['tools'])) checkTools(body['tools'], 'tools');
  checkToolChoice(body['tool_choice']);
  optional(body, 'parallel_tool_calls', 'boolean');
  const max = body['max_output_tokens'];
  if (!absent(max) && (typeof max !== 'number' || !Number.isInteger(max) || max < 1)) {
    fail('max_output_tokens', "Invalid 'max_output_tokens': expected a positive integer.");
  }
  optional(body, 'temperature', 'number');
  range(body, 'temperature', 0, 2);
  optional(body, 'top_p', 'number');
  range(body, 'top_p', 0, 1);
  checkText(body['text']);
  if (!absent(body['reasoning']) && !isObj(body['reasoning'])) fail('reasoning', "Invalid type for 'reasoning': expected an object.");
  checkMetadata(body['metadata']);
  optional(body, 'store', 'boolean');
  optional(body, 'stream', 'boolean');
  optional(body, 'background', 'boolean');
  optional(body, 'previous_response_id', 'string');
  if (body['previous_response_id'] === '') fail('previous_response_id', "Invalid 'previous_response_id': empty string.");
  const include = body['include'];
  if (!absent(include) && (!Array.isArray(include) || !include.every((v) => typeof v === 'string'))) {
    fail('include', "Invalid type for 'include': expected an array of strings.");
  }
}

export function checkResponsesRequest(body: Obj): Checked {
  try {
    check(body);
  } catch (err) {
    if (err instanceof Invalid) return { ok: false, param: err.param, message: err.message };
    throw err;
  }
  return { ok: true, request: body };
}
