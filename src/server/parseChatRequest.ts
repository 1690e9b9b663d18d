import type { WireFormat } from '../dialects/wireFormat.js';
// Validates a client's chat body just enough to route it: the gateway never
// forwards a body that is not a JSON object with a messages array.

export type ParsedChat =
  | {
      readonly ok: true;
      readonly text: string;
      readonly json: Record<string, unknown>;
      readonly model: string | undefined;
      readonly stream: boolean;
    }
  | { readonly ok: false; readonly status: 400; readonly type: string; readonly message: string };

const invalid = (message: string, type = 'invalid_request_error'): ParsedChat => ({ ok: false, status: 400, type, message });

// Control characters, bidi overrides and zero-width characters have no place in
// a model name and are a classic way to smuggle look-alike names into logs.
// eslint-disable-next-line no-control-regex -- control characters are exactly what this pattern is for
export const SUSPICIOUS_MODEL_CHARS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/;

export function parseChatRequest(body: Buffer, dialect: WireFormat): ParsedChat {
  if (body.length === 0) return invalid('the request body is empty; expected a JSON object');
  const text = body.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return invalid(`the request body is not valid JSON: ${(err as Error).message}`, 'invalid_json');
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return invalid('the request body must be a JSON object');
  }
  const obj = json as Record<string, unknown>;
  if (!Array.isArray(obj['messages'])) {
    return invalid(obj['messages'] === undefined ? '"messages" is required' : '"messages" must be an array');
  }
  const model = obj['model'];
  if (model !== undefined && typeof model !== 'string') return invalid('"model" must be a string');
  if (typeof model === 'string' && (model.length === 0 || SUSPICIOUS_MODEL_CHARS.test(model))) {
    return invalid('"model" contains characters that are not allowed in a model name');
  }
  const stream = obj['stream'];
  if (stream !== undefined && typeof stream !== 'boolean') return invalid('"stream" must be a boolean');
  if (dialect === 'anthropic' && obj['max_tokens'] !== undefined && typeof obj['max_tokens'] !== 'number') {
    return invalid('"max_tokens" must be a number');
  }
  return { ok: true, text, json: obj, model, stream: stream === true };
}
