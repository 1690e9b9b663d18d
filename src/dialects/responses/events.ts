// Responses API stream events: read once, classified, written once, beside
// the OpenAI and Anthropic readers. Every event is `event: <type>` plus a JSON
// object whose `type` repeats it and whose `sequence_number` counts from 0.
//
// Classes: `error` and `response.failed` break the stream (an error after
// response.created is still an error: before the commit point it fails over);
// `response.completed` and `response.incomplete` end a complete one.
// classifyResponsesSse is the relay's cheap path: it decides from the event
// line when there is one (OpenAI always sends it) and parses only otherwise.
import type { EventClass } from '../eventClass.js';
import { formatSse, formatSseJson } from '../sse/format.js';
import { isJsonObject, jsonObject } from '../sse/jsonData.js';
import type { SseEvent } from '../sse/parser.js';

/** One event's payload, read as sent: every field but `type` may be missing. */
export interface ResponsesPayload {
  type: string;
  sequence_number?: number;
  [key: string]: unknown;
}

export type ResponsesEvent =
  | { readonly kind: 'event'; readonly payload: ResponsesPayload }
  /** Data that is not a JSON object with a type: relayed as it came; `malformed` when it is not JSON at all. */
  | { readonly kind: 'opaque'; readonly sse: SseEvent; readonly malformed: boolean };

export function readResponsesEvent(ev: SseEvent): ResponsesEvent {
  const json = jsonObject(ev.data);
  if (json === undefined || json === 'malformed') return { kind: 'opaque', sse: ev, malformed: json === 'malformed' };
  // As for Anthropic: the event line, when there is one, names the event.
  const type = ev.event ?? (typeof json['type'] === 'string' ? json['type'] : undefined);
  if (type === undefined) return { kind: 'opaque', sse: ev, malformed: false };
  if (json['type'] !== type) json['type'] = type;
  return { kind: 'event', payload: json as ResponsesPayload };
}

const TERMINAL = new Set(['response.completed', 'response.incomplete']);
const ERROR = new Set(['error', 'response.failed']);

function classOfType(type: string | undefined): EventClass {
  if (type === undefined) return 'other';
  if (ERROR.has(type)) return 'error';
  return TERMINAL.has(type) ? 'terminal' : 'other';
}

export function responsesEventType(e: ResponsesEvent): string | undefined {
  return e.kind === 'event' ? e.payload.type : e.sse.event;
}

export function classifyResponsesEvent(e: ResponsesEvent): EventClass {
  return classOfType(responsesEventType(e));
}

/**
 * The same answer as classifyResponsesEvent(readResponsesEvent(ev)): from the
 * event line without parsing (OpenAI always sends one); parsed without it.
 */
export function classifyResponsesSse(ev: SseEvent): EventClass {
  return ev.event !== undefined ? classOfType(ev.event) : classifyResponsesEvent(readResponsesEvent(ev));
}

/** Events that carry the answer: text, refusals, reasoning, tool calls, finished items and the end. */
const CONTENT_TYPES = new Set([
  'response.output_text.delta', 'response.refusal.delta', 'response.function_call_arguments.delta',
  'response.custom_tool_call_input.delta', 'response.reasoning_text.delta', 'response.reasoning_summary_text.delta',
  'response.output_item.done', 'response.completed', 'response.incomplete',
]);

/**
 * Whether the event carries content. response.created, in_progress, an added
 * message item and an empty content part do not: they are held back with the
 * first token. A tool call item counts from the moment it is added.
 */
export function isResponsesContentEvent(e: ResponsesEvent): boolean {
  if (e.kind === 'opaque') return false;
  const type = e.payload.type;
  if (CONTENT_TYPES.has(type)) {
    const delta = e.payload['delta'];
    return !type.endsWith('.delta') || (typeof delta === 'string' && delta !== '');
  }
  if (type === 'response.output_item.added') {
    const item = e.payload['item'];
    return isJsonObject(item) && item['type'] !== 'message' && item['type'] !== 'reasoning';
  }
  return false;
}

/** The event as SSE text, named by its type. */
export function writeResponsesEvent(e: ResponsesEvent): string {
  return e.kind === 'opaque' ? formatSse(e.sse.event, e.sse.data) : formatSseJson(e.payload.type, e.payload);
}
