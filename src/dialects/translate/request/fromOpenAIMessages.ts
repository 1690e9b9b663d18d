// OpenAI messages → Anthropic system + messages.
//
// Unavoidable losses, each covered by a test:
// - system and developer messages are hoisted, in order, into the top-level
//   `system` (one text block per message); their position in the conversation
//   and the developer/system distinction are lost.
// - `name` on any message is dropped (Anthropic has no participant names).
// - image_url.detail is dropped.
// - assistant refusal text becomes ordinary text.
// - consecutive messages of the same role are merged into one (Anthropic
//   requires alternation); tool results become tool_result blocks in a user turn.
// - an assistant message with neither content nor tool calls is omitted.
import type {
  AnthropicContentBlock,
  AnthropicMessage,
  AnthropicTextBlock,
  AnthropicToolResultBlock,
} from '../../anthropic/types.js';
import type { OpenAIMessage, OpenAITextPart, OpenAIUserMessage } from '../../openai/types.js';
import { type Translation, translated, untranslatable } from '../../translation.js';
import { imageUrlToAnthropicSource } from './images.js';

export interface AnthropicConversation {
  system: AnthropicTextBlock[];
  messages: AnthropicMessage[];
}

export function toAnthropicConversation(messages: readonly OpenAIMessage[]): Translation<AnthropicConversation> {
  const system: AnthropicTextBlock[] = [];
  const turns: AnthropicMessage[] = [];
  // Legacy function_call results carry only a name; pair them with synthetic ids.
  const legacyCalls: Array<{ id: string; name: string }> = [];

  for (const [i, msg] of messages.entries()) {
    const at = `messages[${i}]`;
    switch (msg.role) {
      case 'system':
      case 'developer': {
        const texts = textParts(msg.content, `${at}.content`);
        if (!texts.ok) return texts;
        for (const text of texts.value) system.push({ type: 'text', text });
        break;
      }
      case 'user': {
        const content = userContent(msg.content, `${at}.content`);
        if (!content.ok) return content;
        appendTurn(turns, 'user', content.value);
        break;
      }
      case 'assistant': {
        const blocks: AnthropicContentBlock[] = [];
        if (typeof msg.content === 'string') {
          if (msg.content.length > 0) blocks.push({ type: 'text', text: msg.content });
        } else if (Array.isArray(msg.content)) {
          for (const [j, part] of msg.content.entries()) {
            if (part.type === 'text') blocks.push({ type: 'text', text: part.text });
            // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the wire type is what a valid message holds; this checks the one that came is
            else if (part.type === 'refusal') blocks.push({ type: 'text', text: part.refusal });
            else return unsupportedPart(`${at}.content[${j}]`, part);
          }
        }
        if (blocks.length === 0 && typeof msg.refusal === 'string' && msg.refusal.length > 0) {
          blocks.push({ type: 'text', text: msg.refusal });
        }
        for (const [k, call] of (msg.tool_calls ?? []).entries()) {
          const input = parseArguments(call.function.arguments, `${at}.tool_calls[${k}].function.arguments`);
          if (!input.ok) return input;
          blocks.push({ type: 'tool_use', id: call.id, name: call.function.name, input: input.value });
        }
        if (msg.function_call) {
          const input = parseArguments(msg.function_call.arguments, `${at}.function_call.arguments`);
          if (!input.ok) return input;
          const id = `call_legacy_${i}`;
          legacyCalls.push({ id, name: msg.function_call.name });
          blocks.push({ type: 'tool_use', id, name: msg.function_call.name, input: input.value });
        }
        if (blocks.length > 0) appendTurn(turns, 'assistant', blocks);
        break;
      }
      case 'tool': {
        const result = toolResult(msg.tool_call_id, msg.content, `${at}.content`);
        if (!result.ok) return result;
        appendTurn(turns, 'user', [result.value]);
        break;
      }
      case 'function': {
        const callIndex = legacyCalls.findIndex((c) => c.name === msg.name);
        const call = legacyCalls[callIndex];
        if (!call) return untranslatable(at, `function message "${msg.name}" answers no earlier function_call`);
        legacyCalls.splice(callIndex, 1);
        appendTurn(turns, 'user', [{ type: 'tool_result', tool_use_id: call.id, content: msg.content ?? '' }]);
        break;
      }
      default:
        return untranslatable(`${at}.role`, `unknown role "${(msg as { role: string }).role}"`);
    }
  }
  return translated({ system, messages: turns });
}

function appendTurn(turns: AnthropicMessage[], role: 'user' | 'assistant', content: AnthropicMessage['content']): void {
  const last = turns[turns.length - 1];
  if (last && last.role === role) {
    last.content = [...asBlocks(last.content), ...asBlocks(content)];
  } else {
    turns.push({ role, content });
  }
}

const asBlocks = (content: AnthropicMessage['content']): AnthropicContentBlock[] =>
  typeof content === 'string' ? [{ type: 'text', text: content }] : content;

function textParts(content: string | OpenAITextPart[], at: string): Translation<string[]> {
  if (typeof content === 'string') return translated([content]);
  const texts: string[] = [];
  for (const [j, part] of content.entries()) {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the wire type is what a valid message holds; this checks the one that came is
    if (part.type !== 'text') return unsupportedPart(`${at}[${j}]`, part);
    texts.push(part.text);
  }
  return translated(texts);
}

function userContent(content: OpenAIUserMessage['content'], at: string): Translation<AnthropicMessage['content']> {
  if (typeof content === 'string') return translated(content);
  const blocks: AnthropicContentBlock[] = [];
  for (const [j, part] of content.entries()) {
    if (part.type === 'text') {
      blocks.push({ type: 'text', text: part.text });
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the wire type is what a valid message holds; this checks the one that came is
    } else if (part.type === 'image_url') {
      const source = imageUrlToAnthropicSource(part.image_url.url);
      if (!source) return untranslatable(`${at}[${j}].image_url.url`, 'only http(s) and base64 data: image URLs can be sent to Anthropic');
      blocks.push({ type: 'image', source });
    } else {
      return unsupportedPart(`${at}[${j}]`, part);
    }
  }
  return translated(blocks);
}

function toolResult(toolUseId: string, content: string | OpenAITextPart[], at: string): Translation<AnthropicToolResultBlock> {
  if (typeof content === 'string') return translated({ type: 'tool_result', tool_use_id: toolUseId, content });
  const texts = textParts(content, at);
  if (!texts.ok) return texts;
  const blocks: AnthropicTextBlock[] = texts.value.map((text) => ({ type: 'text', text }));
  return translated({ type: 'tool_result', tool_use_id: toolUseId, content: blocks });
}

/** Anthropic wants the tool input as an object; OpenAI sends a JSON string. */
export function parseArguments(args: string, at: string): Translation<Record<string, unknown>> {
  if (args.trim() === '') return translated({});
  let parsed: unknown;
  try {
    parsed = JSON.parse(args);
  } catch {
    return untranslatable(at, 'tool call arguments are not valid JSON, which Anthropic requires');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return untranslatable(at, 'tool call arguments must be a JSON object for Anthropic');
  }
  return translated(parsed as Record<string, unknown>);
}

function unsupportedPart(at: string, part: { type: string }): { ok: false; field: string; message: string } {
  return untranslatable(`${at}.type`, `content part type "${part.type}" cannot be sent to Anthropic`);
}
