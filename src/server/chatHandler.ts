// POST /v1/chat/completions and /v1/messages: validate, route, run the
// failover loop, relay the answer. Each step is a module; this file sequences them.
import type { WireFormat } from '../dialects/wireFormat.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ModelProvider } from '../config/types.js';
import { runWithFailover, recordTotalLatency, type FailoverResult } from '../failover/orchestrator.js';
import { systemClock } from '../failover/clock.js';
import { wantsStreamUsage, type OpenAIRequest } from '../dialects/index.js';
import { buildUpstreamBody, type ClientRequest, type UpstreamBody } from '../providers/upstreamRequest.js';
import { splitClientHeaders } from '../upstream/headers.js';
import { attemptRunner, continuationRunner, type AttemptAnswer, type PreparedRequest } from '../upstream/attempt.js';
import { StreamRecovery } from '../streaming/recovery.js';
import type { RelayOptions } from '../streaming/relayStream.js';
import { allowsModel, withoutGatewayKey, type ClientIdentity } from './clientAuth.js';
import { sendError } from './errorResponse.js';
import type { RouteContext } from './routeContext.js';
import { parseChatRequest, type ParsedChat } from './parseChatRequest.js';
import { readBody } from './readBody.js';
import { relayAnswer } from './sendAnswer.js';
import { RequestScope } from '../upstream/requestScope.js';
import { sendFailure } from './failureResponse.js';
import type { GatewayRuntime } from './runtime.js';

export async function handleChat(
  rt: GatewayRuntime,
  req: IncomingMessage,
  res: ServerResponse,
  dialect: WireFormat,
  { requestId, query, identity }: RouteContext,
): Promise<void> {
  const contentType = req.headers['content-type'];
  if (contentType !== undefined && !/^application\/(.+\+)?json\b/i.test(contentType)) {
    req.resume();
    sendError(res, dialect, 415, 'unsupported_media_type', `content-type must be application/json, got "${contentType.slice(0, 100)}"`);
    return;
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

  const primary = resolved.provider;
  if (!allowsModel(identity, primary)) {
    sendError(res, dialect, 403, 'permission_error', `this client key may not use model "${primary.name}"`);
    return;
  }
  const scope = new RequestScope(res, rt.config.listener.timeoutMs);
  try {
    const prepared = prepare(req, identity, query, dialect, parsed, primary);
    const result = await runWithFailover(
      {
        ...rt.shared,
        config: rt.config,
        primary,
        clock: systemClock,
        rng: Math.random,
        deadlineMs: scope.deadlineMs,
        client: scope,
        log: rt.log,
        requestId,
      },
      attemptRunner(rt.pools, prepared, scope),
    );
    try {
      await respond(rt, res, dialect, primary, result, streamRelay(rt, prepared, scope, primary, requestId, result));
    } finally {
      // A continuation that was cut short may still hold a retry-gate slot.
      if (result.kind === 'success') result.session.release();
    }
  } finally {
    scope.dispose();
  }
}

/**
 * Translation assumes the shapes the wire types describe; a client can send
 * anything (`"tools": " "`, `"messages": [null]`). Whatever the translator
 * trips over is the request's fault, so it becomes a 400, never a 500.
 */
function buildBodyOrRefuse(client: ClientRequest, target: ModelProvider): UpstreamBody {
  try {
    return buildUpstreamBody(client, target);
  } catch {
    return {
      ok: false,
      field: 'request',
      message: `the request has a field of an unexpected type and cannot be translated to the ${target.endpoint.format} format of ${target.model}`,
    };
  }
}

function prepare(
  req: IncomingMessage,
  identity: ClientIdentity,
  query: string,
  dialect: WireFormat,
  parsed: Extract<ParsedChat, { ok: true }>,
  primary: ModelProvider,
): PreparedRequest {
  // `parsed` itself: its json is parsed only if a target needs a translation.
  const client: ClientRequest = { dialect, body: parsed.body, members: parsed.members, get json() { return parsed.json; } };
  // Built once per distinct target: same-model retries resend the same bytes.
  const bodies = new Map<string, UpstreamBody>();
  return {
    client: dialect,
    get clientJson() {
      return parsed.json;
    },
    policy: primary.retryPolicy,
    clientHeaders: splitClientHeaders(withoutGatewayKey(req.headers, identity)),
    query,
    stream: parsed.stream,
    includeUsage: dialect === 'openai' && wantsStreamUsage({ stream_options: parsed.field('stream_options') } as OpenAIRequest),
    bodyFor(target: ModelProvider) {
      let body = bodies.get(target.name);
      if (!body) {
        body = buildBodyOrRefuse(client, target);
        bodies.set(target.name, body);
      }
      return body;
    },
  };
}

/** How a streamed answer recovers after the commit point, built only for a streamed success. */
function streamRelay(
  rt: GatewayRuntime,
  prepared: PreparedRequest,
  scope: RequestScope,
  primary: ModelProvider,
  requestId: string,
  result: FailoverResult<AttemptAnswer>,
): RelayOptions | undefined {
  if (result.kind !== 'success' || result.response.answer.kind !== 'sse') return undefined;
  const recovery = new StreamRecovery({
    client: prepared.client,
    clientJson: prepared.clientJson,
    session: result.session,
    hasPolicy: primary.retryPolicy !== undefined,
    now: () => systemClock.now(),
    clientSignal: scope.signal,
    log: rt.log,
    requestId,
    attempt: continuationRunner(rt.pools, prepared, scope),
  });
  return { client: prepared.client, includeUsage: prepared.includeUsage, recovery };
}

async function respond(
  rt: GatewayRuntime,
  res: ServerResponse,
  dialect: WireFormat,
  primary: ModelProvider,
  result: FailoverResult<AttemptAnswer>,
  stream: RelayOptions | undefined,
): Promise<void> {
  if (result.kind !== 'success') {
    sendFailure(res, dialect, result, rt.redact);
    return;
  }
  const { answer, sentAt } = result.response;
  const relayed = await relayAnswer(
    res,
    // Providers sometimes echo the credential they were sent, in headers too.
    { ...answer, headers: rt.redact.headers(answer.headers) },
    {
      'x-switchyard-attempts': String(result.attemptCount),
      'x-switchyard-model': result.target.name,
    },
    stream,
  );
  if (relayed.completed) {
    recordTotalLatency(rt.shared, primary, result.target, performance.now() - sentAt, systemClock.now());
  }
}
