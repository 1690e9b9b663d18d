// Errors the gateway itself answers on /v1/responses, in the Responses error
// format ({"error": {message, type, param, code}}), with the exact answer
// OpenAI gives for a previous_response_id it does not know.
import type { ServerResponse } from 'node:http';
import { gatewayError } from '../dialects/errors.js';
import { sendBody } from './errorResponse.js';

export function sendResponsesError(
  res: ServerResponse,
  status: number,
  type: string,
  message: string,
  param: string | null = null,
  code: string | null = null,
  headers: Record<string, string> = {},
): void {
  sendBody(res, status, { 'content-type': 'application/json', ...headers }, gatewayError('responses', status, type, message, { param, code }));
}

/** The same reply for an id never stored, expired, deleted or another tenant's: it reveals nothing. */
export function sendPreviousNotFound(res: ServerResponse, id: string): void {
  sendResponsesError(res, 400, 'invalid_request_error', `Previous response with id '${id}' not found.`, 'previous_response_id', 'previous_response_not_found');
}

export function sendStorageUnavailable(res: ServerResponse, message: string): void {
  sendResponsesError(res, 503, 'server_error', `${message}; requests that use stored conversations (store: true or previous_response_id) cannot be served until it is back`, null, 'state_storage_unavailable', { 'retry-after': '1' });
}
