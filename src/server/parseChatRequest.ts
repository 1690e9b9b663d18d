import type { WireFormat } from '../dialects/wireFormat.js';
import { ClientBody } from '../providers/clientBody.js';
// Validates a client's chat body just enough to route it: the gateway never
// forwards a body that is not a JSON object with a messages array. The body
// is checked as bytes (providers/jsonMembers.ts): its top level strictly, and
// only the fields read here are parsed; what lies inside messages and the other
// fields is left to the provider (docs/operations.md, "Request limits").

export type ParsedChat =
  | {
      readonly ok: true;
      readonly body: ClientBody;
      readonly model: string | undefined;
      readonly stream: boolean;
    }
  | { readonly ok: false; readonly status: 400; readonly type: string; readonly message: string };

const invalid = (message: string, type = 'invalid_request_error'): ParsedChat => ({ ok: false, status: 400, type, message });

// Control characters, bidi overrides and zero-width characters have no place in
// a model name and are a classic way to smuggle look-alike names into logs.
// eslint-disable-next-line no-control-regex -- control characters are exactly what this pattern is for
export const SUSPICIOUS_MODEL_CHARS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/;

export function parseChatRequest(bytes: Buffer, dialect: WireFormat): ParsedChat {
  if (bytes.length === 0) return invalid('the request body is empty; expected a JSON object');
  const body = ClientBody.scan(bytes) ?? refusalOrTree(bytes);
  if (!(body instanceof ClientBody)) return body;
  const messages = body.memberKind('messages');
  if (messages !== 'array') return invalid(messages === 'missing' ? '"messages" is required' : '"messages" must be an array');
  const model = body.member('model');
  if (model !== undefined && typeof model !== 'string') return invalid('"model" must be a string');
  if (typeof model === 'string' && (model.length === 0 || SUSPICIOUS_MODEL_CHARS.test(model))) {
    return invalid('"model" contains characters that are not allowed in a model name');
  }
  const stream = body.member('stream');
  if (stream !== undefined && typeof stream !== 'boolean') return invalid('"stream" must be a boolean');
  if (dialect === 'anthropic') {
    const maxTokens = body.member('max_tokens');
    if (maxTokens !== undefined && typeof maxTokens !== 'number') return invalid('"max_tokens" must be a number');
  }
  return { ok: true, body, model, stream: stream === true };
}

/**
 * A body the scan refused: JSON.parse says why, in the words clients have
 * always seen. Should JSON.parse accept what the scan refused, the parsed tree
 * is used, so a gap in the scan can never refuse a valid request.
 */
function refusalOrTree(bytes: Buffer): ParsedChat | ClientBody {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    return invalid(`the request body is not valid JSON: ${(err as Error).message}`, 'invalid_json');
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return invalid('the request body must be a JSON object');
  return ClientBody.ofTree(json as Record<string, unknown>);
}
