// Anthropic system + messages → OpenAI messages.
//
// Unavoidable losses, each covered by a test:
// - cache_control hints are dropped everywhere (OpenAI caches automatically).
// - a system given as blocks becomes one system message per block.
// - assistant text blocks are joined into one string, and the interleaving of
//   text and tool_use blocks is lost: OpenAI puts tool_calls after the content.
// - thinking and redacted_thinking blocks in history are dropped.
// - tool_result `is_error` is dropped (OpenAI tool messages have no error flag).
// - tool_result blocks split a user turn: each becomes a `tool` message, and
//   the remaining blocks become user messages around them, in order.
import type { AnthropicContentBlock, AnthropicRequest, AnthropicToolResultBlock } from '../../anthropic/types.js';
import type { OpenAIMessage, OpenAITextPart, OpenAIToolCall, OpenAIUserPart } from '../../openai/types.js';
import { type Translation, translated, untranslatable } from '../../translation.js';
import { anthropicSourceToImageUrl } from './images.js';

export function toOpenAIMessages(req: Pick<AnthropicRequest, 'system' | 'messages'>): Translation<OpenAIMessage[]> {
  const out: OpenAIMessage[] = [];
  if (typeof req.system === 'string') out.push({ role: 'system', content: req.system });
  else if (Array.isArray(req.system)) {
    for (const [j, block] of req.system.entries()) {
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the wire type is what a valid message holds; this checks the one that came is
      if (block.type !== 'text') return unsupportedBlock(`system[${j}]`, block);
      out.push({ role: 'system', content: block.text });
    }
  }
  if (!Array.isArray(req.messages)) return untranslatable('messages', 'messages must be an array');
  for (const [i, msg] of req.messages.entries()) {
    const at = `messages[${i}]`;
    const result = msg.role === 'assistant' ? assistantMessage(msg.content, at) : userMessages(msg.content, at);
    if (!result.ok) return result;
    out.push(...result.value);
  }
  return translated(out);
}

function assistantMessage(content: string | AnthropicContentBlock[], at: string): Translation<OpenAIMessage[]> {
  if (typeof content === 'string') return translated([{ role: 'assistant', content }]);
  const texts: string[] = [];
  const toolCalls: OpenAIToolCall[] = [];
  for (const [j, block] of content.entries()) {
    if (block.type === 'text') texts.push(block.text);
    else if (block.type === 'tool_use') {
      toolCalls.push({ id: block.id, type: 'function', function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) } });
    } else if (block.type === 'thinking' || block.type === 'redacted_thinking') continue;
    else return unsupportedBlock(`${at}.content[${j}]`, block);
  }
  if (toolCalls.length === 0) return translated([{ role: 'assistant', content: texts.join('') }]);
  return translated([{ role: 'assistant', content: texts.length > 0 ? texts.join('') : null, tool_calls: toolCalls }]);
}

function userMessages(content: string | AnthropicContentBlock[], at: string): Translation<OpenAIMessage[]> {
  if (typeof content === 'string') return translated([{ role: 'user', content }]);
  const out: OpenAIMessage[] = [];
  let parts: OpenAIUserPart[] = [];
  const flushParts = (): void => {
    if (parts.length > 0) out.push({ role: 'user', content: parts });
    parts = [];
  };
  for (const [j, block] of content.entries()) {
    const where = `${at}.content[${j}]`;
    if (block.type === 'text') parts.push({ type: 'text', text: block.text });
    else if (block.type === 'image') parts.push({ type: 'image_url', image_url: { url: anthropicSourceToImageUrl(block.source) } });
    else if (block.type === 'tool_result') {
      flushParts();
      const tool = toolMessage(block, where);
      if (!tool.ok) return tool;
      out.push(tool.value);
    } else return unsupportedBlock(where, block);
  }
  flushParts();
  return translated(out);
}

function toolMessage(block: AnthropicToolResultBlock, at: string): Translation<OpenAIMessage> {
  const content = block.content ?? '';
  if (typeof content === 'string') return translated({ role: 'tool', tool_call_id: block.tool_use_id, content });
  const parts: OpenAITextPart[] = [];
  for (const [k, inner] of content.entries()) {
    if (inner.type !== 'text') return unsupportedBlock(`${at}.content[${k}]`, inner, 'inside a tool_result for OpenAI models');
    parts.push({ type: 'text', text: inner.text });
  }
  return translated({ role: 'tool', tool_call_id: block.tool_use_id, content: parts });
}

function unsupportedBlock(at: string, block: { type: string }, where = 'for OpenAI models') {
  return untranslatable(`${at}.type`, `content block type "${block.type}" cannot be sent ${where}`);
}
