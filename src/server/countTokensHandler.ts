// POST /v1/messages/count_tokens: Anthropic's token count, for any entry.
// An Anthropic-format entry counts for itself: the request is forwarded (model
// rewritten, ?beta=true and the anthropic-* headers kept) and its answer
// relayed. Any other entry is counted here, with no upstream call: the body is
// translated as a chat request would be, and the translated prompt is counted
// with the model's tokenizer (dialects/tokens). That answer carries
// x-switchyard-estimated: true. No failover: a count is not worth a retry, and
// the client's own retry is cheap.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ModelProvider } from '../config/types.js';
import { anthropicToOpenAIRequest, countPromptTokens, encodingFor, loadEncoding } from '../dialects/index.js';
import { toClientError, untranslatableFieldError } from '../dialects/errors.js';
import type { AnthropicRequest } from '../dialects/index.js';
import { guardLimits } from '../failover/attemptLimits.js';
import { systemClock } from '../failover/clock.js';
import { translationTargetOf, upstreamPath, wireLength } from '../providers/upstreamRequest.js';
import { readErrorBody } from '../upstream/answer.js';
import { splitClientHeaders, upstreamHeaders } from '../upstream/headers.js';
import { RequestScope } from '../upstream/requestScope.js';
import { sendUpstream } from '../upstream/send.js';
import { allowsModel, withoutGatewayKey } from './clientAuth.js';
import { sendBody, sendError } from './errorResponse.js';
import { receiveChatBody, type ReceivedChat } from './receiveBody.js';
import type { RouteContext } from './routeContext.js';
import type { GatewayRuntime } from './runtime.js';

const ESTIMATED_HEADER = 'x-switchyard-estimated';

export async function handleCountTokens(rt: GatewayRuntime, req: IncomingMessage, res: ServerResponse, ctx: RouteContext): Promise<void> {
  const parsed = await receiveChatBody(rt, req, res, 'anthropic');
  if (!parsed) return;
  ctx.access.requestedModel = parsed.model;
  const resolved = rt.models.resolve(parsed.model);
  if (!resolved.ok) {
    sendError(res, 'anthropic', 400, 'model_not_found', resolved.message);
    return;
  }
  const target = resolved.provider;
  ctx.access.entry = target.name;
  if (!allowsModel(ctx.identity, target)) {
    sendError(res, 'anthropic', 403, 'permission_error', `this client key may not use model "${target.name}"`);
    return;
  }
  if (target.endpoint.format === 'anthropic') await forward(rt, req, res, ctx, parsed, target);
  else await estimate(res, parsed, target);
}

async function estimate(res: ServerResponse, parsed: ReceivedChat, target: ModelProvider): Promise<void> {
  // Counted as the chat request would be sent: hints never refuse a count (an estimate sends nothing).
  let translated: ReturnType<typeof anthropicToOpenAIRequest>;
  try {
    translated = anthropicToOpenAIRequest(parsed.body.json as unknown as AnthropicRequest, { ...translationTargetOf(target), mode: 'lenient' });
  } catch {
    sendError(res, 'anthropic', 400, 'invalid_request_error', 'the request has a field of an unexpected type and cannot be counted');
    return;
  }
  if (!translated.ok) {
    sendBody(res, 400, { 'content-type': 'application/json' }, untranslatableFieldError('anthropic', translated.field, translated.message));
    return;
  }
  const count = await loadEncoding(encodingFor(target.modelId));
  const inputTokens = countPromptTokens(translated.value, count);
  sendBody(res, 200, { 'content-type': 'application/json', 'x-switchyard-model': target.name, [ESTIMATED_HEADER]: 'true' }, JSON.stringify({ input_tokens: inputTokens }));
}

async function forward(rt: GatewayRuntime, req: IncomingMessage, res: ServerResponse, ctx: RouteContext, parsed: ReceivedChat, target: ModelProvider): Promise<void> {
  const body = parsed.body.withModel(target.modelId);
  const headers = upstreamHeaders(target, splitClientHeaders(withoutGatewayKey(req.headers, ctx.identity)), wireLength(body));
  const scope = new RequestScope(res, rt.config.listener.timeoutMs);
  // The entry's first-byte limit as a chat attempt would have it (its own, its policy's, learned or the default).
  const limits = guardLimits(target, target.retryPolicy, false, rt.shared.distributions, systemClock.now());
  const control = scope.beginAttempt(limits.firstByteMs);
  const own = { 'x-switchyard-model': target.name, 'x-switchyard-attempts': '1' };
  ctx.access.attempts = 1;
  try {
    const reply = await sendUpstream(rt.pools, {
      target,
      body,
      headers,
      path: upstreamPath(target.endpoint, ctx.query, 'anthropic', '/count_tokens'),
      signal: control.signal,
    });
    if (!reply.ok) {
      if (scope.gone) return;
      if (reply.failure.kind === 'connection-error') {
        sendError(res, 'anthropic', 502, 'upstream_connection_error', `could not reach the provider (connection ${reply.failure.reason})`, own);
      } else {
        sendError(res, 'anthropic', 504, 'upstream_timeout', `the provider did not respond within ${target.timeouts.firstByteMs} ms`, own);
      }
      return;
    }
    control.stop();
    const text = rt.redact.text(await readErrorBody(reply.headers, reply.body));
    const relayed = isJsonObject(text) ? text : toClientError('anthropic', reply.status, 'anthropic', text);
    sendBody(res, reply.status, { 'content-type': 'application/json', ...own }, relayed);
  } finally {
    control.stop();
    scope.dispose();
  }
}

function isJsonObject(text: string): boolean {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  } catch {
    return false;
  }
}
