// Parses and checks a POST /v1/responses body: JSON, an object, a model name
// fit for logs, and the shapes dialects/responses/validate.ts checks. Anything
// else is a 400 in the Responses error format naming the field.
import { checkResponsesRequest, type ResponsesRequest } from '../dialects/index.js';
import { ClientBody } from '../providers/clientBody.js';
import { SUSPICIOUS_MODEL_CHARS } from './parseChatRequest.js';

export type ParsedResponses =
  | { readonly ok: true; readonly body: ClientBody; readonly request: ResponsesRequest }
  | { readonly ok: false; readonly param: string | null; readonly message: string };

export function parseResponsesRequest(body: Buffer): ParsedResponses {
  if (body.length === 0) return { ok: false, param: null, message: 'the request body is empty; expected a JSON object' };
  const text = body.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, param: null, message: `the request body is not valid JSON: ${(err as Error).message}` };
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return { ok: false, param: null, message: 'the request body must be a JSON object' };
  const model = (json as Record<string, unknown>)['model'];
  if (typeof model === 'string' && (model.length === 0 || SUSPICIOUS_MODEL_CHARS.test(model))) {
    return { ok: false, param: 'model', message: '"model" contains characters that are not allowed in a model name' };
  }
  const checked = checkResponsesRequest(json as Record<string, unknown>);
  return checked.ok ? { ok: true, body: ClientBody.ofTree(checked.request, body), request: checked.request } : { ok: false, param: checked.param, message: checked.message };
}
