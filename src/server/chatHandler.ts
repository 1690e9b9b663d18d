// POST /v1/chat/completions and /v1/messages: validate, route, run the
// failover loop, relay the answer. Each step is a module; this file sequences
// them, and tells the request's recorder (metrics, status, traces) when it
// starts, where it routed, when the answer was ready and how it ended.
import type { EntryFormat } from '../dialects/wireFormat.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ModelProvider } from '../config/types.js';
import { runWithFailover, recordTotalLatency, type FailoverResult } from '../failover/orchestrator.js';
import { systemClock } from '../failover/clock.js';
import { acceptsUnsignedThinking, DROPPED_HEADER, droppedHeaderValue, estimateInputTokens, wantsStreamUsage, type OpenAIRequest } from '../dialects/index.js';
import { buildUpstreamBody, type ClientRequest, type UpstreamBody } from '../providers/upstreamRequest.js';
import { splitClientHeaders } from '../upstream/headers.js';
import { attemptRunner, continuationRunner, type AttemptAnswer, type PreparedRequest } from '../upstream/attempt.js';
import { StreamRecovery } from '../streaming/recovery.js';
import type { RelayOptions } from '../streaming/relayStream.js';
import { allowsModel, withoutGatewayKey, type ClientIdentity } from './clientAuth.js';
import { sendError } from './errorResponse.js';
import type { RouteContext } from './routeContext.js';
import type { AccessNotes } from '../observability/accessLog.js';
import { receiveChatBody, type ReceivedChat } from './receiveBody.js';
import { relayAnswer } from './sendAnswer.js';
import { RequestScope } from '../upstream/requestScope.js';
import { sendFailure } from './failureResponse.js';
import type { GatewayRuntime } from './runtime.js';
import type { RequestRecorder } from '../observability/requestRecorder.js';

export async function handleChat(
  rt: GatewayRuntime,
  req: IncomingMessage,
  res: ServerResponse,
  dialect: EntryFormat,
  ctx: RouteContext,
): Promise<void> {
  const rec = rt.obs.startRequest(dialect, ctx.requestId, req.headers, ctx.path, ctx.startedAt);
  try {
    await handle(rt, req, res, dialect, ctx, rec);
  } finally {
    // 499: the client left before any answer (nginx's word for it).
    rec.finish(res.headersSent ? res.statusCode : 499);
  }
}

async function handle(
  rt: GatewayRuntime,
  req: IncomingMessage,
  res: ServerResponse,
  dialect: EntryFormat,
  { requestId, query, identity, access }: RouteContext,
  rec: RequestRecorder,
): Promise<void> {
  const parsed = await receiveChatBody(rt, req, res, dialect);
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
    const prepared = prepare(req, identity, query, dialect, parsed, primary, rec, (target, dropped) => {
      rt.log.debug({ requestId, model: target.name, dropped }, 'hints dropped in translation');
    });
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
        stream: prepared.stream,
        observer: rec,
      },
      attemptRunner(rt.pools, prepared, scope),
    );
    noteResult(access, prepared, result);
    try {
      await respond(rt, res, dialect, primary, prepared, result, streamRelay(rt, dialect, prepared, scope, primary, requestId, result, rec), rec);
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
  dialect: EntryFormat,
  parsed: ReceivedChat,
  primary: ModelProvider,
  rec: RequestRecorder,
  onDropped: (target: ModelProvider, dropped: readonly string[]) => void,
): PreparedRequest {
  const client = { dialect, text: parsed.text, json: parsed.json, hintHeaders: hintHeadersOf(req, dialect) };
  // Built once per distinct target: same-model retries resend the same bytes.
  const bodies = new Map<string, UpstreamBody>();
  return {
    client: dialect,
    clientJson: parsed.json,
    hintHeaders: client.hintHeaders,
    policy: primary.retryPolicy,
    clientHeaders: splitClientHeaders(withoutGatewayKey(req.headers, identity)),
    query,
    stream: parsed.stream,
    includeUsage: dialect === 'openai' && wantsStreamUsage(parsed.json as unknown as OpenAIRequest),
    thinkingBlocks: dialect === 'anthropic' && acceptsUnsignedThinking(parsed.json),
    // Only with tracing on: otherwise the client's own traceparent, if any, travels on untouched.
    ...(rec.trace === undefined ? {} : { traceHeaders: (attemptNo: number) => rec.traceHeaders(attemptNo) }),
    bodyFor(target: ModelProvider) {
      let body = bodies.get(target.name);
      if (!body) {
        body = buildBodyOrRefuse(client, target);
        bodies.set(target.name, body);
        if (body.ok && body.dropped.length > 0) onDropped(target, body.dropped);
      }
      return body;
    },
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
    observer: rec,
  });
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
  return built.ok ? estimateInputTokens(JSON.parse(built.body.toString('utf8')) as OpenAIRequest) : 0;
}

async function respond(
  rt: GatewayRuntime,
  res: ServerResponse,
  dialect: EntryFormat,
  primary: ModelProvider,
  prepared: PreparedRequest,
  result: FailoverResult<AttemptAnswer>,
  stream: RelayOptions | undefined,
  rec: RequestRecorder,
): Promise<void> {
  if (result.kind !== 'success') {
    sendFailure(res, dialect, result, rt.redact, result.kind === 'passthrough' ? droppedHeaders(prepared, result.target) : undefined);
    rec.answerReady();
    return;
  }
  const { answer, sentAt } = result.response;
  const own: Record<string, string> = {
    'x-switchyard-attempts': String(result.attemptCount),
    'x-switchyard-model': result.target.name,
    ...droppedHeaders(prepared, result.target),
  };
  // Only an answer that came from a hedge says so; one that was not hedged (or where the first attempt won) does not.
  if (result.hedged) own['x-switchyard-hedged'] = '1';
  // A whole answer's overhead includes writing it; a stream's ends at its commit point.
  if (answer.kind === 'complete') rec.answerFacts(answer.facts);
  else rec.answerReady();
  const relayed = await relayAnswer(
    res,
    // Providers sometimes echo the credential they were sent, in headers too.
    { ...answer, headers: rt.redact.headers(answer.headers) },
    own,
    stream,
  );
  rec.answerReady();
  if (relayed.completed) {
    recordTotalLatency(rt.shared, primary, result.target, performance.now() - sentAt, systemClock.now(), rec);
  }
}

/** The access line's entry, attempts and dropped hints, from how the failover ended. */
function noteResult(access: AccessNotes, prepared: PreparedRequest, result: FailoverResult<AttemptAnswer>): void {
  const target = result.kind === 'success' || result.kind === 'passthrough' ? result.target : result.failures.at(-1)?.target;
  access.attempts = attemptsSent(result);
  if (target === undefined) return;
  access.entry = target.name;
  const built = prepared.bodyFor(target);
  if (built.ok) access.dropped = droppedHeaderValue(built.dropped);
}

/** Attempts that reached a provider: a target skipped as untranslatable was sent nothing. */
function attemptsSent(result: FailoverResult<AttemptAnswer>): number {
  const made = result.kind === 'exhausted' ? result.failures.length : result.attemptCount;
  const skipped = new Set(result.failures.filter((f) => f.outcome.kind === 'untranslatable').map((f) => f.attempt));
  if (result.kind === 'passthrough' && result.outcome.kind === 'untranslatable') skipped.add(result.attemptCount);
  return made - skipped.size;
}

/** x-switchyard-dropped for the entry that answered: what its translation left out. */
function droppedHeaders(prepared: PreparedRequest, target: ModelProvider): Record<string, string> | undefined {
  const built = prepared.bodyFor(target);
  const value = built.ok ? droppedHeaderValue(built.dropped) : undefined;
  return value === undefined ? undefined : { [DROPPED_HEADER]: value };
}
