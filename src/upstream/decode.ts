// Removes an upstream body's content-encoding, whole or as it streams.
import type { IncomingHttpHeaders } from 'node:http';
import { pipeline, type Readable, type Transform } from 'node:stream';
import { brotliDecompressSync, createBrotliDecompress, createGunzip, createInflate, gunzipSync, inflateSync } from 'node:zlib';

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

/** Largest decoded size accepted for a whole compressed answer (a bound against decompression bombs). */
const MAX_DECODED_BYTES = 64 << 20;

/** A whole upstream body with any content-encoding removed; undefined when it does not decode. */
export function decodeWholeBody(headers: IncomingHttpHeaders, body: Buffer): Buffer | undefined {
  // undici hands a repeated header over as an array, whatever node's type says.
  const encoding = headers['content-encoding'] as string | string[] | undefined;
  const name = Array.isArray(encoding) ? encoding[0] : encoding;
  try {
    switch (name) {
      case undefined:
      case 'identity':
        return body;
      case 'gzip':
      case 'x-gzip':
        return gunzipSync(body, { maxOutputLength: MAX_DECODED_BYTES });
      case 'deflate':
        return inflateSync(body, { maxOutputLength: MAX_DECODED_BYTES });
      case 'br':
        return brotliDecompressSync(body, { maxOutputLength: MAX_DECODED_BYTES });
      default:
        return body;
    }
  } catch {
    return undefined;
  }
}

/** The upstream body with any content-encoding removed. */
export function decodedBody(headers: IncomingHttpHeaders, body: Readable): Readable {
  const decoder = decoderFor(headers['content-encoding']);
  return decoder ? pipeline(body, decoder, () => {}) : body;
}
