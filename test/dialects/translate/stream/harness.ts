// Drives a StreamTranslator with raw upstream SSE text, the way the server will.
import { SseParser, type SseEvent } from '../../../../src/dialects/sse/parser.js';
import type { StreamTranslator } from '../../../../src/dialects/translate/stream/translator.js';

export function events(sse: string): SseEvent[] {
  const parser = new SseParser();
  return [...parser.push(sse), ...parser.flush()];
}

export function relay(translator: StreamTranslator, upstream: string, opts: { cleanEnd?: boolean } = {}): string {
  let out = '';
  for (const ev of events(upstream)) out += translator.push(ev);
  if (opts.cleanEnd ?? true) out += translator.end();
  return out;
}

/** Client-side view of OpenAI output: parsed chunks, and '[DONE]' as a string. */
export const openAIOutput = (sse: string): unknown[] => events(sse).map((e) => (e.data === '[DONE]' ? '[DONE]' : JSON.parse(e.data)));

/** Client-side view of Anthropic output: [event name, parsed data]. */
export const anthropicOutput = (sse: string): Array<[string | undefined, { type: string; [k: string]: unknown }]> =>
  events(sse).map((e) => [e.event, JSON.parse(e.data)]);

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
