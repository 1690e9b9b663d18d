// What a successful attempt hands to the relay. A non-streaming answer is read
// whole (up to a limit) before anything is sent, so a body that is cut, not
// JSON, or a JSON error can still fail over; a stream is handed over live.
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { LiveStream } from '../streaming/liveStream.js';
import type { AttemptOutcome } from '../failover/outcome.js';
import { decodedBody } from './relay.js';

export type Answer =
  | { readonly kind: 'complete'; readonly status: number; readonly headers: IncomingHttpHeaders; readonly body: Buffer }
  | {
      readonly kind: 'stream';
      readonly status: number;
      readonly headers: IncomingHttpHeaders;
      /** Bytes already read (decoded), to be sent before `rest`. */
      readonly head: readonly Buffer[];
      readonly rest: AsyncIterable<Buffer>;
    }
  | {
      /** A streamed (SSE) answer read up to its commit point; relayed, translated when the formats differ. */
      readonly kind: 'sse';
      readonly status: number;
      readonly headers: IncomingHttpHeaders;
      readonly stream: LiveStream;
    };

/** Non-streaming answers larger than this are relayed as they arrive instead of checked whole. */
export const CHECKED_ANSWER_LIMIT = 4 << 20;

export type Collected = { readonly ok: true; readonly answer: Answer } | { readonly ok: false; readonly outcome: AttemptOutcome };

function looksLikeAnswer(body: Buffer): 'ok' | 'not-json' | 'error-body' {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return 'not-json';
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return 'not-json';
  const obj = json as Record<string, unknown>;
  // Both dialects mark an error body with a top-level "error" (Anthropic adds type: "error").
  return obj['error'] !== undefined || obj['type'] === 'error' ? 'error-body' : 'ok';
}

/** Reads a non-streaming 2xx body and checks it is an answer. */
export async function collectAnswer(status: number, headers: IncomingHttpHeaders, raw: Readable): Promise<Collected> {
  // A manual iterator, because leaving a for-await loop early would destroy the body.
  const it = decodedBody(headers, raw)[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for (let r = await it.next(); !r.done; r = await it.next()) {
      chunks.push(r.value);
      size += r.value.length;
      if (size > CHECKED_ANSWER_LIMIT) {
        const plain = { ...headers };
        delete plain['content-encoding'];
        delete plain['content-length'];
        return { ok: true, answer: { kind: 'stream', status, headers: plain, head: chunks, rest: { [Symbol.asyncIterator]: () => it } } };
      }
    }
  } catch {
    const text = Buffer.concat(chunks).toString('utf8');
    return { ok: false, outcome: { kind: 'invalid-response', reason: 'truncated', status, body: text } };
  }
  const whole = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
  const verdict = looksLikeAnswer(whole);
  if (verdict !== 'ok') {
    return { ok: false, outcome: { kind: 'invalid-response', reason: verdict, status, body: whole.toString('utf8') } };
  }
  const plain = { ...headers };
  delete plain['content-encoding'];
  plain['content-length'] = String(whole.length);
  return { ok: true, answer: { kind: 'complete', status, headers: plain, body: whole } };
}
