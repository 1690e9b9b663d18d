// Receiving a JSON request body: its content type, its size and time limits,
// and the parse; every refusal is answered here, in the client's dialect.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WireFormat } from '../dialects/wireFormat.js';
import { sendError } from './errorResponse.js';
import { parseChatRequest, type ParsedChat } from './parseChatRequest.js';
import { readBody } from './readBody.js';
import type { GatewayRuntime } from './runtime.js';

export type ReceivedChat = Extract<ParsedChat, { ok: true }>;

/** The parsed body, or undefined once the refusal has been sent. */
export async function receiveChatBody(rt: GatewayRuntime, req: IncomingMessage, res: ServerResponse, dialect: WireFormat): Promise<ReceivedChat | undefined> {
  const contentType = req.headers['content-type'];
  if (contentType !== undefined && !/^application\/(.+\+)?json\b/i.test(contentType)) {
    req.resume();
    sendError(res, dialect, 415, 'unsupported_media_type', `content-type must be application/json, got "${contentType.slice(0, 100)}"`);
    return undefined;
  }
  const read = await readBody(req, rt.config.gateway.maxBodyBytes, rt.config.gateway.bodyTimeoutMs);
  if (!read.ok) {
    if (read.reason === 'too-large') {
      sendError(res, dialect, 413, 'request_too_large', `the request body exceeds the limit of ${rt.config.gateway.maxBodyBytes} bytes`, {
        connection: 'close',
      });
    } else if (read.reason === 'timeout') {
      sendError(res, dialect, 408, 'request_timeout', `the request body was not received within ${rt.config.gateway.bodyTimeoutMs} ms`, {
        connection: 'close',
      });
    }
    return undefined;
  }
  const parsed = parseChatRequest(read.body, dialect);
  if (!parsed.ok) {
    sendError(res, dialect, parsed.status, parsed.type, parsed.message);
    return undefined;
  }
  return parsed;
}
