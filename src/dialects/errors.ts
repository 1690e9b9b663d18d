// Error bodies in the client's dialect. Upstream errors keep the provider's
// message (and its type/param/code where the client's shape has room);
// non-JSON bodies (HTML from a load balancer, plain text) are tolerated.
import type { WireFormat } from './wireFormat.js';
import type { AnthropicErrorBody } from './anthropic/types.js';
import type { OpenAIErrorBody } from './openai/types.js';

const MAX_RAW_MESSAGE = 500;

const ANTHROPIC_TYPES: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

/** Anthropic documents these per status; other 4xx are invalid_request_error, other 5xx api_error. */
export function anthropicErrorType(status: number): string {
  return ANTHROPIC_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

export function openAIErrorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  return status >= 500 ? 'server_error' : 'invalid_request_error';
}

export interface UpstreamErrorDetails {
  message: string;
  type?: string;
  param?: string | null;
  code?: string | number | null;
}

/** Reads whatever the provider said; both dialects nest details under `error`. */
export function readUpstreamError(status: number, body: string): UpstreamErrorDetails {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { message: rawMessage(status, body) };
  }
  if (parsed === null || typeof parsed !== 'object') return { message: rawMessage(status, body) };
  const obj = parsed as Record<string, unknown>;
  const inner = obj.error;
  if (typeof inner === 'string') return { message: inner };
  if (inner !== null && typeof inner === 'object') {
    const e = inner as Record<string, unknown>;
    const details: UpstreamErrorDetails = { message: typeof e.message === 'string' ? e.message : rawMessage(status, body) };
    if (typeof e.type === 'string') details.type = e.type;
    if (typeof e.param === 'string' || e.param === null) details.param = e.param;
    if (typeof e.code === 'string' || typeof e.code === 'number') details.code = e.code;
    return details;
  }
  // FastAPI-style servers (vLLM) answer {"detail": ...} or {"message": ...}.
  for (const key of ['message', 'detail']) {
    if (typeof obj[key] === 'string') return { message: obj[key] };
  }
  return { message: rawMessage(status, body) };
}

function rawMessage(status: number, body: string): string {
  const trimmed = body.trim();
  if (trimmed === '') return `upstream returned HTTP ${status}`;
  return trimmed.length > MAX_RAW_MESSAGE ? `${trimmed.slice(0, MAX_RAW_MESSAGE)}…` : trimmed;
}

/** An upstream error response, re-rendered for the client. The caller keeps the status. */
export function toClientError(client: WireFormat, status: number, upstreamFormat: WireFormat, upstreamBody: string): string {
  const details = readUpstreamError(status, upstreamBody);
  // Responses errors have the Chat Completions shape.
  if (client !== 'anthropic') {
    return renderOpenAI(details.message, details.type ?? openAIErrorType(status), details.param ?? null, details.code ?? null);
  }
  // An Anthropic client's SDK branches on type, so only Anthropic's own types are passed on.
  const type = upstreamFormat === 'anthropic' && details.type ? details.type : anthropicErrorType(status);
  return renderAnthropic(type, details.message);
}

export interface GatewayErrorExtra {
  param?: string | null;
  code?: string | null;
}

/** An error produced by the gateway itself; `type` defaults from the status. */
export function gatewayError(
  client: WireFormat,
  status: number,
  type: string | undefined,
  message: string,
  extra: GatewayErrorExtra = {},
): string {
  if (client !== 'anthropic') return renderOpenAI(message, type ?? openAIErrorType(status), extra.param ?? null, extra.code ?? null);
  return renderAnthropic(type ?? anthropicErrorType(status), message);
}

/** The 400 for a field that cannot be expressed on the chosen upstream. */
export function untranslatableFieldError(client: WireFormat, field: string, message: string): string {
  return gatewayError(client, 400, 'invalid_request_error', `${message} (field: ${field})`, {
    param: field,
    code: 'unsupported_field',
  });
}

function renderOpenAI(message: string, type: string, param: string | null, code: string | number | null): string {
  const body: OpenAIErrorBody = { error: { message, type, param, code } };
  return JSON.stringify(body);
}

function renderAnthropic(type: string, message: string): string {
  const body: AnthropicErrorBody = { type: 'error', error: { type, message } };
  return JSON.stringify(body);
}
