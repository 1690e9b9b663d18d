// Prebuilt response bytes for the mock upstream. Built once at startup so the
// mock spends no time per request on serialization: the harness must measure
// the gateway, not the mock.

const created = 1_700_000_000;

/** A realistic ~400-byte non-streaming chat.completion body. */
export function chatCompletionBody(): Buffer {
  return Buffer.from(
    JSON.stringify({
      id: 'chatcmpl-bench0000000000000000000001',
      object: 'chat.completion',
      created,
      model: 'gpt-4o-mini-2024-07-18',
      system_fingerprint: 'fp_bench',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'The quick brown fox jumps over the lazy dog. Benchmarks measure the gateway, not the model.',
            refusal: null,
          },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 12, completion_tokens: 21, total_tokens: 33 },
    }),
  );
}

export const STREAM_CHUNK_COUNT = 20;

/** One SSE event per element: 20 chat.completion.chunk events, then the [DONE] sentinel. */
export function chatStreamEvents(): Buffer[] {
  const events: Buffer[] = [];
  for (let i = 0; i < STREAM_CHUNK_COUNT; i++) {
    const last = i === STREAM_CHUNK_COUNT - 1;
    const chunk = {
      id: 'chatcmpl-bench0000000000000000000002',
      object: 'chat.completion.chunk',
      created,
      model: 'gpt-4o-mini-2024-07-18',
      choices: [
        {
          index: 0,
          delta: i === 0 ? { role: 'assistant', content: 'tok0 ' } : last ? {} : { content: `tok${i} ` },
          logprobs: null,
          finish_reason: last ? 'stop' : null,
        },
      ],
    };
    events.push(Buffer.from(`data: ${JSON.stringify(chunk)}\n\n`));
  }
  events.push(Buffer.from('data: [DONE]\n\n'));
  return events;
}

/** OpenAI-shaped rate-limit error, served for every path under /fail/. */
export function rateLimitBody(): Buffer {
  return Buffer.from(
    JSON.stringify({
      error: {
        message: 'Rate limit reached (bench mock: this path always fails).',
        type: 'requests',
        param: null,
        code: 'rate_limit_exceeded',
      },
    }),
  );
}

const RESPONSE_TEXT = 'The quick brown fox jumps over the lazy dog. Benchmarks measure the gateway, not the model.';

function responseObject(status: 'in_progress' | 'completed', text: string | undefined): Record<string, unknown> {
  const output = text === undefined ? [] : [{ type: 'message', id: 'msg_bench0001', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text, annotations: [], logprobs: [] }] }];
  return {
    id: 'resp_bench0000000000000000000001',
    object: 'response',
    created_at: created,
    status,
    error: null,
    incomplete_details: null,
    model: 'gpt-4o-mini-2024-07-18',
    output,
    usage: status === 'completed' ? { input_tokens: 12, input_tokens_details: { cached_tokens: 0 }, output_tokens: 21, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 33 } : null,
  };
}

/** A non-streaming Responses API answer with the same text as the chat completion. */
export function responseBody(): Buffer {
  return Buffer.from(JSON.stringify(responseObject('completed', RESPONSE_TEXT)));
}

/** A Responses API stream as OpenAI sends it: the response's framing around 20 text deltas. */
export function responseStreamEvents(): Buffer[] {
  const item = { item_id: 'msg_bench0001', output_index: 0 };
  const part = { ...item, content_index: 0 };
  const deltas = Array.from({ length: STREAM_CHUNK_COUNT }, (_, i) => `tok${i} `);
  const text = deltas.join('');
  const payloads: Record<string, unknown>[] = [
    { type: 'response.created', response: responseObject('in_progress', undefined) },
    { type: 'response.in_progress', response: responseObject('in_progress', undefined) },
    { type: 'response.output_item.added', output_index: 0, item: { type: 'message', id: 'msg_bench0001', status: 'in_progress', role: 'assistant', content: [] } },
    { type: 'response.content_part.added', ...part, part: { type: 'output_text', text: '', annotations: [], logprobs: [] } },
    ...deltas.map((delta) => ({ type: 'response.output_text.delta', ...part, delta, logprobs: [] })),
    { type: 'response.output_text.done', ...part, text, logprobs: [] },
    { type: 'response.content_part.done', ...part, part: { type: 'output_text', text, annotations: [], logprobs: [] } },
    { type: 'response.output_item.done', output_index: 0, item: { type: 'message', id: 'msg_bench0001', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text, annotations: [], logprobs: [] }] } },
    { type: 'response.completed', response: responseObject('completed', text) },
  ];
  return payloads.map((p, i) => Buffer.from(`event: ${String(p['type'])}\ndata: ${JSON.stringify({ ...p, sequence_number: i })}\n\n`));
}
