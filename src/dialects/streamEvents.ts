// The questions asked of upstream events whatever their dialect, answered by
// that dialect's event reader.
import type { EventClass } from './eventClass.js';
import type { SseEvent } from './sse/parser.js';
import type { WireFormat } from './wireFormat.js';
import { classifyAnthropicSse, isAnthropicContentEvent, readAnthropicEvent } from './anthropic/events.js';
import { classifyOpenAISse, isOpenAIContentEvent, readOpenAIEvent } from './openai/events.js';

/** What the event is, by the cheap path: fit for every relayed event. */
export function classifyEvent(ev: SseEvent, format: WireFormat): EventClass {
  return format === 'openai' ? classifyOpenAISse(ev) : classifyAnthropicSse(ev);
}

/** Whether the event carries content. Parses: for the commit point, not for the relay. */
export function isContentEvent(ev: SseEvent, format: WireFormat): boolean {
  return format === 'openai' ? isOpenAIContentEvent(readOpenAIEvent(ev)) : isAnthropicContentEvent(readAnthropicEvent(ev));
}
