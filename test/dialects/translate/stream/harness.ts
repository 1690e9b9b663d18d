// Drives a StreamTranslator with raw upstream SSE text, the way the server
// will: each upstream event read once by its dialect's reader, each client
// event written once by the client dialect's writer.
import assert from 'node:assert/strict';
import { readAnthropicEvent, writeAnthropicEvent } from '../../../../src/dialects/anthropic/events.js';
import { readOpenAIEvent, writeOpenAIEvent } from '../../../../src/dialects/openai/events.js';
import { SseParser, type SseEvent } from '../../../../src/dialects/sse/parser.js';
import { createStreamTranslator } from '../../../../src/dialects/translate/stream/index.js';
import type { StreamTranslator, StreamTranslatorOptions } from '../../../../src/dialects/translate/stream/translator.js';
import type { EntryFormat } from '../../../../src/dialects/wireFormat.js';

export function events(sse: string): SseEvent[] {
  const parser = new SseParser();
  return [...parser.push(sse), ...parser.flush()];
}

/** A translator over SSE: events in, text out. */
export interface TextTranslator {
  push(ev: SseEvent): string;
  end(): string;
  fail(type: string, message: string): string;
  completed(): boolean;
  sawContent(): boolean;
}

function overSse<In, Out>(t: StreamTranslator<In, Out>, read: (ev: SseEvent) => In, write: (e: Out) => string): TextTranslator {
  const text = (out: readonly Out[]): string => out.map(write).join('');
  return {
    push: (ev) => text(t.push(read(ev))),
    end: () => text(t.end()),
    fail: (type, message) => text(t.fail(type, message)),
    completed: () => t.completed(),
    sawContent: () => t.sawContent(),
  };
}

/** The translator createStreamTranslator chooses for a pair of dialects, over SSE. */
export function textTranslator(from: EntryFormat, to: EntryFormat, opts: StreamTranslatorOptions): TextTranslator {
  const relayChoice = createStreamTranslator(from, to, opts);
  assert.equal(relayChoice.mode, 'translate');
  return relayChoice.to === 'openai'
    ? overSse(relayChoice.translator, readAnthropicEvent, writeOpenAIEvent)
    : overSse(relayChoice.translator, readOpenAIEvent, writeAnthropicEvent);
}

export function relay(translator: TextTranslator, upstream: string, opts: { cleanEnd?: boolean } = {}): string {
  let out = '';
  for (const ev of events(upstream)) out += translator.push(ev);
  if (opts.cleanEnd ?? true) out += translator.end();
  return out;
}

/** Client-side view of OpenAI output: parsed chunks, and '[DONE]' as a string. */
export const openAIOutput = (sse: string): unknown[] => events(sse).map((e) => (e.data === '[DONE]' ? '[DONE]' : (JSON.parse(e.data) as unknown)));

/** Client-side view of Anthropic output: [event name, parsed data]. */
export const anthropicOutput = (sse: string): Array<[string | undefined, { type: string; [k: string]: unknown }]> =>
  events(sse).map((e) => [e.event, JSON.parse(e.data) as { type: string; [k: string]: unknown }]);

/** An NDJSON ReadableStream, the input both SDKs' fromReadableStream accept. */
export function ndjson(objects: unknown[]): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(objects.map((x) => JSON.stringify(x)).join('\n') + '\n');
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
}

/** Truncates an SSE text just before its `count`-th event from the end. */
export function cutBeforeLast(sse: string, count: number): string {
  const parts = sse.split('\n\n').filter((p) => p.length > 0);
  return parts.slice(0, parts.length - count).map((p) => `${p}\n\n`).join('');
}
