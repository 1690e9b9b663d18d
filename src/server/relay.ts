// Writes an upstream response to the client as it arrives, with backpressure.
// Nothing here buffers a whole body: a stream cut upstream becomes a cut
// downstream (the socket is destroyed), never a clean end that looks complete.
import type { IncomingHttpHeaders, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { pipeline, type Readable, type Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { clientResponseHeaders } from '../upstream/headers.js';

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

/** Readable of the upstream body with any content-encoding removed. */
export function decodedBody(headers: IncomingHttpHeaders, body: Readable): Readable {
  const decoder = decoderFor(headers['content-encoding']);
  return decoder ? body.pipe(decoder) : body;
}

export interface RelayResult {
  /** False when either side broke before the body ended. */
  readonly completed: boolean;
}

/** Streams `body` to `res` untouched (apart from decoding), then resolves with how it ended. */
export function relayPassthrough(
  res: ServerResponse,
  status: number,
  upstreamHeaders: IncomingHttpHeaders,
  ownHeaders: OutgoingHttpHeaders,
  body: Readable,
): Promise<RelayResult> {
  const headers = clientResponseHeaders(upstreamHeaders, ownHeaders);
  const decoder = decoderFor(upstreamHeaders['content-encoding']);
  if (decoder) {
    delete headers['content-encoding'];
    delete headers['content-length'];
  }
  res.writeHead(status, headers);
  return new Promise((resolve) => {
    const done = (err: Error | null | undefined): void => resolve({ completed: !err });
    if (decoder) pipeline(body, decoder, res, done);
    else pipeline(body, res, done);
  });
}

/** Reads a (small) upstream error body, giving up past `limit` bytes. */
export async function readSmallBody(headers: IncomingHttpHeaders, body: Readable, limit = 1 << 20): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of decodedBody(headers, body)) {
      size += (chunk as Buffer).length;
      if (size > limit) {
        body.destroy();
        break;
      }
      chunks.push(chunk as Buffer);
    }
  } catch {
    // A body cut while reading an error is still an error; keep what arrived.
  }
  return Buffer.concat(chunks).toString('utf8');
}
