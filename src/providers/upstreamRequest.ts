// The body one target receives: the client's bytes with only `model` rewritten
// when the wire formats match, otherwise a translation into the target's format;
// and the path with the client's query string carried over.
import type { WireFormat } from '../dialects/wireFormat.js';
import type { UpstreamEndpoint } from './endpoint.js';
import type { AnthropicRequest, DroppedHints, OpenAIRequest, TranslationMode, TranslationTarget } from '../dialects/index.js';
import { anthropicToOpenAIRequest, mayHoldUnsignedThinking, NO_DROPPED_HINTS, openAIToAnthropicRequest, withoutUnsignedThinking } from '../dialects/index.js';
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
  if (format === req.dialect) return { ok: true, body: sameFormatBody(req, target.modelId), dropped: NO_DROPPED_HINTS };
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
 * The client's bytes with `model` rewritten. An Anthropic conversation that
 * holds unsigned thinking blocks (this gateway made them from another
 * provider's reasoning, dialects/translate/reasoning.ts) is re-serialized
 * without them: Anthropic refuses a thinking block it did not sign. The cheap
 * text test keeps every other request on the byte-patch path.
 */
function sameFormatBody(req: ClientRequest, modelId: string): Buffer {
  if (req.dialect === 'anthropic' && mayHoldUnsignedThinking(req.text)) {
    const cleaned = withoutUnsignedThinking(req.json);
    if (cleaned !== undefined) return Buffer.from(JSON.stringify({ ...cleaned, model: modelId }));
  }
  return Buffer.from(rewriteModel(req.text, modelId));
}

/**
 * The target's path (its chat path, plus `suffix` for a sub-resource such as
 * /count_tokens) with the client's query string (without "?") kept on every
 * attempt to a target of the client's own format. A target of another format
 * gets none: `?beta=true` means something to Anthropic's API only. The
 * target's own parameters (Azure's api-version) win over a client parameter of
 * the same name.
 */
export function upstreamPath(endpoint: UpstreamEndpoint, clientQuery: string, client: WireFormat, suffix = ''): string {
  const path = endpoint.chatPath + suffix;
  const query = client === endpoint.format ? clientQuery : '';
  if (query === '') return path + endpoint.query;
  if (endpoint.query === '') return `${path}?${query}`;
  const params = new URLSearchParams(query);
  for (const [name, value] of new URLSearchParams(endpoint.query)) params.set(name, value);
  return `${path}?${params.toString()}`;
}
