// Stateless: one Anthropic event → what it means for the stream. Knows
// nothing about what came before; the sequencer keeps that state.
import type { AnthropicStopReason, AnthropicUsage } from '../../anthropic/types.js';
import type { AnthropicEvent } from '../../anthropic/events.js';
import { UNPARSEABLE_EVENT } from './translator.js';

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

const stringOr = (v: unknown): string => (typeof v === 'string' ? v : '');

export function anthropicSignal(e: AnthropicEvent): AnthropicSignal {
  if (e.kind === 'opaque') {
    if (e.malformed) return { kind: 'error', type: 'api_error', message: UNPARSEABLE_EVENT };
    return e.sse.event === 'error' ? { kind: 'error', type: 'api_error', message: 'upstream error' } : NOTHING;
  }
  const p = e.payload;
  switch (p.type) {
    case 'message_start': {
      const message = p.message ?? {};
      return { kind: 'start', id: message.id ?? 'msg_switchyard', model: message.model ?? '', usage: message.usage ?? {} };
    }
    case 'content_block_start': {
      const block = p.content_block;
      if (!block) return NOTHING;
      if (block.type === 'tool_use') return { kind: 'tool-start', block: p.index, id: block.id, name: block.name };
      if (block.type === 'text' && typeof block.text === 'string' && block.text.length > 0) return { kind: 'text', block: p.index, text: block.text };
      return NOTHING;
    }
    case 'content_block_delta': {
      const delta = p.delta;
      if (!delta) return NOTHING;
      if (delta.type === 'text_delta') return { kind: 'text', block: p.index, text: stringOr(delta.text) };
      if (delta.type === 'input_json_delta') return { kind: 'tool-args', block: p.index, json: stringOr(delta.partial_json) };
      return NOTHING; // thinking/signature: no OpenAI field (documented loss)
    }
    case 'message_delta':
      return { kind: 'stop-reason', reason: p.delta?.stop_reason ?? null, usage: p.usage ?? {} };
    case 'message_stop':
      return { kind: 'end' };
    case 'error':
      return { kind: 'error', type: p.error?.type ?? 'api_error', message: p.error?.message ?? 'upstream error' };
    default:
      return NOTHING;
  }
}
