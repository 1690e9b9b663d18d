// Anthropic system + messages → OpenAI messages.
//
// Hints dropped (named through the ledger, refused under translation: strict):
// - cache_control, everywhere (OpenAI caches prompts by itself): `cache_control`;
// - thinking and redacted_thinking blocks in history, which only Anthropic can
//   read back (their signatures are Anthropic's): `thinking_blocks`;
// - tool_result `is_error: true` (OpenAI tool messages have no error flag): `is_error`.
// Unavoidable reshaping, each covered by a test:
// - a system given as blocks becomes one system message per block;
// - a system turn inside `messages` (per-turn-control beta) becomes a system
//   message at the same place; its output_config is read by ./fromAnthropicReasoning.ts;
// - assistant text blocks are joined into one string, and the interleaving of
//   text and tool_use blocks is lost: OpenAI puts tool_calls after the content;
// - tool_result blocks split a user turn: each becomes a `tool` message, and
//   the remaining blocks become user messages around them, in order.
import type {
  AnthropicContentBlock,
  AnthropicMessage,
  AnthropicRequest,
  AnthropicSystemTurn,
  AnthropicTextBlock,
  AnthropicToolResultBlock,
} from '../../anthropic/types.js';
import type { OpenAIMessage, OpenAITextPart, OpenAIToolCall, OpenAIUserPart } from '../../openai/types.js';
import { type Translation, translated, untranslatable, type Untranslatable } from '../../translation.js';
import type { HintLedger } from '../../translationLoss.js';
import { anthropicSourceToImageUrl } from './images.js';

export function toOpenAIMessages(req: Pick<AnthropicRequest, 'system' | 'messages'>, hints: HintLedger): Translation<OpenAIMessage[]> {
  const out: OpenAIMessage[] = [];
  if (typeof req.system === 'string') out.push({ role: 'system', content: req.system });
  else if (Array.isArray(req.system)) {
    const system = systemMessages(req.system, 'system', hints);
    if (!system.ok) return system;
    out.push(...system.value);
  }
  if (!Array.isArray(req.messages)) return untranslatable('messages', 'messages must be an array');
  for (const [i, msg] of req.messages.entries()) {
    const at = `messages[${i}]`;
    const result = messageOf(msg, at, hints);
    if (!result.ok) return result;
    out.push(...result.value);
  }
  return translated(out);
}

function messageOf(msg: AnthropicMessage | AnthropicSystemTurn, at: string, hints: HintLedger): Translation<OpenAIMessage[]> {
  switch (msg.role) {
    case 'assistant':
      return assistantMessage(msg.content, at, hints);
    case 'user':
      return userMessages(msg.content, at, hints);
    case 'system':
      return typeof msg.content === 'string' ? translated([{ role: 'system', content: msg.content }]) : systemMessages(msg.content, `${at}.content`, hints);
    default:
      return untranslatable(`${at}.role`, `role ${JSON.stringify((msg as { role: unknown }).role)} is not one of user, assistant, system`);
  }
}

function systemMessages(blocks: AnthropicTextBlock[], at: string, hints: HintLedger): Translation<OpenAIMessage[]> {
  const out: OpenAIMessage[] = [];
  for (const [j, block] of blocks.entries()) {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the wire type is what a valid message holds; this checks the one that came is
    if (block.type !== 'text') return unsupportedBlock(`${at}[${j}]`, block);
    const refused = dropCacheControl(block, `${at}[${j}]`, hints);
    if (refused) return refused;
    out.push({ role: 'system', content: block.text });
  }
  return translated(out);
}

/** cache_control is a hint: OpenAI caches repeated prompt prefixes by itself. */
export function dropCacheControl(holder: { cache_control?: unknown }, at: string, hints: HintLedger): Untranslatable | undefined {
  if (holder.cache_control === undefined || holder.cache_control === null) return undefined;
  return hints.drop('cache_control', 'cache_control has no equivalent for OpenAI-format models', `${at}.cache_control`);
}

function assistantMessage(content: string | AnthropicContentBlock[], at: string, hints: HintLedger): Translation<OpenAIMessage[]> {
  if (typeof content === 'string') return translated([{ role: 'assistant', content }]);
  const texts: string[] = [];
  const toolCalls: OpenAIToolCall[] = [];
  for (const [j, block] of content.entries()) {
    const where = `${at}.content[${j}]`;
    const refused = dropCacheControl(block as { cache_control?: unknown }, where, hints);
    if (refused) return refused;
    if (block.type === 'text') texts.push(block.text);
    else if (block.type === 'tool_use') {
      toolCalls.push({ id: block.id, type: 'function', function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) } });
    } else if (block.type === 'thinking' || block.type === 'redacted_thinking') {
      const thinking = hints.drop('thinking_blocks', 'thinking blocks are signed by Anthropic and cannot be sent to OpenAI-format models', `${where}.type`);
      if (thinking) return thinking;
    } else return unsupportedBlock(where, block);
  }
  if (toolCalls.length === 0) return translated([{ role: 'assistant', content: texts.join('') }]);
  return translated([{ role: 'assistant', content: texts.length > 0 ? texts.join('') : null, tool_calls: toolCalls }]);
}

function userMessages(content: string | AnthropicContentBlock[], at: string, hints: HintLedger): Translation<OpenAIMessage[]> {
  if (typeof content === 'string') return translated([{ role: 'user', content }]);
  const out: OpenAIMessage[] = [];
  let parts: OpenAIUserPart[] = [];
  const flushParts = (): void => {
    if (parts.length > 0) out.push({ role: 'user', content: parts });
    parts = [];
  };
  for (const [j, block] of content.entries()) {
    const where = `${at}.content[${j}]`;
    const refused = dropCacheControl(block as { cache_control?: unknown }, where, hints);
    if (refused) return refused;
    if (block.type === 'text') parts.push({ type: 'text', text: block.text });
    else if (block.type === 'image') parts.push({ type: 'image_url', image_url: { url: anthropicSourceToImageUrl(block.source) } });
    else if (block.type === 'tool_result') {
      flushParts();
      const tool = toolMessage(block, where, hints);
      if (!tool.ok) return tool;
      out.push(tool.value);
    } else return unsupportedBlock(where, block);
  }
  flushParts();
  return translated(out);
}

function toolMessage(block: AnthropicToolResultBlock, at: string, hints: HintLedger): Translation<OpenAIMessage> {
  if (block.is_error === true) {
    const refused = hints.drop('is_error', 'OpenAI tool messages have no error flag', `${at}.is_error`);
    if (refused) return refused;
  }
  const content = block.content ?? '';
  if (typeof content === 'string') return translated({ role: 'tool', tool_call_id: block.tool_use_id, content });
  const parts: OpenAITextPart[] = [];
  for (const [k, inner] of content.entries()) {
    if (inner.type !== 'text') return unsupportedBlock(`${at}.content[${k}]`, inner, 'inside a tool_result for OpenAI models');
    const refused = dropCacheControl(inner, `${at}.content[${k}]`, hints);
    if (refused) return refused;
    parts.push({ type: 'text', text: inner.text });
  }
  return translated({ role: 'tool', tool_call_id: block.tool_use_id, content: parts });
}

function unsupportedBlock(at: string, block: { type: string }, where = 'for OpenAI models') {
  return untranslatable(`${at}.type`, `content block type "${block.type}" cannot be sent ${where}`);
}
