// Answers a request that produced no success: an upstream error relayed as-is,
// the retry_exhausted report, or nothing at all when the client has left.
import type { WireFormat } from '../dialects/wireFormat.js';
import type { ServerResponse } from 'node:http';
import type { FailoverResult } from '../failover/orchestrator.js';
import type { AttemptAnswer } from '../upstream/attempt.js';
import { sendBody, sendError } from './errorResponse.js';
import type { SecretRedactor } from './redactSecrets.js';
import { toClientError, untranslatableFieldError } from '../dialects/errors.js';

type Failure = Exclude<FailoverResult<AttemptAnswer>, { kind: 'success' }>;

function isJsonObject(text: string): boolean {
  if (!text.trimStart().startsWith('{')) return false;
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  } catch {
    return false;
  }
}

/** `redact` scrubs configured secrets from relayed provider text: some providers echo the key they were sent. */
export function sendFailure(
  res: ServerResponse,
  dialect: WireFormat,
  result: Failure,
  redact: SecretRedactor,
  extraHeaders?: Record<string, string>,
): void {
  switch (result.kind) {
    case 'client-gone':
      return;
    case 'exhausted': {
      // Anthropic clients expect {"type":"error","error":{...}}; the report's fields stay the same.
      const body = dialect === 'anthropic' ? `{"type":"error",${result.body.slice(1)}` : result.body;
      sendBody(res, result.status, { ...result.headers }, redact.text(body));
      return;
    }
    case 'passthrough': {
      const attempts = { 'x-switchyard-attempts': String(result.attemptCount), 'x-switchyard-model': result.target.name, ...extraHeaders };
      const o = result.outcome;
      switch (o.kind) {
        case 'http-error': {
          // The provider's own error, in the client's dialect: untouched when the formats match and
          // it is JSON; an HTML or plain-text error page is wrapped like a foreign-format one.
          const format = result.target.endpoint.format;
          const body = format === dialect && isJsonObject(o.body) ? o.body : toClientError(dialect, o.status, format, o.body);
          sendBody(res, o.status, { 'content-type': 'application/json', ...attempts }, redact.text(body));
          return;
        }
        case 'untranslatable':
          sendBody(res, 400, { 'content-type': 'application/json', ...attempts }, untranslatableFieldError(dialect, o.field, o.message));
          return;
        case 'invalid-response':
          sendError(res, dialect, 502, 'upstream_invalid_response', `the provider answered ${o.status} without a usable body (${o.reason})`, attempts);
          return;
        case 'timeout':
          sendError(res, dialect, 504, 'upstream_timeout', `the provider did not respond within ${o.afterMs} ms`, attempts);
          return;
        case 'connection-error':
          sendError(res, dialect, 502, 'upstream_connection_error', `could not reach the provider (connection ${o.reason})`, attempts);
          return;
        case 'high-latency':
          sendError(res, dialect, 504, 'upstream_timeout', `the provider took longer than ${o.thresholdMs} ms`, attempts);
          return;
      }
    }
  }
}
