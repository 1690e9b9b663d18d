// A whole Chat Completions answer (or a Messages answer, through
// anthropicToOpenAIResponse), for a Responses client. Output items follow the
// order of the answer: the message (text, or a refusal), then each tool call.
import type { OpenAIResponse } from '../../openai/types.js';
import { newItemId } from '../../responses/ids.js';
import { responseShell, type ResponseFrame } from '../../responses/shell.js';
import type { ResponsesObject, ResponsesOutputMessage } from '../../responses/types.js';
import { endOf, toolCallItem, usageFromChat } from '../responsesOutput.js';
import type { ToolNames } from '../responsesToolNames.js';

export function chatToResponse(chat: OpenAIResponse, frame: ResponseFrame, names: ToolNames): ResponsesObject {
  const choice = chat.choices[0];
  const message = choice?.message;
  const end = endOf(choice?.finish_reason);
  const out = responseShell(frame, chat.model, end.status);
  out.incomplete_details = end.incomplete_details;
  const content: ResponsesOutputMessage['content'] = [];
  if (typeof message?.content === 'string' && message.content !== '') content.push({ type: 'output_text', text: message.content, annotations: [], logprobs: [] });
  if (typeof message?.refusal === 'string' && message.refusal !== '') content.push({ type: 'refusal', refusal: message.refusal });
  // A truncation cuts the last item only: text followed by a tool call was
  // finished, as the stream sequencer closes it when the call begins.
  const toolCalls = message?.tool_calls ?? [];
  const itemStatus = end.status === 'completed' || toolCalls.length > 0 ? 'completed' : 'incomplete';
  if (content.length > 0) out.output.push({ type: 'message', id: newItemId('msg'), role: 'assistant', status: itemStatus, content });
  for (const call of toolCalls) {
    out.output.push(toolCallItem(names, newItemId('fc'), call.id, call.function.name, call.function.arguments, 'completed'));
  }
  out.usage = usageFromChat(chat.usage);
  return out;
}
