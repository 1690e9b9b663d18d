// Stateless: one Anthropic event → what it means for the stream. Knows
// nothing about what came before; the sequencer keeps that state.
import type { AnthropicStopReason, AnthropicUsage } from '../../anthropic/types.js';
import { blockIndex, partOf, type AnthropicEvent } from '../../anthropic/events.js';
import { UNPARSEABLE_EVENT } from './translator.js';

export type AnthropicSignal =
  | { kind: 'start'; id: string; model: string; usage: Partial<AnthropicUsage> }
  | { kind: 'text'; block: number; text: string }
  | { kind: 'tool-start'; block: number; id: string | undefined; name: string | undefined }
  | { kind: 'tool-args'; block: number; json: string }
  | { kind: 'stop-reason'; reason: AnthropicStopReason | null; usage: Partial<AnthropicUsage> }
  | { kind: 'end' }
  | { kind: 'error'; type: string; message: string }
  /** ping, block stops, thinking and signature deltas, unknown future events. */
  | { kind: 'nothing' };

const NOTHING: AnthropicSignal = { kind: 'nothing' };

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Only the counts that are numbers: a provider may send null for those it does not know. */
function usageOf(v: unknown): Partial<AnthropicUsage> {
  const sent = partOf(v);
  const usage: Partial<AnthropicUsage> = {};
  for (const key of ['input_tokens', 'output_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens'] as const) {
    const count = sent?.[key];
    if (typeof count === 'number') usage[key] = count;
  }
  return usage;
}

/** Fields are read as sent: any may be missing or of another type. */
export function anthropicSignal(e: AnthropicEvent): AnthropicSignal {
  if (e.kind === 'opaque') {
    if (e.malformed) return { kind: 'error', type: 'api_error', message: UNPARSEABLE_EVENT };
    return e.sse.event === 'error' ? { kind: 'error', type: 'api_error', message: 'upstream error' } : NOTHING;
  }
  const p = e.payload;
  switch (p.type) {
    case 'message_start': {
      const message = partOf(p.message);
      return { kind: 'start', id: text(message?.['id']) ?? 'msg_switchyard', model: text(message?.['model']) ?? '', usage: usageOf(message?.['usage']) };
    }
    case 'content_block_start': {
      const block = partOf(p.content_block);
      if (block?.type === 'tool_use') return { kind: 'tool-start', block: blockIndex(p), id: text(block['id']), name: text(block['name']) };
      const blockText = text(block?.text);
      if (block?.type === 'text' && blockText !== undefined && blockText.length > 0) return { kind: 'text', block: blockIndex(p), text: blockText };
      return NOTHING;
    }
    case 'content_block_delta': {
      const delta = partOf(p.delta);
      if (delta?.type === 'text_delta') return { kind: 'text', block: blockIndex(p), text: text(delta.text) ?? '' };
      if (delta?.type === 'input_json_delta') return { kind: 'tool-args', block: blockIndex(p), json: text(delta['partial_json']) ?? '' };
      return NOTHING; // thinking/signature: no OpenAI field (documented loss)
    }
    case 'message_delta': {
      const reason = text(partOf(p.delta)?.['stop_reason']) as AnthropicStopReason | undefined;
      return { kind: 'stop-reason', reason: reason ?? null, usage: usageOf(p.usage) };
    }
    case 'message_stop':
      return { kind: 'end' };
    case 'error': {
      const error = partOf(p.error);
      return { kind: 'error', type: text(error?.type) ?? 'api_error', message: text(error?.['message']) ?? 'upstream error' };
    }
    default:
      return NOTHING;
  }
}
