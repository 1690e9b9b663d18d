// Stateless: one OpenAI SSE event → what it means for the stream, in order.
// A single chunk may carry text, several tool-call deltas, a finish reason and
// usage at once. Only choice 0 is read: n > 1 is refused before the request
// is sent.
import type { OpenAIChunk, OpenAIFinishReason, OpenAIUsage } from '../../openai/types.js';
import type { SseEvent } from '../../sse/parser.js';

export type OpenAISignal =
  | { kind: 'meta'; id: string; model: string }
  | { kind: 'text'; text: string; refusal: boolean }
  | { kind: 'tool-delta'; index: number; id?: string; name?: string; args: string }
  | { kind: 'finish'; reason: OpenAIFinishReason }
  | { kind: 'usage'; usage: OpenAIUsage }
  | { kind: 'done' }
  | { kind: 'error'; type: string; message: string };

export function readOpenAIEvent(ev: SseEvent): OpenAISignal[] {
  if (ev.data === '[DONE]') return [{ kind: 'done' }];
  let parsed: (OpenAIChunk & { error?: undefined }) | { error: { message?: string; type?: string } };
  try {
    parsed = JSON.parse(ev.data) as typeof parsed;
  } catch {
    return [{ kind: 'error', type: 'api_error', message: 'upstream sent an unparseable stream event' }];
  }
  if (parsed === null || typeof parsed !== 'object') return [];
  if (parsed.error !== undefined) {
    const err = parsed.error;
    return [{ kind: 'error', type: err?.type ?? 'api_error', message: err?.message ?? 'upstream error' }];
  }
  const chunk = parsed as OpenAIChunk;
  const out: OpenAISignal[] = [{ kind: 'meta', id: chunk.id, model: chunk.model }];
  const choice = chunk.choices?.find((c) => c.index === 0) ?? chunk.choices?.[0];
  const delta = choice?.delta;
  if (typeof delta?.content === 'string' && delta.content.length > 0) out.push({ kind: 'text', text: delta.content, refusal: false });
  if (typeof delta?.refusal === 'string' && delta.refusal.length > 0) out.push({ kind: 'text', text: delta.refusal, refusal: true });
  for (const call of delta?.tool_calls ?? []) {
    const signal: OpenAISignal & { kind: 'tool-delta' } = { kind: 'tool-delta', index: call.index ?? 0, args: call.function?.arguments ?? '' };
    if (typeof call.id === 'string') signal.id = call.id;
    if (typeof call.function?.name === 'string') signal.name = call.function.name;
    out.push(signal);
  }
  if (choice?.finish_reason) out.push({ kind: 'finish', reason: choice.finish_reason });
  if (chunk.usage) out.push({ kind: 'usage', usage: chunk.usage });
  return out;
}
