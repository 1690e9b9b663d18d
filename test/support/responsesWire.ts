// OpenAI's Responses API as a mock provider speaks it: the request checks the
// real API makes (a bearer key, known top-level fields, input items of known
// types, a previous_response_id it cannot know: this mock stores nothing, as
// with store: false), and replies in the documented shapes: a `response`
// object, and named SSE events with sequence numbers (response.created,
// response.in_progress, output_item.added/done, content_part.added/done,
// output_text.delta/done, function_call_arguments.delta/done,
// response.completed or response.incomplete) as fixtures/sse in
// test/fixtures/codex shows them. Errors are `{"error":{message,type,param,code}}`.
// Written from the public API reference, independently of the gateway's types.
import type { IncomingHttpHeaders } from 'node:http';
import { applyStop, DEFAULT_USAGE, type IdSource, isObject, type JsonReply, jsonFragments, type MockReply, type MockUsage, type RenderedReply, streamPieces } from './mockReplies.js';
import { openAIError } from './openAIWire.js';

const KNOWN_PARAMS = new Set([
  'model', 'input', 'instructions', 'tools', 'tool_choice', 'parallel_tool_calls', 'max_output_tokens', 'temperature', 'top_p',
  'text', 'reasoning', 'metadata', 'store', 'previous_response_id', 'stream', 'include', 'prompt_cache_key', 'user',
  'safety_identifier', 'background', 'service_tier', 'truncation', 'client_metadata', 'stream_options', 'max_tool_calls',
  'top_logprobs', 'prompt', 'conversation', 'prompt_cache_retention',
]);

const ITEM_TYPES = new Set([
  'message', 'function_call', 'function_call_output', 'custom_tool_call', 'custom_tool_call_output', 'reasoning', 'additional_tools',
  'web_search_call', 'item_reference',
]);

/** The 4xx the real API would answer, or undefined when the request is acceptable. */
export function checkResponsesRequest(body: Record<string, unknown>, headers: IncomingHttpHeaders): JsonReply | undefined {
  const auth = headers['authorization'];
  if (typeof auth !== 'string' || !/^Bearer \S+$/.test(auth)) return openAIError(401, "You didn't provide an API key.");
  for (const key of Object.keys(body)) {
    if (!KNOWN_PARAMS.has(key)) return openAIError(400, `Unknown parameter: '${key}'.`, key);
  }
  if (typeof body.model !== 'string') return openAIError(400, "Missing required parameter: 'model'.", 'model');
  if (typeof body.previous_response_id === 'string') {
    const reply = openAIError(400, `Previous response with id '${body.previous_response_id}' not found.`, 'previous_response_id');
    (reply.body as { error: { code: string } }).error.code = 'previous_response_not_found';
    return reply;
  }
  if (Array.isArray(body.input)) {
    for (const [i, item] of body.input.entries()) {
      const type = isObject(item) ? (item.type ?? (item.role !== undefined ? 'message' : undefined)) : undefined;
      if (typeof type !== 'string' || !ITEM_TYPES.has(type)) return openAIError(400, `Invalid value for 'input[${i}].type'.`, `input[${i}].type`);
    }
  } else if (typeof body.input !== 'string') {
    return openAIError(400, "Missing required parameter: 'input'.", 'input');
  }
  return undefined;
}

function usage(u: MockUsage): Record<string, unknown> {
  const cached = u.cacheRead ?? 0;
  const input = u.input + cached;
  return { input_tokens: input, input_tokens_details: { cached_tokens: cached }, output_tokens: u.output, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: input + u.output };
}

export function renderResponses(reply: MockReply, body: Record<string, unknown>, nextId: IdSource): RenderedReply {
  if (reply.kind === 'error') {
    const rendered = openAIError(reply.status, reply.message);
    return reply.retryAfter === undefined ? rendered : { ...rendered, headers: { 'retry-after': reply.retryAfter } };
  }
  const id = nextId('resp_');
  const base = {
    id,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    error: null,
    incomplete_details: null,
    instructions: body.instructions ?? null,
    model: body.model,
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: null,
    store: body.store ?? true,
    temperature: body.temperature ?? 1,
    text: isObject(body.text) && isObject(body.text.format) ? { format: body.text.format } : { format: { type: 'text' } },
    tool_choice: body.tool_choice ?? 'auto',
    tools: body.tools ?? [],
    top_p: body.top_p ?? 1,
    usage: null,
    metadata: body.metadata ?? {},
  };
  if (reply.kind === 'stream-error') {
    const frames = [
      `event: response.created\ndata: ${JSON.stringify({ type: 'response.created', sequence_number: 0, response: { ...base, status: 'in_progress', output: [] } })}\n\n`,
      `event: error\ndata: ${JSON.stringify({ type: 'error', sequence_number: 1, code: 'server_error', message: reply.message, param: null })}\n\n`,
    ];
    return { kind: 'sse', frames };
  }
  const text = reply.text === undefined ? undefined : applyStop(reply.text, []).text;
  const message = text === undefined ? undefined : { type: 'message', id: nextId('msg_'), status: 'completed', role: 'assistant', content: [{ type: 'output_text', text, annotations: [], logprobs: [] }] };
  const calls = (reply.toolCalls ?? []).map((c) => ({ type: 'function_call', id: nextId('fc_'), call_id: nextId('call_'), name: c.name, arguments: JSON.stringify(c.input), status: 'completed' }));
  const output = [...(message ? [message] : []), ...calls];
  const status = reply.truncated ? 'incomplete' : 'completed';
  const final = { ...base, status, incomplete_details: reply.truncated ? { reason: 'max_output_tokens' } : null, output, usage: usage(reply.usage ?? DEFAULT_USAGE) };
  if (body.stream !== true) return { kind: 'json', status: 200, body: final };

  let seq = 0;
  const ev = (type: string, data: Record<string, unknown>): string => `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...data })}\n\n`;
  const inProgress = { ...base, status: 'in_progress', output: [] };
  const frames = [ev('response.created', { response: inProgress }), ev('response.in_progress', { response: inProgress })];
  output.forEach((item, outputIndex) => {
    if (item.type === 'message' && text !== undefined) {
      const at = { item_id: item.id, output_index: outputIndex, content_index: 0 };
      frames.push(ev('response.output_item.added', { output_index: outputIndex, item: { ...item, status: 'in_progress', content: [] } }));
      frames.push(ev('response.content_part.added', { ...at, part: { type: 'output_text', text: '', annotations: [], logprobs: [] } }));
      for (const piece of streamPieces(text)) frames.push(ev('response.output_text.delta', { ...at, delta: piece, logprobs: [] }));
      frames.push(ev('response.output_text.done', { ...at, text, logprobs: [] }));
      frames.push(ev('response.content_part.done', { ...at, part: { type: 'output_text', text, annotations: [], logprobs: [] } }));
    } else if (item.type === 'function_call') {
      const call = item as (typeof calls)[number];
      frames.push(ev('response.output_item.added', { output_index: outputIndex, item: { ...call, arguments: '', status: 'in_progress' } }));
      for (const part of jsonFragments(call.arguments)) frames.push(ev('response.function_call_arguments.delta', { item_id: call.id, output_index: outputIndex, delta: part }));
      frames.push(ev('response.function_call_arguments.done', { item_id: call.id, output_index: outputIndex, arguments: call.arguments }));
    }
    frames.push(ev('response.output_item.done', { output_index: outputIndex, item }));
  });
  frames.push(ev(status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response: final }));
  return { kind: 'sse', frames };
}
