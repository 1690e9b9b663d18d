// The Anthropic Messages wire format as a mock provider speaks it: the request
// checks the real API makes (x-api-key and anthropic-version headers,
// max_tokens required, alternating roles, tool_result answering the previous
// turn's tool_use, no unknown fields), and replies in the documented shapes:
// a `message` object, named SSE events (message_start, content_block_start /
// delta / stop with text_delta and input_json_delta, ping, message_delta,
// message_stop, error) and `{"type":"error","error":{type,message}}` errors.
// Written from the public API reference, independently of the gateway's types.
import type { IncomingHttpHeaders } from 'node:http';
import {
  applyStop,
  DEFAULT_USAGE,
  type IdSource,
  isObject,
  type JsonReply,
  jsonFragments,
  type MockReply,
  type RenderedReply,
  streamPieces,
} from './mockReplies.js';

const KNOWN_PARAMS = new Set([
  'model', 'messages', 'max_tokens', 'system', 'temperature', 'top_p', 'top_k', 'stop_sequences', 'stream', 'metadata',
  'tools', 'tool_choice', 'thinking', 'service_tier', 'container', 'mcp_servers',
]);

/** Parameters the API accepts only with a beta switched on (anthropic-beta), by the beta's name. */
const BETA_PARAMS: Readonly<Record<string, string>> = {
  context_management: 'context-management-',
  output_config: 'effort-',
  safeguards: 'dangerous-tool-use-',
};

/** A system turn inside messages needs the per-turn-control beta. */
const SYSTEM_TURNS_BETA = 'per-turn-control-';

const betasOf = (headers: IncomingHttpHeaders): string[] =>
  typeof headers['anthropic-beta'] === 'string' ? headers['anthropic-beta'].split(',').map((b) => b.trim()) : [];
const hasBeta = (betas: readonly string[], prefix: string): boolean => betas.some((b) => b.startsWith(prefix));

const ERROR_TYPES: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

export const anthropicErrorTypeFor = (status: number): string => ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');

export function anthropicError(status: number, message: string): JsonReply {
  return { kind: 'json', status, body: { type: 'error', error: { type: anthropicErrorTypeFor(status), message }, request_id: 'req_mock' } };
}

const invalid = (message: string): JsonReply => anthropicError(400, message);

function checkBlocks(content: unknown, at: string, role: string): JsonReply | undefined {
  if (typeof content === 'string') return content.length === 0 ? invalid(`${at}: all messages must have non-empty content`) : undefined;
  if (!Array.isArray(content) || content.length === 0) return invalid(`${at}: all messages must have non-empty content`);
  let sawOther = false;
  for (const [j, block] of content.entries()) {
    const where = `${at}.content.${j}`;
    if (!isObject(block) || typeof block.type !== 'string') return invalid(`${where}: Input tag not found`);
    switch (block.type) {
      case 'text':
        if (typeof block.text !== 'string' || block.text.length === 0) return invalid(`${where}.text: text content blocks must be non-empty`);
        sawOther = true;
        break;
      case 'image':
        if (role !== 'user' || !isObject(block.source)) return invalid(`${where}: image blocks are only allowed in user messages with a source`);
        sawOther = true;
        break;
      case 'tool_use':
        if (role !== 'assistant' || typeof block.id !== 'string' || typeof block.name !== 'string' || !isObject(block.input)) {
          return invalid(`${where}: tool_use blocks need id, name and an object input, in assistant messages`);
        }
        break;
      case 'tool_result':
        if (role !== 'user' || typeof block.tool_use_id !== 'string') return invalid(`${where}: tool_result blocks need tool_use_id, in user messages`);
        if (sawOther) return invalid(`${where}: tool_result blocks must come first in the content array`);
        break;
      case 'thinking':
        if (role !== 'assistant' || typeof block.thinking !== 'string' || typeof block.signature !== 'string' || block.signature === '') {
          return invalid(`${where}.signature: thinking blocks need their signature, in assistant messages`);
        }
        break;
      case 'redacted_thinking':
        if (role !== 'assistant' || typeof block.data !== 'string') return invalid(`${where}: redacted_thinking blocks need data, in assistant messages`);
        break;
      default:
        return invalid(`${where}.type: Input tag '${block.type}' found using 'type' does not match any of the expected tags`);
    }
  }
  return undefined;
}

const blocksOf = (content: unknown, type: string): Record<string, unknown>[] =>
  Array.isArray(content) ? content.filter((b): b is Record<string, unknown> => isObject(b) && b.type === type) : [];

/** The 4xx the real API would answer, or undefined when the request is acceptable. */
export function checkAnthropicRequest(body: Record<string, unknown>, headers: IncomingHttpHeaders, countOnly = false): JsonReply | undefined {
  if (typeof headers['x-api-key'] !== 'string') return anthropicError(401, 'x-api-key header is required');
  if (typeof headers['anthropic-version'] !== 'string') return invalid('anthropic-version: header is required');
  const betas = betasOf(headers);
  for (const key of Object.keys(body)) {
    const beta = BETA_PARAMS[key];
    if (!KNOWN_PARAMS.has(key) && (beta === undefined || !hasBeta(betas, beta))) return invalid(`${key}: Extra inputs are not permitted`);
  }
  if (typeof body.model !== 'string') return invalid('model: Field required');
  // count_tokens takes no max_tokens.
  if (!countOnly && (typeof body.max_tokens !== 'number' || !Number.isInteger(body.max_tokens) || body.max_tokens < 1)) return invalid('max_tokens: Field required');
  if (typeof body.temperature === 'number' && (body.temperature < 0 || body.temperature > 1)) {
    return invalid('temperature: Input should be less than or equal to 1');
  }
  if (body.system !== undefined && typeof body.system !== 'string') {
    if (!Array.isArray(body.system) || !body.system.every((b) => isObject(b) && b.type === 'text' && typeof b.text === 'string')) {
      return invalid('system: Input should be a valid string or a list of text blocks');
    }
  }
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) return invalid('messages: at least one message is required');
  const systemTurns = hasBeta(betas, SYSTEM_TURNS_BETA);
  let prev: Record<string, unknown> | undefined;
  for (const [i, m] of messages.entries()) {
    const at = `messages.${i}`;
    if (systemTurns && isObject(m) && m.role === 'system') {
      if (typeof m.content !== 'string' && !(Array.isArray(m.content) && m.content.every((b) => isObject(b) && b.type === 'text'))) {
        return invalid(`${at}.content: a system turn holds text`);
      }
      continue;
    }
    if (!isObject(m) || (m.role !== 'user' && m.role !== 'assistant')) return invalid(`${at}.role: Input should be 'user' or 'assistant'`);
    if (prev && prev.role === m.role) {
      return invalid(`messages: roles must alternate between "user" and "assistant", but found multiple "${m.role}" roles in a row`);
    }
    const blocks = checkBlocks(m.content, at, m.role);
    if (blocks) return blocks;
    // Each tool_use needs its tool_result in the very next message, and each tool_result its tool_use in the previous one.
    const asked = prev ? blocksOf(prev.content, 'tool_use').map((b) => b.id) : [];
    const answered = blocksOf(m.content, 'tool_result').map((b) => b.tool_use_id);
    const unexpected = answered.filter((id) => !asked.includes(id));
    if (unexpected.length > 0) {
      return invalid(`${at}.content.0: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${unexpected.join(', ')}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`);
    }
    const missing = asked.filter((id) => !answered.includes(id));
    if (prev && missing.length > 0) {
      return invalid(`${at}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}`);
    }
    prev = m;
  }
  if (body.tools !== undefined) {
    if (!Array.isArray(body.tools)) return invalid('tools: Input should be a valid list');
    for (const [i, t] of body.tools.entries()) {
      if (!isObject(t) || typeof t.name !== 'string' || !isObject(t.input_schema)) return invalid(`tools.${i}.input_schema: Field required`);
    }
  }
  if (body.tool_choice !== undefined) {
    const c = body.tool_choice;
    if (!isObject(c) || !['auto', 'any', 'tool', 'none'].includes(String(c.type)) || (c.type === 'tool' && typeof c.name !== 'string')) {
      return invalid("tool_choice: Input tag does not match any of the expected tags: 'auto', 'any', 'tool', 'none'");
    }
  }
  return undefined;
}

const event = (type: string, data: Record<string, unknown>): string => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

export function renderAnthropic(reply: MockReply, body: Record<string, unknown>, nextId: IdSource): RenderedReply {
  if (reply.kind === 'error') {
    const rendered = anthropicError(reply.status, reply.message);
    return reply.retryAfter === undefined ? rendered : { ...rendered, headers: { 'retry-after': reply.retryAfter } };
  }
  if (reply.kind === 'stream-error') {
    return { kind: 'sse', frames: [event('error', { error: { type: 'overloaded_error', message: reply.message } })] };
  }
  const stops = Array.isArray(body.stop_sequences) ? body.stop_sequences.filter((s): s is string => typeof s === 'string') : [];
  const stopped = reply.text === undefined ? undefined : applyStop(reply.text, stops);
  const calls = (reply.toolCalls ?? []).map((c) => ({ id: nextId('toolu_'), name: c.name, input: c.input }));
  const stopReason = reply.truncated ? 'max_tokens' : stopped?.matched !== undefined ? 'stop_sequence' : calls.length > 0 ? 'tool_use' : 'end_turn';
  const stopSequence = reply.truncated ? null : stopped?.matched ?? null;
  const u = reply.usage ?? DEFAULT_USAGE;
  const usage = {
    input_tokens: u.input,
    cache_creation_input_tokens: u.cacheWrite ?? 0,
    cache_read_input_tokens: u.cacheRead ?? 0,
    output_tokens: u.output,
    service_tier: 'standard',
  };
  const id = nextId('msg_');
  const model = body.model;

  if (body.stream !== true) {
    const content: Record<string, unknown>[] = [];
    if (stopped !== undefined && stopped.text.length > 0) content.push({ type: 'text', text: stopped.text });
    for (const c of calls) content.push({ type: 'tool_use', id: c.id, name: c.name, input: c.input });
    return {
      kind: 'json',
      status: 200,
      body: { id, type: 'message', role: 'assistant', model, content, stop_reason: stopReason, stop_sequence: stopSequence, usage },
    };
  }

  const frames = [
    event('message_start', {
      message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } },
    }),
  ];
  let index = 0;
  if (stopped !== undefined && stopped.text.length > 0) {
    frames.push(event('content_block_start', { index, content_block: { type: 'text', text: '' } }));
    frames.push(event('ping', {}));
    for (const piece of streamPieces(stopped.text)) frames.push(event('content_block_delta', { index, delta: { type: 'text_delta', text: piece } }));
    frames.push(event('content_block_stop', { index }));
    index++;
  }
  for (const c of calls) {
    frames.push(event('content_block_start', { index, content_block: { type: 'tool_use', id: c.id, name: c.name, input: {} } }));
    frames.push(event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: '' } }));
    for (const part of jsonFragments(JSON.stringify(c.input))) {
      frames.push(event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: part } }));
    }
    frames.push(event('content_block_stop', { index }));
    index++;
  }
  frames.push(event('message_delta', { delta: { stop_reason: stopReason, stop_sequence: stopSequence }, usage: { output_tokens: u.output } }));
  frames.push(event('message_stop', {}));
  return { kind: 'sse', frames };
}
