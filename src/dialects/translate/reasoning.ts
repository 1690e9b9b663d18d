// Reasoning between the formats, on the way back. OpenAI-compatible servers
// that show a model's reasoning send it beside the content: DeepSeek, vLLM and
// most others as `reasoning_content`, OpenRouter as `reasoning`. OpenAI itself
// sends none on Chat Completions.
//
// An Anthropic thinking block carries a signature only Anthropic can make, and
// Anthropic's API refuses a thinking block whose signature it cannot verify.
// So reasoning becomes a thinking block with an empty signature, and only for
// a client that asked to see thinking (thinking enabled or adaptive, display
// not "omitted"); otherwise it is left out. Unsigned blocks that come back in a
// later turn are removed before the request reaches an Anthropic-format
// target (see withoutUnsignedThinking), so they never break a conversation
// that fails over back to Anthropic.
import type { AnthropicRequest } from '../anthropic/types.js';

/** The reasoning text of an OpenAI message or delta, when the server sent some. */
export function reasoningText(m: object | undefined | null): string | undefined {
  if (m === undefined || m === null) return undefined;
  const r = m as { reasoning_content?: unknown; reasoning?: unknown };
  if (typeof r.reasoning_content === 'string' && r.reasoning_content.length > 0) return r.reasoning_content;
  if (typeof r.reasoning === 'string' && r.reasoning.length > 0) return r.reasoning;
  return undefined;
}

/** Whether an Anthropic client's request asks to see thinking, so it can take reasoning as unsigned thinking blocks. */
export function acceptsUnsignedThinking(req: Pick<AnthropicRequest, 'thinking'>): boolean {
  const thinking = req.thinking as { type?: unknown; display?: unknown } | undefined | null;
  if (thinking === undefined || thinking === null) return false;
  return (thinking.type === 'enabled' || thinking.type === 'adaptive') && thinking.display !== 'omitted';
}

const SIGNATURE_KEY = '"signature"';
const EMPTY_SIGNATURE = /"signature"\s*:\s*""/;

/** Cheap test on the raw body: could it hold a thinking block with an empty signature? Decoded only when the key is there. */
export const mayHoldUnsignedThinking = (body: Buffer): boolean => body.includes(SIGNATURE_KEY) && EMPTY_SIGNATURE.test(body.toString('utf8'));

/**
 * The request without thinking blocks whose signature is empty (those this
 * gateway made from another provider's reasoning), or undefined when it holds none.
 */
export function withoutUnsignedThinking(json: Record<string, unknown>): Record<string, unknown> | undefined {
  const messages: unknown = json['messages'];
  if (!Array.isArray(messages)) return undefined;
  const list = messages as unknown[];
  let cleaned: unknown[] | undefined;
  for (const [i, m] of list.entries()) {
    const msg = m as { role?: unknown; content?: unknown };
    if (msg.role !== 'assistant' || !Array.isArray(msg.content)) continue;
    const kept = msg.content.filter((b: unknown) => {
      const block = b as { type?: unknown; signature?: unknown };
      return !(block.type === 'thinking' && block.signature === '');
    });
    if (kept.length === msg.content.length) continue;
    cleaned ??= [...list];
    cleaned[i] = { ...msg, content: kept };
  }
  return cleaned === undefined ? undefined : { ...json, messages: cleaned };
}
