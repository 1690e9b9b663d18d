// The body of a JSON request, read within the gateway's limits, or the error
// answer (415, 413, 408) already sent in the client's dialect. In two steps
// (start, then check what was read) so that a caller awaits the read itself:
// a wrapping async frame costs a promise and a microtask turn per request.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewaySettings } from '../config/types.js';
import type { WireFormat } from '../dialects/wireFormat.js';
import { sendError } from './errorResponse.js';
import { readBody, type BodyResult } from './readBody.js';

const JSON_TYPE = /^application\/(.+\+)?json\b/i;

/** Starts reading the body; undefined once a 415 has been sent (the body is drained, unread). */
export function startJsonBody(limits: GatewaySettings, req: IncomingMessage, res: ServerResponse, dialect: WireFormat): Promise<BodyResult> | undefined {
  const contentType = req.headers['content-type'];
  // The exact common value skips the regular expression.
  if (contentType !== undefined && contentType !== 'application/json' && !JSON_TYPE.test(contentType)) {
    req.resume();
    sendError(res, dialect, 415, 'unsupported_media_type', `content-type must be application/json, got "${contentType.slice(0, 100)}"`);
    return undefined;
  }
  return readBody(req, limits.maxBodyBytes, limits.bodyTimeoutMs);
}

/** The body read, or undefined once its refusal (413, 408) has been sent; a client that left gets none. */
export function jsonBodyOrRefusal(limits: GatewaySettings, read: BodyResult, res: ServerResponse, dialect: WireFormat): Buffer | undefined {
  if (read.ok) return read.body;
  if (read.reason === 'too-large') {
    sendError(res, dialect, 413, 'request_too_large', `the request body exceeds the limit of ${limits.maxBodyBytes} bytes`, { connection: 'close' });
  } else if (read.reason === 'timeout') {
    sendError(res, dialect, 408, 'request_timeout', `the request body was not received within ${limits.bodyTimeoutMs} ms`, { connection: 'close' });
  }
  return undefined;
}

/** Both steps: the body, or undefined once refused. */
export async function readJsonRequest(limits: GatewaySettings, req: IncomingMessage, res: ServerResponse, dialect: WireFormat): Promise<Buffer | undefined> {
  const reading = startJsonBody(limits, req, res, dialect);
  return reading === undefined ? undefined : jsonBodyOrRefusal(limits, await reading, res, dialect);
}
