// Requests Node's parser refuses before any handler runs: a head over
// max_header_bytes, a head or body that took too long, duplicate
// Content-Length, CR/LF or NUL inside a header value, Content-Length together
// with Transfer-Encoding. Each gets a small error in the client's dialect
// (guessed from the request line) and the connection is closed.
import type { WireFormat } from '../dialects/wireFormat.js';
import type { Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { gatewayError } from '../dialects/errors.js';

interface ParserError extends Error {
  readonly code?: string;
  readonly rawPacket?: Buffer;
}

/** Time for the answer to reach the client before the socket is destroyed. */
const LINGER_MS = 1000;

const REASONS: Readonly<Record<number, string>> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

export interface ClientErrorReply {
  readonly status: 400 | 408 | 431;
  readonly type: string;
  readonly message: string;
}

/** What to answer for a parser error code; undefined when the client is already gone. */
export function replyForClientError(code: string | undefined): ClientErrorReply | undefined {
  switch (code) {
    case 'ECONNRESET':
    case 'EPIPE':
      return undefined;
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, type: 'request_header_too_large', message: 'the request headers exceed switchyard.max_header_bytes' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, type: 'request_timeout', message: 'the request was not received in time' };
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
      return { status: 400, type: 'invalid_request_error', message: 'the request has more than one Content-Length header' };
    case 'HPE_INVALID_CONTENT_LENGTH':
    case 'HPE_INVALID_TRANSFER_ENCODING':
      return { status: 400, type: 'invalid_request_error', message: 'the request has an invalid or conflicting Content-Length / Transfer-Encoding' };
    default:
      return { status: 400, type: 'invalid_request_error', message: 'the request is not valid HTTP (malformed request line or header)' };
  }
}

function dialectOf(raw: Buffer | undefined): WireFormat {
  if (raw === undefined) return 'openai';
  const line = raw.subarray(0, 256).toString('latin1');
  return /^[A-Z]+ \/v1\/messages[?\s]/.test(line) ? 'anthropic' : 'openai';
}

export function onClientError(err: ParserError, socket: Socket): void {
  const reply = replyForClientError(err.code);
  // A response already under way cannot be replaced; Node's own handler makes the same check.
  const busy = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
  if (reply === undefined || !socket.writable || busy) {
    socket.destroy();
    return;
  }
  const dialect = dialectOf(err.rawPacket);
  const body = gatewayError(dialect, reply.status, dialect === 'anthropic' ? undefined : reply.type, reply.message);
  socket.end(
    `HTTP/1.1 ${reply.status} ${REASONS[reply.status]}\r\n` +
      `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
      `x-request-id: ${randomUUID()}\r\nconnection: close\r\n\r\n${body}`,
  );
  // A client that keeps its side open (or keeps trickling) is cut shortly after.
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}
