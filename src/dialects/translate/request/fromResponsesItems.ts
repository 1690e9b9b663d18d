// Responses instructions and input items → Chat Completions messages.
//
// - `instructions` becomes the first system message; system and developer
//   messages become system messages in place (loss: the developer/system
//   distinction, which many OpenAI-compatible servers do not know);
// - input_text / output_text parts become text, input_image parts image_url
//   parts (a file_id image, input_file and input_audio are refused);
// - consecutive function_call / custom_tool_call items form one assistant
//   message with several tool_calls (parallel calls), each answered by a tool
//   message from its *_output item; a custom tool call's input travels as the
//   JSON arguments `{"input": …}`;
// - reasoning items, and the calls of built-in tools that ran on OpenAI's side
//   (web_search_call, …), carry no meaning for another model: they are hints,
//   dropped and named (`input.reasoning`, `input.web_search_call`);
// - items the target cannot act on (computer_call, shell_call, item_reference,
//   …) are refused naming the item.
import type { OpenAIAssistantMessage, OpenAIMessage, OpenAITextPart, OpenAIToolCall, OpenAIUserPart } from '../../openai/types.js';
import type { ResponsesContentPart, ResponsesRequest } from '../../responses/types.js';
import { type Translation, translated, untranslatable } from '../../translation.js';
import { flatName } from '../responsesToolNames.js';

/** Items of built-in tools that already ran: what they produced is in the messages that follow. */
const DROPPED_ITEMS = new Set([
  'reasoning', 'web_search_call', 'file_search_call', 'code_interpreter_call', 'image_generation_call', 'tool_search_call',
  'tool_search_output', 'mcp_list_tools', 'mcp_call', 'compaction', 'compaction_trigger',
]);

type Item = Record<string, unknown>;

export interface ChatConversation {
  messages: OpenAIMessage[];
  dropped: string[];
}

function textOf(content: string | ResponsesContentPart[], at: string): Translation<string> {
  if (typeof content === 'string') return translated(content);
  let text = '';
  for (const [j, part] of content.entries()) {
    if (part.type === 'input_text' || part.type === 'output_text') text += part.text;
    else if (part.type === 'refusal') text += part.refusal;
    else return untranslatable(`${at}[${j}]`, `a "${part.type}" part cannot be sent here to a Chat Completions model`);
  }
  return translated(text);
}

function userParts(content: string | ResponsesContentPart[], at: string): Translation<string | OpenAIUserPart[]> {
  if (typeof content === 'string') return translated(content);
  const parts: OpenAIUserPart[] = [];
  for (const [j, part] of content.entries()) {
    if (part.type === 'input_text' || part.type === 'output_text') parts.push({ type: 'text', text: part.text });
    else if (part.type === 'input_image' && typeof part.image_url === 'string') {
      const image: OpenAIUserPart = { type: 'image_url', image_url: { url: part.image_url } };
      if (part.detail !== undefined) image.image_url.detail = part.detail;
      parts.push(image);
    } else {
      return untranslatable(`${at}[${j}]`, `a "${part.type}" part${part.type === 'input_image' ? ' given by file_id' : ''} cannot be sent to a Chat Completions model`);
    }
  }
  return translated(parts);
}

/** The assistant message to add a tool call to: the last one, when nothing but tool calls followed it. */
function assistantForCall(messages: OpenAIMessage[]): OpenAIAssistantMessage {
  const last = messages[messages.length - 1];
  if (last?.role === 'assistant') return last;
  const created: OpenAIAssistantMessage = { role: 'assistant', content: null, tool_calls: [] };
  messages.push(created);
  return created;
}

function addCall(messages: OpenAIMessage[], call: OpenAIToolCall): void {
  const assistant = assistantForCall(messages);
  (assistant.tool_calls ??= []).push(call);
}

function toolOutput(output: unknown, at: string): Translation<string | OpenAITextPart[]> {
  if (typeof output === 'string') return translated(output);
  const parts: OpenAITextPart[] = [];
  for (const [j, part] of (output as ResponsesContentPart[]).entries()) {
    if (part.type === 'input_text' || part.type === 'output_text') parts.push({ type: 'text', text: part.text });
    else return untranslatable(`${at}[${j}]`, `a tool output "${part.type}" part cannot be sent to a Chat Completions model`);
  }
  return translated(parts);
}

function addItem(item: Item, at: string, out: ChatConversation): Translation<true> {
  const type = (item['type'] as string | undefined) ?? 'message';
  switch (type) {
    case 'message': {
      const role = item['role'] as string;
      const content = item['content'] as string | ResponsesContentPart[];
      if (role === 'user') {
        const parts = userParts(content, `${at}.content`);
        if (!parts.ok) return parts;
        out.messages.push({ role: 'user', content: parts.value });
      } else {
        const text = textOf(content, `${at}.content`);
        if (!text.ok) return text;
        out.messages.push(role === 'assistant' ? { role: 'assistant', content: text.value } : { role: 'system', content: text.value });
      }
      return translated(true);
    }
    case 'function_call':
    case 'custom_tool_call': {
      const namespace = typeof item['namespace'] === 'string' ? item['namespace'] : undefined;
      const args = type === 'function_call' ? (item['arguments'] as string) : JSON.stringify({ input: item['input'] });
      addCall(out.messages, { id: item['call_id'] as string, type: 'function', function: { name: flatName(item['name'] as string, namespace), arguments: args } });
      return translated(true);
    }
    case 'function_call_output':
    case 'custom_tool_call_output': {
      const content = toolOutput(item['output'], `${at}.output`);
      if (!content.ok) return content;
      out.messages.push({ role: 'tool', tool_call_id: item['call_id'] as string, content: content.value });
      return translated(true);
    }
    case 'additional_tools':
      return translated(true); // its tools are offered with the request's own (see fromResponsesTools)
    default:
      if (DROPPED_ITEMS.has(type)) {
        if (!out.dropped.includes(`input.${type}`)) out.dropped.push(`input.${type}`);
        return translated(true);
      }
      return untranslatable(at, `a "${type}" input item cannot be sent to a Chat Completions model`);
  }
}

export function toChatMessages(req: ResponsesRequest): Translation<ChatConversation> {
  const out: ChatConversation = { messages: [], dropped: [] };
  if (typeof req.instructions === 'string' && req.instructions !== '') out.messages.push({ role: 'system', content: req.instructions });
  const input = req.input ?? [];
  if (typeof input === 'string') {
    out.messages.push({ role: 'user', content: input });
    return translated(out);
  }
  for (const [i, item] of input.entries()) {
    const added = addItem(item as unknown as Item, `input[${i}]`, out);
    if (!added.ok) return added;
  }
  return translated(out);
}
