// What a successful attempt hands to the relay. A non-streaming answer is read
// whole (up to a limit) before anything is sent, so a body that is cut, not
// JSON, or a JSON error can still fail over; a stream is handed over live.
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { LiveStream } from '../streaming/liveStream.js';
import { answerFacts, type AnswerFacts } from '../dialects/tokenUsage.js';
import { BODY_CUT, type AttemptOutcome } from '../failover/outcome.js';
import { decodedBody } from './decode.js';
import { scanJsonObject } from '../providers/jsonMembers.js';

export type Answer =
  | {
      readonly kind: 'complete';
      readonly status: number;
      readonly headers: IncomingHttpHeaders;
      readonly body: Buffer;
      /** Usage and model as the provider reported them, read while the body was checked. */
      readonly facts?: AnswerFacts;
    }
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

/** A successful attempt: its answer, and when it was sent. */
export interface AttemptAnswer {
  readonly answer: Answer;
  /** performance.now() when the attempt was sent, for `measure: total`. */
  readonly sentAt: number;
}

/** A streamed answer read up to its commit point. */
export function sseAnswer(status: number, headers: IncomingHttpHeaders, stream: LiveStream): Answer {
  const plain = { ...headers };
  delete plain['content-encoding'];
  delete plain['content-length'];
  return { kind: 'sse', status, headers: plain, stream };
}

/** Non-streaming answers larger than this are relayed as they arrive instead of checked whole. */
export const CHECKED_ANSWER_LIMIT = 4 << 20;

export type Collected = { readonly ok: true; readonly answer: Answer } | { readonly ok: false; readonly outcome: AttemptOutcome };

type Verdict = { readonly kind: 'ok'; readonly facts: AnswerFacts } | { readonly kind: 'not-json' | 'error-body' };

const NOT_JSON: Verdict = Object.freeze({ kind: 'not-json' });
const ERROR_BODY: Verdict = Object.freeze({ kind: 'error-body' });

/**
 * A JSON object that is not an error. Scanned rather than parsed (as a
 * client's body is, providers/jsonMembers.ts): a cut or non-JSON body fails
 * over, and only the few top-level fields read here are parsed, so a long
 * answer costs little more to check than a short one.
 */
function looksLikeAnswer(body: Buffer): Verdict {
  const scanned = scanJsonObject(body);
  if (scanned === undefined) return NOT_JSON;
  const field = (key: string): unknown => scanned.value(key);
  // Both dialects mark an error body with a top-level "error" (Anthropic adds type: "error");
  // a Response carries `"error": null` when it succeeded.
  const error = field('error');
  if ((error !== undefined && error !== null) || field('type') === 'error') return ERROR_BODY;
  // The usage object's counts are read from its scan: parsing it took a few µs per answer.
  const usage = scanned.object('usage');
  return { kind: 'ok', facts: answerFacts(usage === undefined ? undefined : (name) => usage.value(name), field('model')) };
}

type Read =
  | { readonly kind: 'whole'; readonly body: Buffer }
  | { readonly kind: 'large'; readonly head: Buffer[] }
  | { readonly kind: 'broken'; readonly head: Buffer[] };

/**
 * Reads `body` to its end, or stops (paused, listeners removed) once it exceeds
 * the limit. Plain events rather than an async iterator: this runs on every
 * non-streaming request and a promise per chunk is measurable there.
 */
function readUpTo(body: Readable, limit: number): Promise<Read> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: Read): void => {
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onError);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > limit) {
        body.pause();
        finish({ kind: 'large', head: chunks });
      }
    };
    const onEnd = (): void => { finish({ kind: 'whole', body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size) }); };
    const onError = (): void => { finish({ kind: 'broken', head: chunks }); };
    body.on('data', onData);
    body.on('end', onEnd);
    body.on('error', onError);
  });
}

/**
 * Reads an upstream error body (decoded) as text, keeping at most `limit`
 * bytes; a longer one is cut there and the rest is discarded with the body.
 * A body that breaks while being read keeps what arrived.
 */
export async function readErrorBody(headers: IncomingHttpHeaders, raw: Readable, limit = 1 << 20): Promise<string> {
  const body = decodedBody(headers, raw);
  const read = await readUpTo(body, limit);
  if (read.kind === 'whole') return read.body.toString('utf8');
  if (read.kind === 'large') body.destroy();
  return Buffer.concat(read.head).subarray(0, limit).toString('utf8');
}

/** Checks a whole 2xx body (already decoded) is an answer, and describes it for the relay. */
export function wholeAnswer(status: number, headers: IncomingHttpHeaders, body: Buffer): Collected {
  const verdict = looksLikeAnswer(body);
  if (verdict.kind !== 'ok') {
    return { ok: false, outcome: { kind: 'invalid-response', reason: verdict.kind, status, body: body.toString('utf8') } };
  }
  const plain = { ...headers };
  delete plain['content-encoding'];
  plain['content-length'] = String(body.length);
  return { ok: true, answer: { kind: 'complete', status, headers: plain, body, facts: verdict.facts } };
}

/** An answer too large to check whole: relayed as it arrives (decoded). */
export function largeAnswer(status: number, headers: IncomingHttpHeaders, head: Buffer[], rest: Readable): Answer {
  const plain = { ...headers };
  delete plain['content-encoding'];
  delete plain['content-length'];
  // Errors after this point surface in the relay, which cuts the client off.
  rest.on('error', () => {});
  return { kind: 'stream', status, headers: plain, head, rest };
}

/** Reads a non-streaming 2xx body from a Readable and checks it is an answer. */
export async function collectAnswer(status: number, headers: IncomingHttpHeaders, raw: Readable): Promise<Collected> {
  const body = decodedBody(headers, raw);
  const read = await readUpTo(body, CHECKED_ANSWER_LIMIT);
  if (read.kind === 'broken') return { ok: false, outcome: BODY_CUT };
  if (read.kind === 'large') return { ok: true, answer: largeAnswer(status, headers, read.head, body) };
  return wholeAnswer(status, headers, read.body);
}
