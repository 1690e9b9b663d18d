// OpenAI chat-completion stream events: read once, classified, written once.
// Every consumer reads them through here: the stream guards and the commit
// point, the relay, the client ledger and summary, the splice and translation.
//
// Two ways to classify, which agree on every event (property-tested):
// classifyOpenAIEvent on a typed read, and classifyOpenAISse, the relay's
// cheap path, which decides from the text and parses only when the text could
// hold an error or a finish reason (about once per stream).
import type { EventClass } from '../eventClass.js';
import { formatSse, formatSseJson } from '../sse/format.js';
import { isJsonObject, jsonObject } from '../sse/jsonData.js';
import type { SseEvent } from '../sse/parser.js';
import { choiceZero } from './choiceZero.js';
import type { OpenAIChunk, OpenAIChunkChoice, OpenAIChunkDelta, OpenAIErrorBody, OpenAIFinishReason } from './types.js';

/** An error body as providers send it: any field may be missing, and some send `error` as a string. */
export interface OpenAIErrorPayload {
  readonly error?: Partial<OpenAIErrorBody['error']> | string | null;
  readonly [key: string]: unknown;
}

export type OpenAIEvent =
  /** Typed as the reference documents it; readers still guard every field, since a provider may omit any. */
  | { readonly kind: 'chunk'; readonly chunk: OpenAIChunk }
  | { readonly kind: 'error'; readonly body: OpenAIErrorPayload }
  | { readonly kind: 'done' }
  /** Data that is not a JSON object: relayed as it came; `malformed` when it is not JSON at all. */
  | { readonly kind: 'opaque'; readonly sse: SseEvent; readonly malformed: boolean };

export const OPENAI_DONE: OpenAIEvent = Object.freeze({ kind: 'done' });

/** The typed read: one JSON.parse. An `event: error` line makes any event an error, whatever its data. */
export function readOpenAIEvent(ev: SseEvent): OpenAIEvent {
  const named = ev.event === 'error';
  if (ev.data === '[DONE]' && !named) return OPENAI_DONE;
  const json = jsonObject(ev.data);
  if (json === undefined || json === 'malformed') return { kind: 'opaque', sse: ev, malformed: json === 'malformed' };
  if (named || json['error'] !== undefined) return { kind: 'error', body: json };
  return { kind: 'chunk', chunk: json as unknown as OpenAIChunk };
}

export function classifyOpenAIEvent(e: OpenAIEvent): EventClass {
  switch (e.kind) {
    case 'error':
      return 'error';
    case 'done':
      return 'terminal';
    case 'chunk':
      return finishReason(e.chunk) === undefined ? 'other' : 'finish';
    case 'opaque':
      return e.sse.event === 'error' ? 'error' : 'other';
  }
}

// Every `"error"` key ends in `rror"`; every string finish_reason reads
// `"finish_reason"`, whitespace, `:`, whitespace, `"`. One literal-led regex
// finds either about as fast as the finish check alone.
const ERROR_OR_FINISH = /r(?:ror"|eason"\s*:\s*")/;
const ASCII_ESCAPE = /\\u00[0-7]/;

/**
 * Whether the text could hold an `error` key or a string finish_reason. JSON
 * spells a key's letters as themselves or as \u00XX escapes; an escape of
 * that kind defers to the typed read.
 */
function mayClassify(data: string): boolean {
  return ERROR_OR_FINISH.test(data) || (data.includes('\\u00') && ASCII_ESCAPE.test(data));
}

/**
 * The relay's cheap path: the same answer as classifyOpenAIEvent(readOpenAIEvent(ev)),
 * parsing only events whose text could hold an error or a finish reason
 * (normally one per stream, the finish chunk).
 */
export function classifyOpenAISse(ev: SseEvent): EventClass {
  if (ev.event === 'error') return 'error';
  if (ev.data === '[DONE]') return 'terminal';
  return mayClassify(ev.data) ? classifyOpenAIEvent(readOpenAIEvent(ev)) : 'other';
}

/** Choice 0 of a chunk. */
export function chunkChoice(chunk: OpenAIChunk): OpenAIChunkChoice | undefined {
  return choiceZero(chunk.choices);
}

/** Choice 0's delta, when it is an object. */
export function chunkDelta(chunk: OpenAIChunk): OpenAIChunkDelta | undefined {
  const delta = chunkChoice(chunk)?.delta;
  return isJsonObject(delta) ? delta : undefined;
}

/** Choice 0's finish reason, when it has one (a non-empty string). */
export function finishReason(chunk: OpenAIChunk): OpenAIFinishReason | undefined {
  const reason: unknown = chunkChoice(chunk)?.finish_reason;
  return typeof reason === 'string' && reason !== '' ? (reason as OpenAIFinishReason) : undefined;
}

/** A tool-call delta as a provider may send it: any field missing or of another type. */
export interface ToolCallAsSent {
  readonly index?: unknown;
  readonly id?: unknown;
  readonly function?: unknown;
}

/** Choice 0's tool-call deltas that are objects. */
export function toolCallDeltas(delta: OpenAIChunkDelta | undefined): readonly ToolCallAsSent[] {
  const calls: unknown = delta?.tool_calls;
  return Array.isArray(calls) ? calls.filter(isJsonObject) : [];
}

/** Reasoning, as compatible servers (vLLM, DeepSeek, OpenRouter) stream it. */
type ReasoningDelta = OpenAIChunkDelta & { reasoning?: unknown; reasoning_content?: unknown };

const nonEmpty = (v: unknown): boolean => typeof v === 'string' && v !== '';

/**
 * Whether the event carries content: text, a refusal, reasoning (a model that
 * thinks aloud has produced its first token), a tool call, or the end of the
 * answer. Role-only deltas and empty content do not.
 */
export function isOpenAIContentEvent(e: OpenAIEvent): boolean {
  if (e.kind === 'done') return true;
  if (e.kind !== 'chunk') return false;
  const delta: ReasoningDelta | undefined = chunkDelta(e.chunk);
  return (
    nonEmpty(delta?.content) ||
    nonEmpty(delta?.refusal) ||
    nonEmpty(delta?.reasoning) ||
    nonEmpty(delta?.reasoning_content) ||
    toolCallDeltas(delta).length > 0 ||
    finishReason(e.chunk) !== undefined
  );
}

const DONE_TEXT = 'data: [DONE]\n\n';

/** The event as SSE text; OpenAI streams carry no `event:` lines. */
export function writeOpenAIEvent(e: OpenAIEvent): string {
  switch (e.kind) {
    case 'chunk':
      return formatSseJson(undefined, e.chunk);
    case 'error':
      return formatSseJson(undefined, e.body);
    case 'done':
      return DONE_TEXT;
    case 'opaque':
      return formatSse(e.sse.event, e.sse.data);
  }
}
