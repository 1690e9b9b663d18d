// The OpenAI Chat Completions wire format as a mock provider speaks it:
// request checks the real API makes, and replies in its documented shapes
// (chat.completion, chat.completion.chunk deltas ending with `data: [DONE]`,
// the usage chunk with `choices: []` for stream_options.include_usage, and
// `{"error":{message,type,param,code}}` errors). Written from the public API
// reference, independently of the gateway's own types, so the two can disagree.
import type { IncomingHttpHeaders } from 'node:http';
import {
  applyStop,
  DEFAULT_USAGE,
  type IdSource,
  isObject,
  type JsonReply,
  jsonFragments,
  type MockReply,
  type MockUsage,
  type RenderedReply,
  streamPieces,
} from './mockReplies.js';

const KNOWN_PARAMS = new Set([
  'messages', 'model', 'audio', 'frequency_penalty', 'function_call', 'functions', 'logit_bias', 'logprobs',
  'max_completion_tokens', 'max_tokens', 'metadata', 'modalities', 'n', 'parallel_tool_calls', 'prediction',
  'presence_penalty', 'prompt_cache_key', 'reasoning_effort', 'response_format', 'safety_identifier', 'seed',
  'service_tier', 'stop', 'store', 'stream', 'stream_options', 'temperature', 'tool_choice', 'tools', 'top_logprobs',
  'top_p', 'user', 'verbosity', 'web_search_options',
]);

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);

/** OpenAI's reasoning models, which take reasoning_effort and max_completion_tokens and no sampling settings. */
const REASONING_MODEL = /^(?:o\d|gpt-5)/;

function checkReasoning(body: Record<string, unknown>): JsonReply | undefined {
  const model = String(body.model);
  if (!REASONING_MODEL.test(model)) {
    if (body.reasoning_effort !== undefined) {
      return openAIError(400, `Unrecognized request argument supplied: reasoning_effort (model ${model} does not reason)`, 'reasoning_effort');
    }
    return undefined;
  }
  if (body.max_tokens !== undefined) {
    return openAIError(400, "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", 'max_tokens');
  }
  for (const key of ['temperature', 'top_p']) {
    if (body[key] !== undefined && body[key] !== 1) {
      return openAIError(400, `Unsupported value: '${key}' does not support ${JSON.stringify(body[key])} with this model. Only the default (1) value is supported.`, key);
    }
  }
  if (body.reasoning_effort !== undefined && !['minimal', 'low', 'medium', 'high'].includes(JSON.stringify(body.reasoning_effort).slice(1, -1))) {
    return openAIError(400, `Invalid value for 'reasoning_effort'.`, 'reasoning_effort');
  }
  return undefined;
}

export function openAIError(status: number, message: string, param: string | null = null): JsonReply {
  const type = status === 429 ? 'requests' : status >= 500 ? 'server_error' : 'invalid_request_error';
  const code = status === 429 ? 'rate_limit_exceeded' : status === 401 ? 'invalid_api_key' : null;
  return { kind: 'json', status, body: { error: { message, type, param, code } } };
}

/** The 4xx the real API would answer, or undefined when the request is acceptable. */
export function checkOpenAIRequest(body: Record<string, unknown>, headers: IncomingHttpHeaders): JsonReply | undefined {
  const auth = headers['authorization'];
  // Azure OpenAI authenticates with an api-key header instead of a bearer token.
  if (typeof headers['api-key'] !== 'string' && (typeof auth !== 'string' || !/^Bearer \S+$/.test(auth))) {
    return openAIError(401, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth.");
  }
  for (const key of Object.keys(body)) {
    if (!KNOWN_PARAMS.has(key)) return openAIError(400, `Unrecognized request argument supplied: ${key}`, key);
  }
  if (typeof body.model !== 'string') return openAIError(400, "you must provide a model parameter", 'model');
  const reasoning = checkReasoning(body);
  if (reasoning) return reasoning;
  const format = body.response_format;
  if (isObject(format) && format.type === 'json_schema') {
    const spec = format.json_schema;
    if (!isObject(spec) || typeof spec.name !== 'string' || !isObject(spec.schema)) {
      return openAIError(400, "Missing required parameter: 'response_format.json_schema.name'.", 'response_format.json_schema');
    }
  }
  if (body.stream_options !== undefined && body.stream !== true) {
    return openAIError(400, "The 'stream_options' parameter is only allowed when 'stream' is enabled.", 'stream_options');
  }
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) return openAIError(400, "'messages' must contain at least one message.", 'messages');
  // Every assistant tool_calls id must be answered by the tool messages right after it, and only then.
  let pending: string[] = [];
  for (const [i, m] of messages.entries()) {
    if (!isObject(m) || typeof m.role !== 'string' || !ROLES.has(m.role)) return openAIError(400, `Invalid value for 'messages[${i}].role'.`, `messages[${i}].role`);
    if (m.role === 'tool') {
      const id = m.tool_call_id;
      if (typeof id !== 'string' || !pending.includes(id)) {
        return openAIError(400, `Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.`, `messages.[${i}].role`);
      }
      pending = pending.filter((p) => p !== id);
      continue;
    }
    if (pending.length > 0) {
      return openAIError(400, `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${pending.join(', ')}`, `messages.[${i}].role`);
    }
    if (m.role === 'assistant' && Array.isArray(m.tool_calls)) {
      pending = m.tool_calls.map((c) => (isObject(c) && typeof c.id === 'string' ? c.id : ''));
    }
  }
  if (pending.length > 0) {
    return openAIError(400, `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'.`, 'messages');
  }
  if (body.tools !== undefined) {
    if (!Array.isArray(body.tools)) return openAIError(400, "Invalid type for 'tools'.", 'tools');
    for (const [i, t] of body.tools.entries()) {
      if (!isObject(t) || t.type !== 'function' || !isObject(t.function) || typeof t.function.name !== 'string') {
        return openAIError(400, `Invalid value for 'tools[${i}]'.`, `tools[${i}]`);
      }
    }
  }
  return undefined;
}

function usageBody(u: MockUsage): Record<string, unknown> {
  const cached = u.cacheRead ?? 0;
  // OpenAI counts cached prompt tokens inside prompt_tokens.
  const prompt = u.input + cached;
  return {
    prompt_tokens: prompt,
    completion_tokens: u.output,
    total_tokens: prompt + u.output,
    prompt_tokens_details: { cached_tokens: cached, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

function stopsOf(body: Record<string, unknown>): string[] {
  if (typeof body.stop === 'string') return [body.stop];
  return Array.isArray(body.stop) ? body.stop.filter((s): s is string => typeof s === 'string') : [];
}

export function renderOpenAI(reply: MockReply, body: Record<string, unknown>, nextId: IdSource): RenderedReply {
  if (reply.kind === 'error') {
    const rendered = openAIError(reply.status, reply.message);
    return reply.retryAfter === undefined ? rendered : { ...rendered, headers: { 'retry-after': reply.retryAfter } };
  }
  if (reply.kind === 'stream-error') {
    const err = { error: { message: reply.message, type: 'server_error', param: null, code: null } };
    return { kind: 'sse', frames: [`data: ${JSON.stringify(err)}\n\n`] };
  }
  const text = reply.text === undefined ? undefined : applyStop(reply.text, stopsOf(body)).text;
  const calls = (reply.toolCalls ?? []).map((c) => ({ id: nextId('call_'), name: c.name, args: JSON.stringify(c.input) }));
  const finish = reply.truncated ? 'length' : calls.length > 0 ? 'tool_calls' : 'stop';
  const usage = usageBody(reply.usage ?? DEFAULT_USAGE);
  const id = nextId('chatcmpl-');
  const created = Math.floor(Date.now() / 1000);
  const model = body.model;
  const meta = { id, created, model, service_tier: 'default', system_fingerprint: 'fp_mock' };

  if (body.stream !== true) {
    const message: Record<string, unknown> = { role: 'assistant', content: text ?? null, refusal: null, annotations: [] };
    if (calls.length > 0) {
      message.tool_calls = calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.args } }));
    }
    return {
      kind: 'json',
      status: 200,
      body: { ...meta, object: 'chat.completion', choices: [{ index: 0, message, logprobs: null, finish_reason: finish }], usage },
    };
  }

  const includeUsage = isObject(body.stream_options) && body.stream_options.include_usage === true;
  const chunk = (delta: Record<string, unknown>, finishReason: string | null): string => {
    const c: Record<string, unknown> = { ...meta, object: 'chat.completion.chunk', choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }] };
    if (includeUsage) c.usage = null;
    return `data: ${JSON.stringify(c)}\n\n`;
  };
  const frames = [chunk({ role: 'assistant', content: text === undefined ? null : '', refusal: null }, null)];
  for (const piece of streamPieces(text ?? '')) frames.push(chunk({ content: piece }, null));
  calls.forEach((c, index) => {
    frames.push(chunk({ tool_calls: [{ index, id: c.id, type: 'function', function: { name: c.name, arguments: '' } }] }, null));
    for (const part of jsonFragments(c.args)) frames.push(chunk({ tool_calls: [{ index, function: { arguments: part } }] }, null));
  });
  frames.push(chunk({}, finish));
  if (includeUsage) frames.push(`data: ${JSON.stringify({ ...meta, object: 'chat.completion.chunk', choices: [], usage })}\n\n`);
  frames.push('data: [DONE]\n\n');
  return { kind: 'sse', frames };
}
