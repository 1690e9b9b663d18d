// Anthropic Messages stream events: read once, classified, written once.
// Every consumer reads them through here: the stream guards and the commit
// point, the relay, the client ledger and summary, the splice and translation.
//
// An event's type is its `event:` line when it has one (as Anthropic's SDK
// reads it), else its data's `type`. Two ways to classify, which agree on every
// event (property-tested): classifyAnthropicEvent on a typed read, and
// classifyAnthropicSse, the relay's cheap path, which needs no parsing when
// the event line is there and parses only candidates when it is not.
import type { EventClass } from '../eventClass.js';
import { formatSse, formatSseJson } from '../sse/format.js';
import { isJsonObject, jsonObject } from '../sse/jsonData.js';
import type { SseEvent } from '../sse/parser.js';
import type { AnthropicStreamEvent } from './types.js';

export type AnthropicEvent =
  /** Typed as the reference documents it; readers still guard every field, and unknown types pass as they are. */
  | { readonly kind: 'event'; readonly payload: AnthropicStreamEvent }
  /** Data that is not a JSON object: relayed as it came; `malformed` when it is not JSON at all. */
  | { readonly kind: 'opaque'; readonly sse: SseEvent; readonly malformed: boolean };

export const anthropicEvent = (payload: AnthropicStreamEvent): AnthropicEvent => ({ kind: 'event', payload });

/** The typed read: one JSON.parse. */
export function readAnthropicEvent(ev: SseEvent): AnthropicEvent {
  const json = jsonObject(ev.data);
  if (json === undefined || json === 'malformed') return { kind: 'opaque', sse: ev, malformed: json === 'malformed' };
  // The object was just parsed and is ours: the event line's type goes where every reader looks.
  if (ev.event !== undefined && json['type'] !== ev.event) json['type'] = ev.event;
  return { kind: 'event', payload: json as unknown as AnthropicStreamEvent };
}

export function anthropicEventType(e: AnthropicEvent): string | undefined {
  if (e.kind === 'opaque') return e.sse.event;
  const type: unknown = e.payload.type;
  return typeof type === 'string' ? type : undefined;
}

function classOfType(type: string | undefined): EventClass {
  if (type === 'error') return 'error';
  if (type === 'message_stop') return 'terminal';
  return type === 'message_delta' ? 'finish' : 'other';
}

export function classifyAnthropicEvent(e: AnthropicEvent): EventClass {
  return classOfType(anthropicEventType(e));
}

// Without an event line, the type that matters shows in the text as one of
// these, unless it is spelled with \u00XX escapes, which defer to the typed read.
const MAY_CLASSIFY = /"(?:error|message_stop|message_delta)"|\\u00[0-7]/;

/** The relay's cheap path: the same answer as classifyAnthropicEvent(readAnthropicEvent(ev)). */
export function classifyAnthropicSse(ev: SseEvent): EventClass {
  if (ev.event !== undefined) return classOfType(ev.event);
  return MAY_CLASSIFY.test(ev.data) ? classifyAnthropicEvent(readAnthropicEvent(ev)) : 'other';
}

/** A content block or delta as a provider may send it: any field missing, or no object at all. */
export interface AnthropicPart {
  readonly type?: unknown;
  readonly text?: unknown;
  readonly [key: string]: unknown;
}

/** An event's message, content_block, delta, usage or error, read as sent: undefined unless it is an object. */
export const partOf = (v: unknown): AnthropicPart | undefined => (isJsonObject(v) ? v : undefined);

/** A block event's index; -1 when a provider left it out. */
export const blockIndex = (p: { readonly index?: unknown }): number => (typeof p.index === 'number' ? p.index : -1);

/**
 * Whether the event carries content: text, thinking (a model that thinks aloud
 * has produced its first token), a tool call, or the end of the answer.
 * message_start, empty text blocks, block stops and pings do not.
 */
export function isAnthropicContentEvent(e: AnthropicEvent): boolean {
  if (e.kind === 'opaque') return false;
  const p = e.payload;
  switch (p.type) {
    case 'content_block_start': {
      const block = partOf(p.content_block);
      const type = block?.type;
      if (type === 'text') return typeof block?.text === 'string' && block.text !== '';
      return type === 'tool_use' || type === 'thinking' || type === 'redacted_thinking';
    }
    case 'content_block_delta': {
      const delta = partOf(p.delta);
      const type = delta?.type;
      return type === 'text_delta' || type === 'input_json_delta' || type === 'thinking_delta';
    }
    case 'message_delta':
    case 'message_stop':
      return true;
    default:
      return false;
  }
}

/** The event as SSE text, named by its type. */
export function writeAnthropicEvent(e: AnthropicEvent): string {
  return e.kind === 'opaque' ? formatSse(e.sse.event, e.sse.data) : formatSseJson(anthropicEventType(e), e.payload);
}
