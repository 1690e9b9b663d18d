// The start of a streamed answer, before anything is sent to the client: read
// up to the first SSE event so that an empty stream, a cut before the first
// event, or an in-band error as the first event can still fail over.
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { UpstreamFormat } from '../config/types.js';
import { SseParser, createStreamTranslator, type SseEvent } from '../dialects/index.js';
import type { ClientDialect } from '../dialects/translation.js';
import type { AttemptOutcome } from '../failover/outcome.js';
import type { Answer } from './answer.js';
import { decodedBody } from './relay.js';

export type StreamStart = { readonly ok: true; readonly answer: Answer } | { readonly ok: false; readonly outcome: AttemptOutcome };

function isErrorEvent(ev: SseEvent, format: UpstreamFormat): boolean {
  if (ev.event === 'error') return true;
  if (format !== 'openai' || !ev.data.startsWith('{')) return false;
  try {
    const json = JSON.parse(ev.data) as Record<string, unknown>;
    return json['error'] !== undefined;
  } catch {
    return false;
  }
}

export interface StreamContext {
  readonly client: ClientDialect;
  readonly format: UpstreamFormat;
  /** OpenAI clients: stream_options.include_usage was set. */
  readonly includeUsage: boolean;
}

export async function startStream(status: number, headers: IncomingHttpHeaders, raw: Readable, ctx: StreamContext): Promise<StreamStart> {
  const plain = { ...headers };
  delete plain['content-encoding'];
  delete plain['content-length'];
  // A manual iterator, because leaving a for-await loop early would destroy the body.
  const it = decodedBody(headers, raw)[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const rest: AsyncIterable<Buffer> = { [Symbol.asyncIterator]: () => it };
  const parser = new SseParser();
  const head: Buffer[] = [];
  let events: SseEvent[] = [];
  try {
    while (events.length === 0) {
      const r = await it.next();
      if (r.done) {
        events = parser.flush();
        if (events.length === 0) {
          return { ok: false, outcome: { kind: 'invalid-response', reason: 'truncated', status, body: Buffer.concat(head).toString('utf8') } };
        }
        break;
      }
      head.push(r.value);
      events = parser.push(r.value);
    }
  } catch {
    return { ok: false, outcome: { kind: 'invalid-response', reason: 'truncated', status, body: Buffer.concat(head).toString('utf8') } };
  }
  const first = events[0]!;
  if (isErrorEvent(first, ctx.format)) {
    return { ok: false, outcome: { kind: 'invalid-response', reason: 'error-body', status, body: first.data } };
  }
  const relay = createStreamTranslator(ctx.format, ctx.client, { includeUsage: ctx.includeUsage });
  if (relay.mode === 'passthrough') return { ok: true, answer: { kind: 'stream', status, headers: plain, head, rest } };
  const { translator } = relay;
  let pending = '';
  for (const ev of events) pending += translator.push(ev);
  plain['content-type'] = 'text/event-stream';
  return { ok: true, answer: { kind: 'translated-stream', status, headers: plain, pending, parser, translator, rest } };
}
