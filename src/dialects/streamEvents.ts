// The questions asked of upstream events whatever their dialect, answered by
// that dialect's event reader.
import type { EventClass } from './eventClass.js';
import type { SseEvent } from './sse/parser.js';
import type { WireFormat } from './wireFormat.js';
import { classifyAnthropicSse, isAnthropicContentEvent, readAnthropicEvent } from './anthropic/events.js';
import { classifyOpenAISse, isOpenAIContentEvent, readOpenAIEvent } from './openai/events.js';
import { classifyResponsesSse, isResponsesContentEvent, readResponsesEvent } from './responses/events.js';

/** What the event is, by the cheap path: fit for every relayed event. */
export function classifyEvent(ev: SseEvent, format: WireFormat): EventClass {
  switch (format) {
    case 'openai':
      return classifyOpenAISse(ev);
    case 'anthropic':
      return classifyAnthropicSse(ev);
    case 'responses':
      return classifyResponsesSse(ev);
  }
}

/** Whether the event carries content. Parses: for the commit point, not for the relay. */
export function isContentEvent(ev: SseEvent, format: WireFormat): boolean {
  switch (format) {
    case 'openai':
      return isOpenAIContentEvent(readOpenAIEvent(ev));
    case 'anthropic':
      return isAnthropicContentEvent(readAnthropicEvent(ev));
    case 'responses':
      return isResponsesContentEvent(readResponsesEvent(ev));
  }
}
