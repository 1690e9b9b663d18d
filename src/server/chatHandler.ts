// POST /v1/chat/completions and /v1/messages: validate, route, call upstream,
// relay the answer. Each step is a module; this file only sequences them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ModelProvider } from '../config/types.js';
import { rewriteModel } from '../routing/rewriteModel.js';
import { sendUpstream, type UpstreamFailure } from '../upstream/send.js';
import { splitClientHeaders, upstreamHeaders } from '../upstream/headers.js';
import type { ClientDialect } from './clientDialect.js';
import { sendError } from './errorResponse.js';
import { parseChatRequest } from './parseChatRequest.js';
import { readBody } from './readBody.js';
import { readSmallBody, relayPassthrough } from './relay.js';
import { RequestScope } from './requestScope.js';
import type { GatewayRuntime } from './runtime.js';

function failureStatus(failure: UpstreamFailure): { status: number; type: string; message: string } {
  switch (failure.kind) {
    case 'timeout':
      return { status: 504, type: 'upstream_timeout', message: `the provider did not respond within ${failure.afterMs} ms (${failure.phase})` };
    case 'connection-error':
      return { status: 502, type: 'upstream_connection_error', message: `could not reach the provider (${failure.reason})` };
    case 'aborted':
      return { status: 504, type: 'deadline_exceeded', message: 'the request deadline passed' };
  }
}

export async function handleChat(
  rt: GatewayRuntime,
  req: IncomingMessage,
  res: ServerResponse,
  dialect: ClientDialect,
  requestId: string,
): Promise<void> {
  const contentType = req.headers['content-type'];
  if (contentType !== undefined && !/^application\/(.+\+)?json\b/i.test(contentType)) {
    req.resume();
    sendError(res, dialect, 415, 'unsupported_media_type', `content-type must be application/json, got "${contentType.slice(0, 100)}"`);
    return;
  }
  const read = await readBody(req, rt.config.gateway.maxBodyBytes);
  if (!read.ok) {
    if (read.reason === 'too-large') {
      sendError(res, dialect, 413, 'request_too_large', `the request body exceeds the limit of ${rt.config.gateway.maxBodyBytes} bytes`, {
        connection: 'close',
      });
    }
    return;
  }
  const parsed = parseChatRequest(read.body, dialect);
  if (!parsed.ok) {
    sendError(res, dialect, parsed.status, parsed.type, parsed.message);
    return;
  }
  const resolved = rt.models.resolve(parsed.model);
  if (!resolved.ok) {
    sendError(res, dialect, 400, 'model_not_found', resolved.message);
    return;
  }

  const scope = new RequestScope(res, rt.config.listener.timeoutMs);
  try {
    await attemptAndRelay(rt, req, res, dialect, requestId, resolved.provider, parsed.text, parsed.stream, scope);
  } finally {
    scope.dispose();
  }
}

async function attemptAndRelay(
  rt: GatewayRuntime,
  req: IncomingMessage,
  res: ServerResponse,
  dialect: ClientDialect,
  requestId: string,
  target: ModelProvider,
  text: string,
  stream: boolean,
  scope: RequestScope,
): Promise<void> {
  const clientHeaders = splitClientHeaders(req.headers);
  const body = rewriteModel(text, target.modelId);
  const bodyBytes = Buffer.from(body);
  const reply = await sendUpstream(rt.pools, {
    target,
    body: bodyBytes,
    headers: upstreamHeaders(target, clientHeaders, bodyBytes.length),
    signal: scope.signal,
    firstByteMs: Math.min(target.timeouts.firstByteMs, scope.remainingMs()),
  });
  const latency = Math.round(performance.now() - scope.startedAt);
  if (!reply.ok) {
    rt.log.info({ requestId, model: target.name, attempt: 1, outcome: reply.failure.kind, latencyMs: latency }, 'attempt');
    if (scope.ended === 'client-gone') return;
    const f = failureStatus(reply.failure);
    sendError(res, dialect, f.status, f.type, f.message);
    return;
  }
  rt.log.info({ requestId, model: target.name, attempt: 1, outcome: `http_${reply.status}`, latencyMs: latency }, 'attempt');
  const own = { 'x-request-id': requestId, 'x-switchyard-attempts': '1', 'x-switchyard-model': target.name };
  if (reply.status >= 400) {
    const errorText = await readSmallBody(reply.headers, reply.body);
    res.writeHead(reply.status, { ...own, 'content-type': 'application/json', 'content-length': Buffer.byteLength(errorText) });
    res.end(errorText);
    return;
  }
  void stream;
  await relayPassthrough(res, reply.status, reply.headers, own, reply.body);
}
