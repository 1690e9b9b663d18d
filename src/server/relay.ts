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

/** A live streamed answer: decoded, with the headers that described the encoding dropped. */
export function streamAnswer(status: number, headers: IncomingHttpHeaders, body: Readable): Answer {
  const plain = { ...headers };
  delete plain['content-encoding'];
  delete plain['content-length'];
  return { kind: 'stream', status, headers: plain, head: [], rest: decodedBody(headers, body) };
}

export interface RelayResult {
  /** False when either side broke before the body ended. */
  readonly completed: boolean;
}

export function relayAnswer(res: ServerResponse, answer: Answer, own: OutgoingHttpHeaders): Promise<RelayResult> {
  const headers = clientResponseHeaders(answer.headers, own);
  if (answer.kind === 'complete') {
    res.writeHead(answer.status, headers);
    res.end(answer.body);
    return Promise.resolve({ completed: true });
  }
  res.writeHead(answer.status, headers);
  for (const chunk of answer.head) res.write(chunk);
  const source = answer.rest instanceof Readable ? answer.rest : Readable.from(answer.rest, { objectMode: false });
  return new Promise((resolve) => {
    pipeline(source, res, (err) => resolve({ completed: !err }));
  });
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
