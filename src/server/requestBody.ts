// The body of a JSON request, read within the gateway's limits, or the error
// answer (415, 413, 408) already sent in the client's dialect.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewaySettings } from '../config/types.js';
import type { WireFormat } from '../dialects/wireFormat.js';
import { sendError } from './errorResponse.js';
import { readBody } from './readBody.js';

export async function readJsonRequest(limits: GatewaySettings, req: IncomingMessage, res: ServerResponse, dialect: WireFormat): Promise<Buffer | undefined> {
  const contentType = req.headers['content-type'];
  if (contentType !== undefined && !/^application\/(.+\+)?json\b/i.test(contentType)) {
    req.resume();
    sendError(res, dialect, 415, 'unsupported_media_type', `content-type must be application/json, got "${contentType.slice(0, 100)}"`);
    return undefined;
  }
  const read = await readBody(req, limits.maxBodyBytes, limits.bodyTimeoutMs);
  if (read.ok) return read.body;
  if (read.reason === 'too-large') {
    sendError(res, dialect, 413, 'request_too_large', `the request body exceeds the limit of ${limits.maxBodyBytes} bytes`, { connection: 'close' });
  } else if (read.reason === 'timeout') {
    sendError(res, dialect, 408, 'request_timeout', `the request body was not received within ${limits.bodyTimeoutMs} ms`, { connection: 'close' });
  }
  return undefined;
}
