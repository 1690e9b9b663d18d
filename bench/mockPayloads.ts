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

/** An Anthropic Messages answer, for the translated long-prompt rows (an OpenAI client to an Anthropic-format entry). */
export function anthropicMessageBody(): Buffer {
  return Buffer.from(
    JSON.stringify({
      id: 'msg_bench000000000000000001',
      type: 'message',
      role: 'assistant',
      model: 'claude-bench',
      content: [{ type: 'text', text: 'The quick brown fox jumps over the lazy dog. Benchmarks measure the gateway, not the model.' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 12, output_tokens: 21 },
    }),
  );
}

/** One chunk of a slow stream (one token a second): `role` only on the first. */
export function slowStreamChunk(i: number, last: boolean): Buffer {
  const chunk = {
    id: 'chatcmpl-bench0000000000000000000003',
    object: 'chat.completion.chunk',
    created,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [{ index: 0, delta: last ? {} : i === 0 ? { role: 'assistant', content: 'tok0 ' } : { content: `tok${i} ` }, logprobs: null, finish_reason: last ? 'stop' : null }],
  };
  return Buffer.from(`data: ${JSON.stringify(chunk)}\n\n${last ? 'data: [DONE]\n\n' : ''}`);
}
