// Stateless: one Anthropic SSE event → what it means for the stream. Knows
// nothing about what came before; the sequencer keeps that state.
import type { AnthropicStopReason, AnthropicStreamEvent, AnthropicUsage } from '../../anthropic/types.js';
import type { SseEvent } from '../../sse/parser.js';

export type AnthropicSignal =
  | { kind: 'start'; id: string; model: string; usage: Partial<AnthropicUsage> }
  | { kind: 'text'; block: number; text: string }
  | { kind: 'tool-start'; block: number; id: string; name: string }
  | { kind: 'tool-args'; block: number; json: string }
  | { kind: 'stop-reason'; reason: AnthropicStopReason | null; usage: Partial<AnthropicUsage> }
  | { kind: 'end' }
  | { kind: 'error'; type: string; message: string }
  /** ping, block stops, thinking and signature deltas, unknown future events. */
  | { kind: 'nothing' };

const NOTHING: AnthropicSignal = { kind: 'nothing' };

export function readAnthropicEvent(ev: SseEvent): AnthropicSignal {
  // Typed loosely on purpose: a provider may omit fields the reference promises.
  let parsed: AnthropicStreamEvent;
  try {
    parsed = JSON.parse(ev.data) as AnthropicStreamEvent;
  } catch {
    return { kind: 'error', type: 'api_error', message: 'upstream sent an unparseable stream event' };
  }
  if (parsed === null || typeof parsed !== 'object') return NOTHING;
  switch (parsed.type) {
    case 'message_start': {
      const message = parsed.message ?? {};
      return { kind: 'start', id: message.id ?? 'msg_switchyard', model: message.model ?? '', usage: message.usage ?? {} };
    }
    case 'content_block_start': {
      const block = parsed.content_block;
      if (!block) return NOTHING;
      if (block.type === 'tool_use') return { kind: 'tool-start', block: parsed.index, id: block.id, name: block.name };
      if (block.type === 'text' && block.text.length > 0) return { kind: 'text', block: parsed.index, text: block.text };
      return NOTHING;
    }
    case 'content_block_delta': {
      const delta = parsed.delta;
      if (!delta) return NOTHING;
      if (delta.type === 'text_delta') return { kind: 'text', block: parsed.index, text: delta.text };
      if (delta.type === 'input_json_delta') return { kind: 'tool-args', block: parsed.index, json: delta.partial_json };
      return NOTHING; // thinking/signature: no OpenAI field (documented loss)
    }
    case 'message_delta':
      return { kind: 'stop-reason', reason: parsed.delta?.stop_reason ?? null, usage: parsed.usage ?? {} };
    case 'message_stop':
      return { kind: 'end' };
    case 'error':
      return { kind: 'error', type: parsed.error?.type ?? 'api_error', message: parsed.error?.message ?? 'upstream error' };
    default:
      return NOTHING;
  }
}
