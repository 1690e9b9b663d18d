// Writes an answer to the client. A stream is relayed as it arrives, with
// backpressure, and never buffered whole. A stream cut upstream becomes a cut
// downstream (the socket is destroyed), never a clean end that looks complete.
import type { IncomingHttpHeaders, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Readable, pipeline, type Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { clientResponseHeaders } from '../upstream/headers.js';
import type { Answer } from './answer.js';

function decoderFor(encoding: string | string[] | undefined): Transform | undefined {
  switch (Array.isArray(encoding) ? encoding[0] : encoding) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      return createInflate();
    case 'br':
      return createBrotliDecompress();
    default:
      return undefined;
  }
}

/** The upstream body with any content-encoding removed. */
export function decodedBody(headers: IncomingHttpHeaders, body: Readable): Readable {
  const decoder = decoderFor(headers['content-encoding']);
  return decoder ? pipeline(body, decoder, () => {}) : body;
}

export interface RelayResult {
  /** False when either side broke before the body ended. */
  readonly completed: boolean;
}

/** The commit point: from here on bytes reach the client and failover is no longer free. */
export function relayAnswer(res: ServerResponse, answer: Answer, own: OutgoingHttpHeaders): Promise<RelayResult> {
  const headers = clientResponseHeaders(answer.headers, own);
  res.writeHead(answer.status, headers);
  switch (answer.kind) {
    case 'complete':
      res.end(answer.body);
      return Promise.resolve({ completed: true });
    case 'stream': {
      for (const chunk of answer.head) res.write(chunk);
      const source = answer.rest instanceof Readable ? answer.rest : Readable.from(answer.rest, { objectMode: false });
      return new Promise((resolve) => {
        pipeline(source, res, (err) => resolve({ completed: !err }));
      });
    }
    case 'translated-stream':
      return relayTranslated(res, answer);
  }
}

const drained = (res: ServerResponse): Promise<void> =>
  new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });

/**
 * One upstream event in, its translation out. A stream that ends without its
 * terminal event, or breaks, is cut downstream too: never closed as complete.
 */
async function relayTranslated(res: ServerResponse, answer: Extract<Answer, { kind: 'translated-stream' }>): Promise<RelayResult> {
  const { parser, translator } = answer;
  if (answer.pending !== '') res.write(answer.pending);
  try {
    for await (const chunk of answer.rest) {
      if (res.destroyed) return { completed: false };
      let out = '';
      for (const ev of parser.push(chunk)) out += translator.push(ev);
      if (out !== '' && !res.write(out)) await drained(res);
    }
  } catch {
    res.destroy();
    return { completed: false };
  }
  let tail = '';
  for (const ev of parser.flush()) tail += translator.push(ev);
  tail += translator.end();
  if (!translator.completed()) {
    if (tail !== '') res.write(tail);
    res.destroy();
    return { completed: false };
  }
  res.end(tail);
  return { completed: true };
}

/** Reads a (small) upstream error body, giving up past `limit` bytes. */
export async function readSmallBody(headers: IncomingHttpHeaders, body: Readable, limit = 1 << 20): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of decodedBody(headers, body)) {
      size += (chunk as Buffer).length;
      if (size > limit) break;
      chunks.push(chunk as Buffer);
    }
  } catch {
    // A body cut while reading an error is still an error; keep what arrived.
  }
  return Buffer.concat(chunks).toString('utf8');
}
