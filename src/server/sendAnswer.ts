// Writes an answer to the client. A stream is relayed as it arrives, with
// backpressure, and never buffered whole. A streamed (SSE) answer that breaks
// upstream is continued or ends with an in-band error (streaming/relayStream),
// never with a clean end that looks complete; a large plain body that breaks
// is cut downstream too.
import { writeHead } from './responseHead.js';
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Readable, pipeline } from 'node:stream';
import { clientResponseHeaders } from '../upstream/headers.js';
import { RECOVERY_TRAILER, relayLiveStream, type RelayOptions } from '../streaming/relayStream.js';
import type { Answer } from '../upstream/answer.js';

export interface RelayResult {
  /** False when either side broke before the body ended. */
  readonly completed: boolean;
}

/** A whole answer, written at once (synchronously: no promise on the most common path). */
export function relayWhole(res: ServerResponse, answer: Extract<Answer, { kind: 'complete' }>, own: OutgoingHttpHeaders): void {
  writeHead(res, answer.status, clientResponseHeaders(answer.headers, own));
  res.end(answer.body);
}

/**
 * The commit point: from here on bytes reach the client and failover is no
 * longer free. A streamed answer is handed to relayLiveStream, which owns
 * recovery after this point (`stream` says how).
 */
export async function relayAnswer(res: ServerResponse, answer: Answer, own: OutgoingHttpHeaders, stream?: RelayOptions): Promise<RelayResult> {
  if (answer.kind === 'complete') {
    relayWhole(res, answer, own);
    return { completed: true };
  }
  const headers = clientResponseHeaders(answer.headers, own);
  switch (answer.kind) {
    case 'stream': {
      writeHead(res, answer.status, headers);
      for (const chunk of answer.head) res.write(chunk);
      const source = answer.rest instanceof Readable ? answer.rest : Readable.from(answer.rest, { objectMode: false });
      return new Promise((resolve) => {
        pipeline(source, res, (err) => { resolve({ completed: !err }); });
      });
    }
    case 'sse': {
      const format = answer.stream.format;
      // Without options the stream is relayed in its own format, which a Responses stream cannot be without its view.
      const opts: RelayOptions | undefined = stream ?? (format === 'responses' ? undefined : { client: format, includeUsage: false, recovery: undefined });
      if (opts === undefined) throw new Error('a Responses stream needs its relay options');
      headers['content-type'] = 'text/event-stream';
      headers['trailer'] = RECOVERY_TRAILER;
      writeHead(res, answer.status, headers);
      const relayed = await relayLiveStream(res, answer.stream, opts);
      return { completed: relayed.completed };
    }
  }
}
