// What one upstream SSE event is, in either wire format. The checks used on
// every relayed event look at the raw text only (no JSON parsing); the
// content check parses, and runs only before the commit point.
import type { WireFormat } from '../dialects/wireFormat.js';
import { readAnthropicEvent, readOpenAIEvent, type SseEvent } from '../dialects/index.js';

const OPENAI_ERROR = /^\s*\{\s*"error"\s*:/;
const OPENAI_FINISH = /"finish_reason"\s*:\s*"/;
const ANTHROPIC_TYPE = (type: string): RegExp => new RegExp(`"type"\\s*:\\s*"${type}"`);
const MESSAGE_STOP = ANTHROPIC_TYPE('message_stop');
const MESSAGE_DELTA = ANTHROPIC_TYPE('message_delta');
const ANTHROPIC_ERROR = /^\s*\{\s*"type"\s*:\s*"error"/;
// Reasoning is output too: a model that thinks aloud has produced its first token.
const OPENAI_REASONING = /"reasoning(_content)?"\s*:\s*"[^"]/;
const ANTHROPIC_THINKING = /"type"\s*:\s*"(thinking|redacted_thinking|thinking_delta)"/;

/** An in-band error: the stream is broken from here on. */
export function isErrorEvent(ev: SseEvent, format: WireFormat): boolean {
  if (ev.event === 'error') return true;
  return format === 'openai' ? OPENAI_ERROR.test(ev.data) : ev.event === undefined && ANTHROPIC_ERROR.test(ev.data);
}

/** The event that closes a complete stream: [DONE] or message_stop. */
export function isTerminalEvent(ev: SseEvent, format: WireFormat): boolean {
  if (format === 'openai') return ev.data === '[DONE]';
  return ev.event === 'message_stop' || (ev.event === undefined && MESSAGE_STOP.test(ev.data));
}

/** A finish_reason / message_delta: the answer's content is complete even if the terminal event is lost. */
export function isFinishEvent(ev: SseEvent, format: WireFormat): boolean {
  if (format === 'openai') return OPENAI_FINISH.test(ev.data);
  return ev.event === 'message_delta' || (ev.event === undefined && MESSAGE_DELTA.test(ev.data));
}

/**
 * Whether the event carries content: text, reasoning, a tool call, or the end
 * of the answer. Role-only deltas, message_start, empty text blocks and pings
 * do not.
 */
export function isContentEvent(ev: SseEvent, format: WireFormat): boolean {
  if (format === 'openai') {
    if (OPENAI_REASONING.test(ev.data)) return true;
    for (const s of readOpenAIEvent(ev)) {
      if (s.kind === 'text' || s.kind === 'tool-delta' || s.kind === 'finish' || s.kind === 'done') return true;
    }
    return false;
  }
  if (ANTHROPIC_THINKING.test(ev.data)) return true;
  const s = readAnthropicEvent(ev);
  return s.kind === 'text' || s.kind === 'tool-start' || s.kind === 'tool-args' || s.kind === 'stop-reason' || s.kind === 'end';
}
