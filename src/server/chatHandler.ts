// POST /v1/chat/completions and /v1/messages: validate, route, run the
// failover loop, relay the answer. Each step is a module; this file sequences
// them, and tells the request's recorder (metrics, status, traces) when it
// starts, where it routed, when the answer was ready and how it ended.
import type { EntryFormat } from '../dialects/wireFormat.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ModelProvider } from '../config/types.js';
import { runWithFailover, recordTotalLatency, type FailoverResult } from '../failover/orchestrator.js';
import { systemClock } from '../failover/clock.js';
import { acceptsUnsignedThinking, estimateInputTokens, wantsStreamUsage, type AnthropicRequest, type OpenAIRequest } from '../dialects/index.js';
import { splitClientHeaders } from '../upstream/headers.js';
import { attemptRunner, type AttemptAnswer, type PreparedRequest } from '../upstream/attempt.js';
import type { RelayOptions } from '../streaming/relayStream.js';
import { allowsModel, withoutGatewayKey, type ClientIdentity } from './clientAuth.js';
import { sendError } from './errorResponse.js';
import type { RouteContext } from './routeContext.js';
import { checkChatBody, type ReceivedChat } from './receiveBody.js';
import { startJsonBody } from './requestBody.js';
import { relayAnswer, relayWhole } from './sendAnswer.js';
import { RequestScope } from '../upstream/requestScope.js';
import { sendFailure } from './failureResponse.js';
import type { GatewayRuntime } from './runtime.js';
import { streamRecoveryFor } from './streamRecoveryFor.js';
import type { RequestRecorder } from '../observability/requestRecorder.js';
import { droppedHeaders, noteResult, upstreamBodies } from './upstreamBodies.js';
import type { Logger } from '../observability/logger.js';
import { wireBytes } from '../providers/upstreamRequest.js';
import { failoverContext } from './failoverContext.js';

export async function handleChat(
  rt: GatewayRuntime,
  req: IncomingMessage,
  res: ServerResponse,
  dialect: EntryFormat,
  { requestId, query, identity, access, path, startedAt }: RouteContext,
): Promise<void> {
  const rec = rt.obs.startRequest(dialect, requestId, req.headers, path, startedAt);
  // One async frame for the whole request: each nested one costs a promise and a microtask turn on every request.
  try {
    const reading = startJsonBody(rt.config.gateway, req, res, dialect);
    if (reading === undefined) return;
    const parsed = checkChatBody(rt, await reading, res, dialect);
    if (!parsed) return;
    access.requestedModel = parsed.model;
    const resolved = rt.models.resolve(parsed.model);
    if (!resolved.ok) {
      sendError(res, dialect, 400, 'model_not_found', resolved.message);
      return;
    }

    const primary = resolved.provider;
    access.entry = primary.name;
    if (!allowsModel(identity, primary)) {
      sendError(res, dialect, 403, 'permission_error', `this client key may not use model "${primary.name}"`);
      return;
    }
    const scope = new RequestScope(res, rt.config.listener.timeoutMs);
    rec.routed(primary, parsed.stream);
    try {
      const prepared = prepare(req, identity, query, dialect, parsed, primary, rec, rt.log, requestId);
      const result = await runWithFailover(
        failoverContext(rt, { primary, deadlineMs: scope.deadlineMs, client: scope, requestId, stream: prepared.stream, observer: rec }),
        attemptRunner(rt.pools, prepared, scope),
      );
      noteResult(access, prepared.bodyFor, result);
      try {
        const relaying = respond(rt, res, dialect, primary, prepared, result, streamRelay(rt, dialect, prepared, scope, primary, requestId, result, rec), rec);
        if (relaying !== undefined) await relaying;
      } finally {
        // A continuation that was cut short may still hold a retry-gate slot.
        if (result.kind === 'success') result.session.release();
      }
    } finally {
      scope.dispose();
    }
  } finally {
    // 499: the client left before any answer (nginx's word for it).
    rec.finish(res.headersSent ? res.statusCode : 499);
  }
}

function prepare(
  req: IncomingMessage,
  identity: ClientIdentity,
  query: string,
  dialect: EntryFormat,
  parsed: ReceivedChat,
  primary: ModelProvider,
  rec: RequestRecorder,
  log: Logger,
  requestId: string,
): PreparedRequest {
  const client = { dialect, body: parsed.body, hintHeaders: hintHeadersOf(req, dialect) };
  return {
    client: dialect,
    clientBody: parsed.body,
    hintHeaders: client.hintHeaders,
    policy: primary.retryPolicy,
    clientHeaders: splitClientHeaders(withoutGatewayKey(req.headers, identity)),
    query,
    stream: parsed.stream,
    // Top-level members read alone: the prompt itself is never parsed on this path.
    includeUsage: dialect === 'openai' && wantsStreamUsage({ stream_options: parsed.body.member('stream_options') } as OpenAIRequest),
    thinkingBlocks: dialect === 'anthropic' && acceptsUnsignedThinking({ thinking: parsed.body.member('thinking') as AnthropicRequest['thinking'] }),
    // Only with tracing on: otherwise the client's own traceparent, if any, travels on untouched.
    traceHeaders: rec.trace === undefined ? undefined : (attemptNo: number) => rec.traceHeaders(attemptNo),
    bodyFor: upstreamBodies(client, log, requestId),
  };
}

/** Client headers that switch features on in the client's format only (see ClientRequest.hintHeaders). */
function hintHeadersOf(req: IncomingMessage, dialect: EntryFormat): readonly string[] {
  return dialect === 'anthropic' && req.headers['anthropic-beta'] !== undefined ? ['anthropic-beta'] : [];
}

/** How a streamed answer recovers after the commit point, built only for a streamed success. */
function streamRelay(
  rt: GatewayRuntime,
  dialect: EntryFormat,
  prepared: PreparedRequest,
  scope: RequestScope,
  primary: ModelProvider,
  requestId: string,
  result: FailoverResult<AttemptAnswer>,
  rec: RequestRecorder,
): RelayOptions | undefined {
  if (result.kind !== 'success' || result.response.answer.kind !== 'sse') return undefined;
  const recovery = streamRecoveryFor(rt, prepared, scope, primary, requestId, result, rec);
  return {
    client: dialect,
    includeUsage: prepared.includeUsage,
    thinkingBlocks: prepared.thinkingBlocks,
    inputTokens: prepared.client === 'anthropic' && result.target.endpoint.format === 'openai' ? () => estimatedInputTokens(prepared, result.target) : undefined,
    recovery,
    usage: rec.usageTap,
  };
}

/**
 * The prompt tokens of the body this target was sent, estimated (dialects/tokens):
 * parsed again only here, once per stream, so translation itself keeps no copy.
 */
function estimatedInputTokens(prepared: PreparedRequest, target: ModelProvider): number {
  const built = prepared.bodyFor(target);
  return built.ok ? estimateInputTokens(JSON.parse(wireBytes(built.body).toString('utf8')) as OpenAIRequest) : 0;
}

/** Sends the outcome. A whole answer is written at once; only a stream leaves a promise to wait for. */
function respond(
  rt: GatewayRuntime,
  res: ServerResponse,
  dialect: EntryFormat,
  primary: ModelProvider,
  prepared: PreparedRequest,
  result: FailoverResult<AttemptAnswer>,
  stream: RelayOptions | undefined,
  rec: RequestRecorder,
): Promise<void> | undefined {
  if (result.kind !== 'success') {
    sendFailure(res, dialect, result, rt.redact, result.kind === 'passthrough' ? droppedHeaders(prepared.bodyFor, result.target) : undefined);
    rec.answerReady();
    return undefined;
  }
  const { answer, sentAt } = result.response;
  const own: Record<string, string> = {
    'x-switchyard-attempts': String(result.attemptCount),
    'x-switchyard-model': result.target.name,
    ...droppedHeaders(prepared.bodyFor, result.target),
  };
  // Only an answer that came from a hedge says so; one that was not hedged (or where the first attempt won) does not.
  if (result.hedged) own['x-switchyard-hedged'] = '1';
  // Providers sometimes echo the credential they were sent, in headers too.
  const relayed = { ...answer, headers: rt.redact.headers(answer.headers) };
  const done = (completed: boolean): void => {
    rec.answerReady();
    if (completed) recordTotalLatency(rt.shared, primary, result.target, performance.now() - sentAt, systemClock.now(), rec);
  };
  // A whole answer's overhead includes writing it; a stream's ends at its commit point.
  if (relayed.kind === 'complete') {
    rec.answerFacts(relayed.facts);
    relayWhole(res, relayed, own);
    done(true);
    return undefined;
  }
  rec.answerReady();
  return relayAnswer(res, relayed, own, stream).then((r) => { done(r.completed); });
}
