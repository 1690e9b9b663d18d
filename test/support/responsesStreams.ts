// Native Responses API streams for raw mock upstreams, shaped as OpenAI sends
// them (named events, sequence numbers from 0), and a reader for what a
// Responses client received.
import { sseEvents } from './streamMocks.js';

type Body = Record<string, unknown>;

export interface ResponsesShape {
  /** Stop after the text deltas: no done events, no response.completed (for a cut). */
  readonly open?: boolean;
  readonly model?: string;
}

export function responsesFrames(pieces: readonly string[], shape: ResponsesShape = {}): string[] {
  let seq = 0;
  const ev = (type: string, data: Body): string => `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...data })}\n\n`;
  const base = { id: 'resp_upstream', object: 'response', created_at: 1_700_000_000, model: shape.model ?? 'gpt-native', error: null, incomplete_details: null, output: [] };
  const at = { item_id: 'msg_upstream', output_index: 0, content_index: 0 };
  const frames = [
    ev('response.created', { response: { ...base, status: 'in_progress' } }),
    ev('response.in_progress', { response: { ...base, status: 'in_progress' } }),
    ev('response.output_item.added', { output_index: 0, item: { type: 'message', id: 'msg_upstream', role: 'assistant', status: 'in_progress', content: [] } }),
    ev('response.content_part.added', { ...at, part: { type: 'output_text', text: '', annotations: [] } }),
    ...pieces.map((delta) => ev('response.output_text.delta', { ...at, delta })),
  ];
  if (shape.open === true) return frames;
  const text = pieces.join('');
  const item = { type: 'message', id: 'msg_upstream', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] };
  const usage = { input_tokens: 5, input_tokens_details: { cached_tokens: 0 }, output_tokens: pieces.length, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 5 + pieces.length };
  frames.push(
    ev('response.output_text.done', { ...at, text }),
    ev('response.content_part.done', { ...at, part: item.content[0] }),
    ev('response.output_item.done', { output_index: 0, item }),
    ev('response.completed', { response: { ...base, status: 'completed', output: [item], usage } }),
  );
  return frames;
}

/** The events a Responses client received, parsed. */
export function responsesEvents(body: string): Body[] {
  return sseEvents(body).map((e) => JSON.parse(e.data) as Body);
}

/** The text of the client's output_text deltas, in order. */
export const deltasText = (events: readonly Body[]): string =>
  events.filter((e) => e.type === 'response.output_text.delta').map((e) => String(e.delta)).join('');
