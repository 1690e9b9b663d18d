// Real wire formats for streaming tests: OpenAI chat.completion.chunk streams
// and Anthropic message_start/content_block_*/message_delta/message_stop
// streams, plus providers that continue a canonical answer from an assistant
// prefill the way Anthropic does.
import type { MockStep, RecordedRequest } from './mockUpstream.js';

/** A canonical answer of `n` tokens; token i is "t<i> " (the last has no trailing space). */
export function canonicalTokens(n: number): string[] {
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? `t${i}.` : `t${i} `));
}

export interface StreamShape {
  readonly model?: string;
  readonly usage?: { readonly input: number; readonly output: number };
  /** Leave the closing events off (for cuts and stalls). */
  readonly open?: boolean;
}

export function openAIFrames(pieces: readonly string[], shape: StreamShape = {}): string[] {
  const model = shape.model ?? 'gpt-mock';
  const base = { id: 'chatcmpl-mock', object: 'chat.completion.chunk', created: 1_700_000_000, model };
  const chunk = (delta: object, finish: string | null): string =>
    `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`;
  const frames = [chunk({ role: 'assistant', content: '' }, null), ...pieces.map((p) => chunk({ content: p }, null))];
  if (shape.open) return frames;
  frames.push(chunk({}, 'stop'));
  if (shape.usage) {
    const u = shape.usage;
    frames.push(`data: ${JSON.stringify({ ...base, choices: [], usage: { prompt_tokens: u.input, completion_tokens: u.output, total_tokens: u.input + u.output } })}\n\n`);
  }
  frames.push('data: [DONE]\n\n');
  return frames;
}

const anthropicEvent = (type: string, body: object): string => `event: ${type}\ndata: ${JSON.stringify({ type, ...body })}\n\n`;

export function anthropicFrames(pieces: readonly string[], shape: StreamShape = {}): string[] {
  const model = shape.model ?? 'claude-mock';
  const usage = shape.usage ?? { input: 10, output: pieces.length };
  const frames = [
    anthropicEvent('message_start', {
      message: { id: 'msg_mock', type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: usage.input, output_tokens: 1 } },
    }),
    anthropicEvent('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    anthropicEvent('ping', {}),
    ...pieces.map((p) => anthropicEvent('content_block_delta', { index: 0, delta: { type: 'text_delta', text: p } })),
  ];
  if (shape.open) return frames;
  frames.push(
    anthropicEvent('content_block_stop', { index: 0 }),
    anthropicEvent('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: usage.output } }),
    anthropicEvent('message_stop', {}),
  );
  return frames;
}

/** The trailing assistant message's text in a recorded request (either format), or ''. */
export function prefillOf(req: RecordedRequest): string {
  const body = JSON.parse(req.body) as { messages?: { role: string; content: unknown }[] };
  const last = body.messages?.at(-1);
  if (last?.role !== 'assistant') return '';
  if (typeof last.content === 'string') return last.content;
  return (last.content as { type: string; text?: string }[]).map((b) => b.text ?? '').join('');
}

/** Splits text into pieces of about `size` characters. */
export function pieces(text: string, size = 6): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/**
 * A provider that continues `canonical` from whatever prefill it is given,
 * like Anthropic's Messages API: the output starts right after the prefill.
 * A prefill that is not a prefix of the answer gets a 400.
 */
export function continuesFromPrefill(canonical: string, format: 'openai' | 'anthropic', shape: StreamShape = {}): (req: RecordedRequest) => MockStep {
  return (req) => {
    const prefill = prefillOf(req);
    if (!canonical.startsWith(prefill)) {
      return { kind: 'json', status: 400, body: { type: 'error', error: { type: 'invalid_request_error', message: 'prefill does not match' } } };
    }
    const rest = pieces(canonical.slice(prefill.length));
    return { kind: 'sse', frames: format === 'openai' ? openAIFrames(rest, shape) : anthropicFrames(rest, shape) };
  };
}

/** Parses an SSE body into events (enough for test assertions). */
export function sseEvents(text: string): { event: string | undefined; data: string }[] {
  return text
    .split(/\n\n/)
    .filter((b) => b.trim() !== '')
    .map((block) => {
      let event: string | undefined;
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      return { event, data: data.join('\n') };
    });
}

/** The assistant text an OpenAI client stream carries. */
export function openAIText(body: string): string {
  let text = '';
  for (const ev of sseEvents(body)) {
    if (ev.data === '[DONE]') continue;
    const json = JSON.parse(ev.data) as { choices?: { delta?: { content?: string } }[] };
    text += json.choices?.[0]?.delta?.content ?? '';
  }
  return text;
}

/** The assistant text an Anthropic client stream carries. */
export function anthropicText(body: string): string {
  let text = '';
  for (const ev of sseEvents(body)) {
    const json = JSON.parse(ev.data) as { type: string; delta?: { type: string; text?: string } };
    if (json.type === 'content_block_delta' && json.delta?.type === 'text_delta') text += json.delta.text ?? '';
  }
  return text;
}
