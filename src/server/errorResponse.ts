// Errors the gateway itself produces, shaped in the dialect the client spoke.
import type { ServerResponse } from 'node:http';
import type { ClientDialect } from './clientDialect.js';

const ANTHROPIC_TYPES: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  529: 'overloaded_error',
};

export function errorBody(dialect: ClientDialect, status: number, type: string, message: string): string {
  if (dialect === 'anthropic') {
    const anthropicType = ANTHROPIC_TYPES[status] ?? 'api_error';
    return JSON.stringify({ type: 'error', error: { type: anthropicType, message } });
  }
  return JSON.stringify({ error: { message, type, param: null, code: type } });
}

export function sendError(
  res: ServerResponse,
  dialect: ClientDialect,
  status: number,
  type: string,
  message: string,
  extraHeaders?: Record<string, string>,
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = errorBody(dialect, status, type, message);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...extraHeaders });
  res.end(body);
}
