// Stateless: one OpenAI event → what it means for the stream, in order. A
// single chunk may carry text, several tool-call deltas, a finish reason and
// usage at once. Only choice 0 is read: n > 1 is refused before the request
// is sent.
import type { OpenAIFinishReason, OpenAIUsage } from '../../openai/types.js';
import { chunkDelta, finishReason, toolCallDeltas, type OpenAIEvent } from '../../openai/events.js';
import { isJsonObject } from '../../sse/jsonData.js';
import { UNPARSEABLE_EVENT } from './translator.js';
import { reasoningText } from '../reasoning.js';

export type OpenAISignal =
  | { kind: 'meta'; id: string; model: string }
  | { kind: 'text'; text: string; refusal: boolean }
  /** Reasoning shown beside the content (reasoning_content or reasoning; see ../reasoning.ts). */
  | { kind: 'reasoning'; text: string }
  | { kind: 'tool-delta'; index: number; id?: string; name?: string; args: string }
  | { kind: 'finish'; reason: OpenAIFinishReason }
  | { kind: 'usage'; usage: OpenAIUsage }
  | { kind: 'done' }
  | { kind: 'error'; type: string; message: string };

export function openAISignals(e: OpenAIEvent): OpenAISignal[] {
  switch (e.kind) {
    case 'done':
      return [{ kind: 'done' }];
    case 'error': {
      const err = typeof e.body.error === 'object' && e.body.error !== null ? e.body.error : undefined;
      return [{ kind: 'error', type: err?.type ?? 'api_error', message: err?.message ?? 'upstream error' }];
    }
    case 'opaque':
      if (e.malformed) return [{ kind: 'error', type: 'api_error', message: UNPARSEABLE_EVENT }];
      return e.sse.event === 'error' ? [{ kind: 'error', type: 'api_error', message: 'upstream error' }] : [];
    case 'chunk':
      break;
  }
  const chunk = e.chunk;
  const out: OpenAISignal[] = [{ kind: 'meta', id: chunk.id, model: chunk.model }];
  const delta = chunkDelta(chunk);
  const reasoning = reasoningText(delta);
  if (reasoning !== undefined) out.push({ kind: 'reasoning', text: reasoning });
  if (typeof delta?.content === 'string' && delta.content.length > 0) out.push({ kind: 'text', text: delta.content, refusal: false });
  if (typeof delta?.refusal === 'string' && delta.refusal.length > 0) out.push({ kind: 'text', text: delta.refusal, refusal: true });
  for (const call of toolCallDeltas(delta)) {
    const fn = isJsonObject(call.function) ? call.function : undefined;
    const args = fn?.['arguments'];
    const signal: OpenAISignal & { kind: 'tool-delta' } = {
      kind: 'tool-delta',
      index: typeof call.index === 'number' ? call.index : 0,
      args: typeof args === 'string' ? args : '',
    };
    if (typeof call.id === 'string') signal.id = call.id;
    if (typeof fn?.['name'] === 'string') signal.name = fn['name'];
    out.push(signal);
  }
  const reason = finishReason(chunk);
  if (reason !== undefined) out.push({ kind: 'finish', reason });
  if (chunk.usage) out.push({ kind: 'usage', usage: chunk.usage });
  return out;
}
