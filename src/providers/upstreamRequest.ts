// The body one target receives: the client's bytes with only `model` rewritten
// when the wire formats match, otherwise a translation into the target's format;
// and the path with the client's query string carried over.
import type { WireFormat } from '../dialects/wireFormat.js';
import type { UpstreamEndpoint } from './endpoint.js';
import type { AnthropicRequest, DroppedHints, OpenAIRequest, TranslationMode, TranslationTarget } from '../dialects/index.js';
import { anthropicToOpenAIRequest, NO_DROPPED_HINTS, openAIToAnthropicRequest } from '../dialects/index.js';
import { rewriteModel } from './rewriteModel.js';

export type UpstreamBody =
  /** `dropped`: the hints the translation could not carry (x-switchyard-dropped); none when formats match. */
  | { readonly ok: true; readonly body: Buffer; readonly dropped: DroppedHints }
  | { readonly ok: false; readonly field: string; readonly message: string };

export interface ClientRequest {
  readonly dialect: WireFormat;
  /** The raw body text as the client sent it. */
  readonly text: string;
  readonly json: Record<string, unknown>;
  /**
   * Protocol headers of the client's format that switch features on
   * (anthropic-beta): never sent to a target of another format, so named among
   * its dropped hints. They are never refused, even under translation: strict:
   * the features they enable arrive as body fields, which are judged on their own.
   */
  readonly hintHeaders: readonly string[];
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

export function buildUpstreamBody(req: ClientRequest, target: BodyTarget): UpstreamBody {
  const format = target.endpoint.format;
  if (format === req.dialect) return { ok: true, body: Buffer.from(rewriteModel(req.text, target.modelId)), dropped: NO_DROPPED_HINTS };
  const translated =
    req.dialect === 'openai'
      ? openAIToAnthropicRequest(req.json as unknown as OpenAIRequest, translationTargetOf(target))
      : anthropicToOpenAIRequest(req.json as unknown as AnthropicRequest, translationTargetOf(target));
  if (!translated.ok) {
    return { ok: false, field: translated.field, message: `${translated.message} when sending to ${target.model}` };
  }
  const dropped = req.hintHeaders.length === 0 ? translated.dropped : [...translated.dropped, ...req.hintHeaders];
  return { ok: true, body: Buffer.from(JSON.stringify(translated.value)), dropped };
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
