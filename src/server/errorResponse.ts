// Sends an error the gateway itself produces, in the dialect the client spoke.
import type { WireFormat } from '../dialects/wireFormat.js';
import { writeHead } from './responseHead.js';
import type { ServerResponse } from 'node:http';
import { gatewayError } from '../dialects/errors.js';

/** Writes a whole response; a response already under way is cut instead (its head is gone). */
export function sendBody(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  writeHead(res, status, { ...headers, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export function sendError(
  res: ServerResponse,
  dialect: WireFormat,
  status: number,
  type: string,
  message: string,
  extraHeaders?: Record<string, string>,
): void {
  // Anthropic SDKs branch on their own error types, which the status determines.
  const body = gatewayError(dialect, status, dialect === 'anthropic' ? undefined : type, message);
  sendBody(res, status, { 'content-type': 'application/json', ...extraHeaders }, body);
}
