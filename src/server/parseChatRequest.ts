import type { WireFormat } from '../dialects/wireFormat.js';
import { lastMember, memberValue, scanTopLevelObject, type TopLevelMember } from '../dialects/index.js';
// Validates a client's chat body just enough to route it: the gateway never
// forwards a body that is not a JSON object with a messages array. The body is
// validated in its bytes (dialects/jsonScan) and only the top-level fields the
// gateway reads are parsed; the prompt itself is parsed only when something
// needs it (translation, a stream's continuation), through `json`.

export type ParsedChat =
  | {
      readonly ok: true;
      /** The body as the client sent it (or re-serialized, see parseWhole). */
      readonly body: Buffer;
      /** Its top-level members, in order. */
      readonly members: readonly TopLevelMember[];
      /** The whole body parsed, on first read. */
      readonly json: Record<string, unknown>;
      readonly model: string | undefined;
      readonly stream: boolean;
      /** A top-level field's value, parsed; undefined when absent. */
      field(key: string): unknown;
    }
  | { readonly ok: false; readonly status: 400; readonly type: string; readonly message: string };

type Failure = Extract<ParsedChat, { ok: false }>;

const invalid = (message: string, type = 'invalid_request_error'): Failure => ({ ok: false, status: 400, type, message });

// Control characters, bidi overrides and zero-width characters have no place in
// a model name and are a classic way to smuggle look-alike names into logs.
// eslint-disable-next-line no-control-regex -- control characters are exactly what this pattern is for
export const SUSPICIOUS_MODEL_CHARS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/;

const OPEN_ARRAY = 0x5b;
const QUOTE = 0x22;
const LETTER_T = 0x74;
const LETTER_F = 0x66;
const MINUS = 0x2d;

/** The first byte of a valid JSON value tells its type. */
const firstByte = (body: Buffer, m: TopLevelMember): number => body[m.valueStart] ?? 0;

function accept(body: Buffer, members: readonly TopLevelMember[], dialect: WireFormat, parsedJson?: Record<string, unknown>): ParsedChat {
  const messages = lastMember(members, 'messages');
  if (messages === undefined) return invalid('"messages" is required');
  if (firstByte(body, messages) !== OPEN_ARRAY) return invalid('"messages" must be an array');
  const modelMember = lastMember(members, 'model');
  let model: string | undefined;
  if (modelMember !== undefined) {
    if (firstByte(body, modelMember) !== QUOTE) return invalid('"model" must be a string');
    model = memberValue(body, modelMember) as string;
    if (model.length === 0 || SUSPICIOUS_MODEL_CHARS.test(model)) return invalid('"model" contains characters that are not allowed in a model name');
  }
  const streamMember = lastMember(members, 'stream');
  const streamByte = streamMember === undefined ? LETTER_F : firstByte(body, streamMember);
  if (streamByte !== LETTER_T && streamByte !== LETTER_F) return invalid('"stream" must be a boolean');
  const maxTokens = dialect === 'anthropic' ? lastMember(members, 'max_tokens') : undefined;
  if (maxTokens !== undefined) {
    const c = firstByte(body, maxTokens);
    if (c !== MINUS && (c < 0x30 || c > 0x39)) return invalid('"max_tokens" must be a number');
  }
  let json = parsedJson;
  return {
    ok: true,
    body,
    members,
    get json(): Record<string, unknown> {
      json ??= JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      return json;
    },
    model,
    stream: streamByte === LETTER_T,
    field: (key) => {
      const m = lastMember(members, key);
      return m === undefined ? undefined : memberValue(body, m);
    },
  };
}

/**
 * The slow path, for bodies the scan refused: JSON.parse says why. Should it
 * accept one after all, the body is re-serialized so that what is forwarded
 * is exactly what was checked.
 */
function parseWhole(body: Buffer, dialect: WireFormat): ParsedChat {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch (err) {
    return invalid(`the request body is not valid JSON: ${(err as Error).message}`, 'invalid_json');
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return invalid('the request body must be a JSON object');
  }
  const canonical = Buffer.from(JSON.stringify(json));
  const members = scanTopLevelObject(canonical);
  if (members === undefined) return invalid('the request body is not valid JSON', 'invalid_json');
  return accept(canonical, members, dialect, json as Record<string, unknown>);
}

export function parseChatRequest(body: Buffer, dialect: WireFormat): ParsedChat {
  if (body.length === 0) return invalid('the request body is empty; expected a JSON object');
  const members = scanTopLevelObject(body);
  return members === undefined ? parseWhole(body, dialect) : accept(body, members, dialect);
}
