// GET and DELETE /v1/responses/{id}: a stored response, for the client key
// that created it. An id never stored, expired, deleted or another tenant's
// is the same 404, as OpenAI answers an unknown id.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tenantOf } from './clientAuth.js';
import { sendBody } from './errorResponse.js';
import { sendResponsesError, sendStorageUnavailable } from './responsesErrors.js';
import type { RouteContext } from './routeContext.js';
import type { GatewayRuntime } from './runtime.js';

/** The path prefix of one stored response. */
export const RESPONSE_PATH_PREFIX = '/v1/responses/';

/** The id in /v1/responses/{id}, or undefined for a path that is not one (a sub-resource such as input_items). */
export function responseIdOf(path: string): string | undefined {
  if (!path.startsWith(RESPONSE_PATH_PREFIX)) return undefined;
  const id = decodeURIComponent(path.slice(RESPONSE_PATH_PREFIX.length));
  return /^[A-Za-z0-9_-]{1,200}$/.test(id) ? id : undefined;
}

function notFound(res: ServerResponse, id: string): void {
  sendResponsesError(res, 404, 'invalid_request_error', `Response with id '${id}' not found.`);
}

export async function handleResponseById(rt: GatewayRuntime, req: IncomingMessage, res: ServerResponse, ctx: RouteContext, id: string): Promise<void> {
  req.resume();
  if (new URLSearchParams(ctx.query).get('stream') === 'true') {
    sendResponsesError(res, 400, 'invalid_request_error', 'streaming a stored response is not supported by this gateway', 'stream', 'unsupported_field');
    return;
  }
  const store = rt.conversations;
  if (store.health() !== 'ok') {
    sendStorageUnavailable(res, 'the conversation state storage is unavailable');
    return;
  }
  const tenant = tenantOf(ctx.identity);
  if (req.method === 'DELETE') {
    const deleted = await store.delete(id, tenant, Date.now());
    if (!deleted.ok) sendStorageUnavailable(res, deleted.message);
    else if (!deleted.value) notFound(res, id);
    else sendBody(res, 200, { 'content-type': 'application/json' }, JSON.stringify({ id, object: 'response.deleted', deleted: true }));
    return;
  }
  const found = await store.get(id, tenant, Date.now());
  if (!found.ok) sendStorageUnavailable(res, found.message);
  else if (found.value === undefined) notFound(res, id);
  else sendBody(res, 200, { 'content-type': 'application/json' }, JSON.stringify(found.value.response));
}
