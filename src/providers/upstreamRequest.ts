// The body one target receives: the client's bytes with only `model` rewritten
// when the wire formats match, otherwise a translation into the target's format;
// and the path with the client's query string carried over.
import type { WireFormat } from '../dialects/wireFormat.js';
import type { UpstreamEndpoint } from './endpoint.js';
import type { AnthropicRequest, DroppedHints, OpenAIRequest, RequestTranslation, ResponsesRequest, TranslationMode, TranslationTarget } from '../dialects/index.js';
import {
  anthropicToOpenAIRequest,
  mayHoldUnsignedThinking,
  NO_DROPPED_HINTS,
  openAIToAnthropicRequest,
  responsesToChatRequest,
  responsesToMessagesRequest,
  withoutUnsignedThinking,
} from '../dialects/index.js';
import type { ClientBody } from './clientBody.js';

/**
 * The bytes of one upstream request: one buffer, or the pieces a large
 * same-format body was spliced from (ClientBody.withModel), written in order
 * without being joined.
 */
export type WireBody = Buffer | readonly Buffer[];

export const wireLength = (body: WireBody): number => (Buffer.isBuffer(body) ? body.length : body.reduce((n, b) => n + b.length, 0));

/** The body as one buffer (joined only off the hot path: a token estimate, a test). */
export const wireBytes = (body: WireBody): Buffer => (Buffer.isBuffer(body) ? body : Buffer.concat(body));

export type UpstreamBody =
  /** `dropped`: the hints the translation could not carry (x-switchyard-dropped); none when formats match. */
  | { readonly ok: true; readonly body: WireBody; readonly dropped: DroppedHints }
  | { readonly ok: false; readonly field: string; readonly message: string };

export interface ClientRequest {
  readonly dialect: WireFormat;
  readonly body: ClientBody;
  /**
   * Protocol headers of the client's format that switch features on
   * (anthropic-beta): never sent to a target of another format, so named among
   * its dropped hints. They are never refused, even under translation: strict:
   * the features they enable arrive as body fields, which are judged on their own.
   * Messages clients only.
   */
  readonly hintHeaders?: readonly string[];
}

/** What body building needs of a provider entry (a ModelProvider has all of it). */
export interface BodyTarget {
  readonly endpoint: UpstreamEndpoint;
  /** Sent upstream as `model`. */
  readonly modelId: string;
  /** provider/model, for messages. */
  readonly model: string;
  readonly translation: TranslationMode;
  readonly reasoning: boolean;
  readonly maxOutputTokens: number | undefined;
}

/** What the request translators need of an entry. */
export const translationTargetOf = (target: BodyTarget): TranslationTarget => ({
  modelId: target.modelId,
  mode: target.translation,
  reasoning: target.reasoning,
  maxOutputTokens: target.maxOutputTokens,
});

/**
 * The format one exchange with an entry speaks: the entry's own, except that a
 * Responses client reaches an entry that serves the Responses API natively.
 */
export function exchangeFormat(endpoint: UpstreamEndpoint, client: WireFormat): WireFormat {
  return client === 'responses' && endpoint.responsesPath !== undefined ? 'responses' : endpoint.format;
}

function translate(req: ClientRequest, target: BodyTarget): RequestTranslation<unknown> {
  const into = translationTargetOf(target);
  switch (req.dialect) {
    case 'openai':
      return openAIToAnthropicRequest(req.body.json as unknown as OpenAIRequest, into);
    case 'anthropic':
      return anthropicToOpenAIRequest(req.body.json as unknown as AnthropicRequest, into);
    case 'responses': {
      const r = req.body.json as unknown as ResponsesRequest;
      return target.endpoint.format === 'openai' ? responsesToChatRequest(r, into) : responsesToMessagesRequest(r, into);
    }
  }
}

export function buildUpstreamBody(req: ClientRequest, target: BodyTarget): UpstreamBody {
  if (exchangeFormat(target.endpoint, req.dialect) === req.dialect) return { ok: true, body: sameFormatBody(req, target.modelId), dropped: NO_DROPPED_HINTS };
  const translated = translate(req, target);
  if (!translated.ok) {
    return { ok: false, field: translated.field, message: `${translated.message} when sending to ${target.model}` };
  }
  const hintHeaders = req.hintHeaders ?? [];
  const dropped = hintHeaders.length === 0 ? translated.dropped : [...translated.dropped, ...hintHeaders];
  return { ok: true, body: Buffer.from(JSON.stringify(translated.value)), dropped };
}

/**
 * The client's bytes with `model` rewritten. An Anthropic conversation that
 * holds unsigned thinking blocks (this gateway made them from another
 * provider's reasoning, dialects/translate/reasoning.ts) is re-serialized
 * without them: Anthropic refuses a thinking block it did not sign. The cheap
 * byte test keeps every other request on the splice path, unparsed.
 */
function sameFormatBody(req: ClientRequest, modelId: string): WireBody {
  if (req.dialect === 'anthropic' && mayHoldUnsignedThinking(req.body.bytes)) {
    const cleaned = withoutUnsignedThinking(req.body.json);
    if (cleaned !== undefined) return Buffer.from(JSON.stringify({ ...cleaned, model: modelId }));
  }
  return req.body.withModel(modelId);
}

/** Anthropic's API and OpenAI's (Chat Completions and Responses alike) each give query parameters their own meaning. */
const sameFamily = (a: WireFormat, b: WireFormat): boolean => (a === 'anthropic') === (b === 'anthropic');

/**
 * The path of one exchange (the chat path, or the Responses path for a native
 * Responses exchange; plus `suffix` for a sub-resource such as /count_tokens)
 * with the client's query string (without "?") kept on every attempt to a
 * target of the client's own API: `?beta=true` means something to Anthropic's
 * API only, so a target across the Anthropic/OpenAI line gets none. The
 * target's own parameters (Azure's api-version) win over a client parameter of
 * the same name.
 */
export function upstreamPath(endpoint: UpstreamEndpoint, clientQuery: string, client: WireFormat, suffix = ''): string {
  const format = exchangeFormat(endpoint, client);
  const base = format === 'responses' && endpoint.responsesPath !== undefined ? endpoint.responsesPath : endpoint.chatPath;
  const path = base + suffix;
  const query = sameFamily(client, format) ? clientQuery : '';
  if (query === '') return path + endpoint.query;
  if (endpoint.query === '') return `${path}?${query}`;
  const params = new URLSearchParams(query);
  for (const [name, value] of new URLSearchParams(endpoint.query)) params.set(name, value);
  return `${path}?${params.toString()}`;
}
