// Sends an error the gateway itself produces, in the dialect the client spoke.
import { writeHead } from './responseHead.js';
import type { ServerResponse } from 'node:http';
import { gatewayError } from '../dialects/errors.js';
import type { ClientDialect } from '../dialects/translation.js';

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
  // Anthropic SDKs branch on their own error types, which the status determines.
  const body = gatewayError(dialect, status, dialect === 'openai' ? type : undefined, message);
  writeHead(res, status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...extraHeaders });
  res.end(body);
}
