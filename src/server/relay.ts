// Writes an answer to the client. A stream is relayed as it arrives, with
// backpressure, and never buffered whole. A streamed (SSE) answer that breaks
// upstream is continued or ends with an in-band error (streaming/relayStream),
// never with a clean end that looks complete; a large plain body that breaks
// is cut downstream too.
import { writeHead } from './responseHead.js';
import type { IncomingHttpHeaders, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Readable, pipeline, type Transform } from 'node:stream';
import { brotliDecompressSync, createBrotliDecompress, createGunzip, createInflate, gunzipSync, inflateSync } from 'node:zlib';
import { clientResponseHeaders } from '../upstream/headers.js';
import { RECOVERY_TRAILER, relayLiveStream, type RelayOptions } from '../streaming/relayStream.js';
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

/** Largest decoded size accepted for a whole compressed answer (a bound against decompression bombs). */
const MAX_DECODED_BYTES = 64 << 20;

/** A whole upstream body with any content-encoding removed; undefined when it does not decode. */
export function decodeWholeBody(headers: IncomingHttpHeaders, body: Buffer): Buffer | undefined {
  const encoding = headers['content-encoding'];
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

export interface RelayResult {
  /** False when either side broke before the body ended. */
  readonly completed: boolean;
}

/**
 * The commit point: from here on bytes reach the client and failover is no
 * longer free. A streamed answer is handed to relayLiveStream, which owns
 * recovery after this point (`stream` says how).
 */
export async function relayAnswer(res: ServerResponse, answer: Answer, own: OutgoingHttpHeaders, stream?: RelayOptions): Promise<RelayResult> {
  const headers = clientResponseHeaders(answer.headers, own);
  switch (answer.kind) {
    case 'complete':
      writeHead(res, answer.status, headers);
      res.end(answer.body);
      return { completed: true };
    case 'stream': {
      writeHead(res, answer.status, headers);
      for (const chunk of answer.head) res.write(chunk);
      const source = answer.rest instanceof Readable ? answer.rest : Readable.from(answer.rest, { objectMode: false });
      return new Promise((resolve) => {
        pipeline(source, res, (err) => resolve({ completed: !err }));
      });
    }
    case 'sse': {
      const opts: RelayOptions = stream ?? { client: answer.stream.format, includeUsage: false, recovery: undefined };
      headers['content-type'] = 'text/event-stream';
      headers['trailer'] = RECOVERY_TRAILER;
      writeHead(res, answer.status, headers);
      const relayed = await relayLiveStream(res, answer.stream, opts);
      return { completed: relayed.completed };
    }
  }
}
