// Streams in the shapes the providers document, as raw SSE text.
const a = (type: string, body: object): string => `event: ${type}\ndata: ${JSON.stringify({ type, ...body })}\n\n`;

const messageStart = (id: string, usage: object): string =>
  a('message_start', {
    message: {
      id,
      type: 'message',
      role: 'assistant',
      content: [],
      model: 'claude-sonnet-4-5-20250929',
      stop_reason: null,
      stop_sequence: null,
      usage,
    },
  });

export const ANTHROPIC_TEXT_STREAM =
  messageStart('msg_01text', { input_tokens: 25, cache_creation_input_tokens: 0, cache_read_input_tokens: 100, output_tokens: 1 }) +
  a('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }) +
  'event: ping\ndata: {"type": "ping"}\n\n' +
  a('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Hello' } }) +
  a('content_block_delta', { index: 0, delta: { type: 'text_delta', text: ', world' } }) +
  a('content_block_stop', { index: 0 }) +
  a('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 15 } }) +
  a('message_stop', {});

export const ANTHROPIC_PARALLEL_TOOLS_STREAM =
  messageStart('msg_01tools', { input_tokens: 400, output_tokens: 1 }) +
  a('content_block_start', { index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } }) +
  a('content_block_delta', { index: 0, delta: { type: 'thinking_delta', thinking: 'Two cities.' } }) +
  a('content_block_delta', { index: 0, delta: { type: 'signature_delta', signature: 'EqQB' } }) +
  a('content_block_stop', { index: 0 }) +
  a('content_block_start', { index: 1, content_block: { type: 'text', text: '' } }) +
  a('content_block_delta', { index: 1, delta: { type: 'text_delta', text: 'Checking both.' } }) +
  a('content_block_stop', { index: 1 }) +
  a('content_block_start', { index: 2, content_block: { type: 'tool_use', id: 'toolu_paris', name: 'get_weather', input: {} } }) +
  a('content_block_delta', { index: 2, delta: { type: 'input_json_delta', partial_json: '' } }) +
  a('content_block_delta', { index: 2, delta: { type: 'input_json_delta', partial_json: '{"location": "Pa' } }) +
  a('content_block_delta', { index: 2, delta: { type: 'input_json_delta', partial_json: 'ris"}' } }) +
  a('content_block_stop', { index: 2 }) +
  a('content_block_start', { index: 3, content_block: { type: 'tool_use', id: 'toolu_rome', name: 'get_weather', input: {} } }) +
  a('content_block_delta', { index: 3, delta: { type: 'input_json_delta', partial_json: '{"location": "Rome"}' } }) +
  a('content_block_stop', { index: 3 }) +
  a('message_delta', { delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 89 } }) +
  a('message_stop', {});

const o = (choices: object[], extra: object = {}): string =>
  `data: ${JSON.stringify({
    id: 'chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG',
    object: 'chat.completion.chunk',
    created: 1741570283,
    model: 'gpt-4o-2024-08-06',
    system_fingerprint: 'fp_eb9dce56a8',
    choices,
    usage: null,
    ...extra,
  })}\n\n`;

const delta = (d: object, finish: string | null = null): object => ({ index: 0, delta: d, logprobs: null, finish_reason: finish });

const usageChunk = (usage: object): string => o([], { usage });

export const OPENAI_TEXT_STREAM =
  o([delta({ role: 'assistant', content: '', refusal: null })]) +
  o([delta({ content: 'Hello' })]) +
  o([delta({ content: ', world' })]) +
  o([delta({}, 'stop')]) +
  usageChunk({
    prompt_tokens: 130,
    completion_tokens: 15,
    total_tokens: 145,
    prompt_tokens_details: { cached_tokens: 100, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0 },
  }) +
  'data: [DONE]\n\n';

export const OPENAI_PARALLEL_TOOLS_STREAM =
  o([delta({ role: 'assistant', content: null, tool_calls: [{ index: 0, id: 'call_paris', type: 'function', function: { name: 'get_weather', arguments: '' } }], refusal: null })]) +
  o([delta({ tool_calls: [{ index: 0, function: { arguments: '{"lo' } }] })]) +
  o([delta({ tool_calls: [{ index: 0, function: { arguments: 'cation": "Paris"}' } }] })]) +
  o([delta({ tool_calls: [{ index: 1, id: 'call_rome', type: 'function', function: { name: 'get_weather', arguments: '' } }] })]) +
  o([delta({ tool_calls: [{ index: 1, function: { arguments: '{"location": "Rome"}' } }] })]) +
  o([delta({}, 'tool_calls')]) +
  usageChunk({ prompt_tokens: 82, completion_tokens: 40, total_tokens: 122 }) +
  'data: [DONE]\n\n';
