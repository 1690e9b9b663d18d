// The body one target receives: the client's bytes with only `model` rewritten
// when the wire formats match, otherwise a translation into the target's format;
// and the path with the client's query string carried over.
import type { WireFormat } from '../dialects/wireFormat.js';
import type { UpstreamEndpoint } from './endpoint.js';
import type { AnthropicRequest, OpenAIRequest, ResponsesRequest } from '../dialects/index.js';
import { anthropicToOpenAIRequest, openAIToAnthropicRequest, responsesToChatRequest, responsesToMessagesRequest } from '../dialects/index.js';
import { rewriteModel } from './rewriteModel.js';

export type UpstreamBody =
  /** `dropped`: the hints the translation could not carry (x-switchyard-dropped); none when formats match. */
  | { readonly ok: true; readonly body: Buffer; readonly dropped: readonly string[] }
  | { readonly ok: false; readonly field: string; readonly message: string };

export interface ClientRequest {
  readonly dialect: WireFormat;
  /** The raw body text as the client sent it. */
  readonly text: string;
  readonly json: Record<string, unknown>;
}

/** What body building needs of a provider entry (a ModelProvider has all of it). */
export interface BodyTarget {
  readonly endpoint: UpstreamEndpoint;
  /** Sent upstream as `model`. */
  readonly modelId: string;
  /** provider/model, for messages. */
  readonly model: string;
}

const NOTHING_DROPPED: readonly string[] = Object.freeze([]);

/**
 * The format one exchange with an entry speaks: the entry's own, except that a
 * Responses client reaches an entry that serves the Responses API natively.
 */
export function exchangeFormat(endpoint: UpstreamEndpoint, client: WireFormat): WireFormat {
  return client === 'responses' && endpoint.responsesPath !== undefined ? 'responses' : endpoint.format;
}

function translate(req: ClientRequest, target: BodyTarget): { ok: true; value: unknown; dropped: readonly string[] } | { ok: false; field: string; message: string } {
  switch (req.dialect) {
    case 'openai': {
      const t = openAIToAnthropicRequest(req.json as unknown as OpenAIRequest, target.modelId);
      return t.ok ? { ...t, dropped: NOTHING_DROPPED } : t;
    }
    case 'anthropic': {
      const t = anthropicToOpenAIRequest(req.json as unknown as AnthropicRequest, target.modelId);
      return t.ok ? { ...t, dropped: NOTHING_DROPPED } : t;
    }
    case 'responses': {
      const r = req.json as unknown as ResponsesRequest;
      return target.endpoint.format === 'openai' ? responsesToChatRequest(r, target.modelId) : responsesToMessagesRequest(r, target.modelId);
    }
  }
}

export function buildUpstreamBody(req: ClientRequest, target: BodyTarget): UpstreamBody {
  if (exchangeFormat(target.endpoint, req.dialect) === req.dialect) {
    return { ok: true, body: Buffer.from(rewriteModel(req.text, target.modelId)), dropped: NOTHING_DROPPED };
  }
  const translated = translate(req, target);
  if (!translated.ok) {
    return { ok: false, field: translated.field, message: `${translated.message} when sending to ${target.model}` };
  }
  return { ok: true, body: Buffer.from(JSON.stringify(translated.value)), dropped: translated.dropped };
}

/**
 * The target's chat path with the client's query string (without "?") kept on
 * every attempt. The target's own parameters (Azure's api-version) win over a
 * client parameter of the same name.
 */
export function upstreamPath(endpoint: UpstreamEndpoint, clientQuery: string, format: WireFormat = endpoint.format): string {
  const path = format === 'responses' && endpoint.responsesPath !== undefined ? endpoint.responsesPath : endpoint.chatPath;
  if (clientQuery === '') return path + endpoint.query;
  if (endpoint.query === '') return `${path}?${clientQuery}`;
  const params = new URLSearchParams(clientQuery);
  for (const [name, value] of new URLSearchParams(endpoint.query)) params.set(name, value);
  return `${path}?${params.toString()}`;
}
