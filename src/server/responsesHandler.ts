// POST /v1/responses: check, rebuild the conversation from the gateway's own
// record, route, run the failover loop, relay the answer as a Response, and
// record the turn. Each step is a module; this file sequences them.
//
// Decisions where the API leaves room:
// - the gateway mints every response id (whichever provider answered), so an
//   id always names its own record; a native answer's id is replaced;
// - previous_response_id is always expanded here, into a stateless input,
//   even for a native entry: the record is the conversation, whoever answered;
// - a store that is known to be down answers 503 before any provider is
//   called, for every request that would read or write it; a request with
//   store: false and no previous_response_id never touches it;
// - a whole answer is stored before it is sent (a failure is a 503); a
//   streamed one once it completed (a failure is logged: the client already
//   has the answer); a failed or cut answer is never stored;
// - background: true is refused: the gateway answers while the client waits.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ModelProvider } from '../config/types.js';
import { newResponseId, ResponsesStreamView, toolNamesOf, type ResponseFrame, type ResponsesObject, type ResponsesRequest } from '../dialects/index.js';
import { recordTotalLatency, runWithFailover, type FailoverResult } from '../failover/orchestrator.js';
import { systemClock } from '../failover/clock.js';
import type { StoredResponse } from '../state/conversations/record.js';
import { inputItems, withHistory } from '../state/conversations/history.js';
import type { RelayOptions } from '../streaming/relayStream.js';
import type { ResponsesClientStream } from '../streaming/responsesEmitter.js';
import { attemptRunner, type AttemptAnswer, type PreparedRequest } from '../upstream/attempt.js';
import { splitClientHeaders } from '../upstream/headers.js';
import { RequestScope } from '../upstream/requestScope.js';
import { allowsModel, tenantOf, withoutGatewayKey } from './clientAuth.js';
import { sendFailure } from './failureResponse.js';
import { failoverContext } from './failoverContext.js';
import { parseResponsesRequest } from './parseResponsesRequest.js';
import { readJsonRequest } from './requestBody.js';
import { sendPreviousNotFound, sendResponsesError, sendStorageUnavailable } from './responsesErrors.js';
import type { RouteContext } from './routeContext.js';
import type { GatewayRuntime } from './runtime.js';
import { streamRecoveryFor } from './streamRecoveryFor.js';
import { relayAnswer } from './sendAnswer.js';
import type { RequestRecorder } from '../observability/requestRecorder.js';
import { droppedHeaders, noteResult, upstreamBodies } from './upstreamBodies.js';
import { ClientBody } from '../providers/clientBody.js';

/** What one turn is: the request as sent, as sent upstream, and the conversation it continues. */
interface Turn {
  readonly request: ResponsesRequest;
  /** The request with its history expanded: what every provider is sent (translated or not). */
  readonly effective: ResponsesRequest;
  /** The effective request as a native entry is sent it (its model rewritten): the client's bytes, or the request with its history, serialized when first needed. */
  readonly effectiveBody: ClientBody;
  readonly tenant: string;
  /** Ids of the conversation before this turn, oldest first. */
  readonly ancestors: readonly string[];
  readonly stores: boolean;
  readonly frame: ResponseFrame;
}

export async function handleResponses(rt: GatewayRuntime, req: IncomingMessage, res: ServerResponse, ctx: RouteContext): Promise<void> {
  // Metrics, status and traces hear a Responses request as they hear a chat one.
  const rec = rt.obs.startRequest('responses', ctx.requestId, req.headers, ctx.path, ctx.startedAt);
  try {
    await handle(rt, req, res, ctx, rec);
  } finally {
    // 499: the client left before any answer (nginx's word for it).
    rec.finish(res.headersSent ? res.statusCode : 499);
  }
}

async function handle(rt: GatewayRuntime, req: IncomingMessage, res: ServerResponse, ctx: RouteContext, rec: RequestRecorder): Promise<void> {
  const body = await readJsonRequest(rt.config.gateway, req, res, 'responses');
  if (body === undefined) return;
  const parsed = parseResponsesRequest(body);
  if (!parsed.ok) {
    sendResponsesError(res, 400, 'invalid_request_error', parsed.message, parsed.param);
    return;
  }
  const request = parsed.request;
  ctx.access.requestedModel = request.model;
  if (request.background === true) {
    sendResponsesError(res, 400, 'invalid_request_error', 'background mode is not supported by this gateway: it answers while the client waits', 'background', 'unsupported_field');
    return;
  }
  const resolved = rt.models.resolve(request.model);
  if (!resolved.ok) {
    sendResponsesError(res, 400, 'model_not_found', resolved.message, 'model');
    return;
  }
  const primary = resolved.provider;
  ctx.access.entry = primary.name;
  if (!allowsModel(ctx.identity, primary)) {
    sendResponsesError(res, 403, 'permission_error', `this client key may not use model "${primary.name}"`);
    return;
  }
  const turn = await beginTurn(rt, res, request, parsed.body, tenantOf(ctx.identity));
  if (turn === undefined) return;
  rec.routed(primary, request.stream === true);

  const scope = new RequestScope(res, rt.config.listener.timeoutMs);
  try {
    const client: ResponsesClientStream = { view: new ResponsesStreamView(turn.frame), names: toolNamesOf(turn.effective) };
    const prepared = prepare(rt, req, ctx, turn, client, primary, rec);
    const result = await runWithFailover(
      failoverContext(rt, { primary, deadlineMs: scope.deadlineMs, client: scope, requestId: ctx.requestId, stream: prepared.stream, observer: rec }),
      attemptRunner(rt.pools, prepared, scope),
    );
    noteResult(ctx.access, prepared.bodyFor, result);
    try {
      await respond(rt, res, turn, prepared, primary, result, streamRelay(rt, prepared, scope, client, primary, ctx.requestId, result, rec), client, rec);
    } finally {
      if (result.kind === 'success') result.session.release();
    }
  } finally {
    scope.dispose();
  }
}

/** Reads the conversation this turn continues; undefined when the answer (400 or 503) is already sent. */
async function beginTurn(rt: GatewayRuntime, res: ServerResponse, request: ResponsesRequest, body: ClientBody, tenant: string): Promise<Turn | undefined> {
  const store = rt.conversations;
  const previous = request.previous_response_id ?? undefined;
  const stores = request.store !== false;
  if ((previous !== undefined || stores) && store.health() !== 'ok') {
    sendStorageUnavailable(res, 'the conversation state storage is unavailable');
    return undefined;
  }
  const frame: ResponseFrame = { id: newResponseId(), createdAt: Math.floor(Date.now() / 1000), request };
  if (previous === undefined) return { request, effective: request, effectiveBody: body, tenant, ancestors: [], stores, frame };
  const chain = await store.chain(previous, tenant, Date.now());
  if (!chain.ok) {
    sendStorageUnavailable(res, chain.message);
    return undefined;
  }
  if (chain.value === undefined) {
    sendPreviousNotFound(res, previous);
    return undefined;
  }
  const effective = withHistory(request, chain.value);
  return { request, effective, effectiveBody: ClientBody.ofTree(effective), tenant, ancestors: chain.value.map((r) => r.id), stores, frame };
}

function prepare(
  rt: GatewayRuntime,
  req: IncomingMessage,
  ctx: RouteContext,
  turn: Turn,
  client: ResponsesClientStream,
  primary: ModelProvider,
  rec: RequestRecorder,
): PreparedRequest {
  return {
    client: 'responses',
    clientBody: turn.effectiveBody,
    policy: primary.retryPolicy,
    clientHeaders: splitClientHeaders(withoutGatewayKey(req.headers, ctx.identity)),
    query: ctx.query,
    stream: turn.request.stream === true,
    includeUsage: false,
    responses: { frame: turn.frame, names: client.names },
    traceHeaders: rec.trace === undefined ? undefined : (attemptNo: number) => rec.traceHeaders(attemptNo),
    bodyFor: upstreamBodies({ dialect: 'responses', body: turn.effectiveBody }, rt.log, ctx.requestId),
  };
}

function streamRelay(
  rt: GatewayRuntime,
  prepared: PreparedRequest,
  scope: RequestScope,
  client: ResponsesClientStream,
  primary: ModelProvider,
  requestId: string,
  result: FailoverResult<AttemptAnswer>,
  rec: RequestRecorder,
): RelayOptions | undefined {
  if (result.kind !== 'success' || result.response.answer.kind !== 'sse') return undefined;
  const recovery = streamRecoveryFor(rt, prepared, scope, primary, requestId, result, rec);
  return { client: 'responses', responses: client, includeUsage: false, recovery, usage: rec.usageTap };
}

function record(turn: Turn, response: ResponsesObject): StoredResponse {
  return {
    id: turn.frame.id,
    tenant: turn.tenant,
    previousId: turn.request.previous_response_id ?? null,
    input: inputItems(turn.request),
    response,
    createdAtMs: turn.frame.createdAt * 1000,
  };
}

async function respond(
  rt: GatewayRuntime,
  res: ServerResponse,
  turn: Turn,
  prepared: PreparedRequest,
  primary: ModelProvider,
  result: FailoverResult<AttemptAnswer>,
  stream: RelayOptions | undefined,
  client: ResponsesClientStream,
  rec: RequestRecorder,
): Promise<void> {
  if (result.kind !== 'success') {
    sendFailure(res, 'responses', result, rt.redact, result.kind === 'passthrough' ? droppedHeaders(prepared.bodyFor, result.target) : undefined);
    rec.answerReady();
    return;
  }
  const { answer, sentAt } = result.response;
  // A whole answer's overhead includes writing it; a stream's ends at its commit point.
  if (answer.kind === 'complete') rec.answerFacts(answer.facts);
  else rec.answerReady();
  const own: Record<string, string> = {
    'x-switchyard-attempts': String(result.attemptCount),
    'x-switchyard-model': result.target.name,
    ...droppedHeaders(prepared.bodyFor, result.target),
  };
  if (result.hedged) own['x-switchyard-hedged'] = '1';

  if (answer.kind === 'complete' && turn.stores && answer.status < 300) {
    const saved = await rt.conversations.save(record(turn, JSON.parse(answer.body.toString('utf8')) as ResponsesObject), turn.ancestors, Date.now());
    if (!saved.ok) {
      sendStorageUnavailable(res, saved.message);
      return;
    }
  }
  const relayed = await relayAnswer(res, { ...answer, headers: rt.redact.headers(answer.headers) }, own, stream);
  rec.answerReady();
  if (!relayed.completed) return;
  recordTotalLatency(rt.shared, primary, result.target, performance.now() - sentAt, systemClock.now(), rec);
  const final = client.view.finalResponse();
  if (answer.kind === 'sse' && turn.stores && final !== undefined) {
    const saved = await rt.conversations.save(record(turn, final), turn.ancestors, Date.now());
    if (!saved.ok) rt.log.error({ responseId: turn.frame.id, reason: saved.message }, 'streamed response not stored');
  }
}
