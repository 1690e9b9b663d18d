// The body one target receives: the client's bytes with only `model` rewritten
// when the wire formats match, otherwise a translation into the target's format;
// and the path with the client's query string carried over.
import type { WireFormat } from '../dialects/wireFormat.js';
import type { UpstreamEndpoint } from './endpoint.js';
import type { AnthropicRequest, OpenAIRequest } from '../dialects/index.js';
import { anthropicToOpenAIRequest, openAIToAnthropicRequest, scanTopLevelObject, type TopLevelMember } from '../dialects/index.js';
import { rewriteModel } from './rewriteModel.js';

export type UpstreamBody =
  | { readonly ok: true; readonly body: Buffer }
  | { readonly ok: false; readonly field: string; readonly message: string };

export interface ClientRequest {
  readonly dialect: WireFormat;
  /** The body as the client sent it: a valid JSON object. */
  readonly body: Buffer;
  /** Its top-level members (where "model" sits). */
  readonly members: readonly TopLevelMember[];
  /** The body parsed; read only to translate. */
  readonly json: Record<string, unknown>;
}

/** A request built by the gateway (a stream's continuation), in the client's dialect. */
export function clientRequestOf(dialect: WireFormat, json: Record<string, unknown>): ClientRequest {
  const body = Buffer.from(JSON.stringify(json));
  // JSON.stringify of an object always scans; the fallback only satisfies the type.
  return { dialect, body, members: scanTopLevelObject(body) ?? [], json };
}

/** What body building needs of a provider entry (a ModelProvider has all of it). */
export interface BodyTarget {
  readonly endpoint: UpstreamEndpoint;
  /** Sent upstream as `model`. */
  readonly modelId: string;
  /** provider/model, for messages. */
  readonly model: string;
}

export function buildUpstreamBody(req: ClientRequest, target: BodyTarget): UpstreamBody {
  const format = target.endpoint.format;
  if (format === req.dialect) return { ok: true, body: rewriteModel(req.body, req.members, target.modelId) };
  const translated =
    req.dialect === 'openai'
      ? openAIToAnthropicRequest(req.json as unknown as OpenAIRequest, target.modelId)
      : anthropicToOpenAIRequest(req.json as unknown as AnthropicRequest, target.modelId);
  if (!translated.ok) {
    return { ok: false, field: translated.field, message: `${translated.message} when sending to ${target.model}` };
  }
  return { ok: true, body: Buffer.from(JSON.stringify(translated.value)) };
}

/**
 * The target's chat path with the client's query string (without "?") kept on
 * every attempt. The target's own parameters (Azure's api-version) win over a
 * client parameter of the same name.
 */
export function upstreamPath(endpoint: UpstreamEndpoint, clientQuery: string): string {
  if (clientQuery === '') return endpoint.chatPath + endpoint.query;
  if (endpoint.query === '') return `${endpoint.chatPath}?${clientQuery}`;
  const params = new URLSearchParams(clientQuery);
  for (const [name, value] of new URLSearchParams(endpoint.query)) params.set(name, value);
  return `${endpoint.chatPath}?${params.toString()}`;
}
