// What a Chat Completions answer becomes in a Response, shared by the whole
// answer and the stream sequencer so that both end the same way:
// - a tool call becomes a function_call item, or a custom_tool_call item when
//   the client offered a custom tool under that name (its `input` unwrapped
//   from the `{"input": …}` arguments), with the client's name and namespace;
// - finish_reason "length" makes the response incomplete (max_output_tokens),
//   "content_filter" incomplete (content_filter); everything else completes it;
// - usage: prompt_tokens → input_tokens (cached tokens kept), completion →
//   output_tokens, reasoning tokens kept when reported.
import type { OpenAIFinishReason, OpenAIUsage } from '../openai/types.js';
import { responsesUsage } from '../responses/shell.js';
import type { ResponsesObject, ResponsesOutputCustomToolCall, ResponsesOutputFunctionCall, ResponsesUsage } from '../responses/types.js';
import type { ToolNames } from './responsesToolNames.js';

export type ToolCallItem = ResponsesOutputFunctionCall | ResponsesOutputCustomToolCall;

function customInput(args: string): string {
  try {
    const parsed: unknown = JSON.parse(args);
    if (parsed !== null && typeof parsed === 'object' && typeof (parsed as { input?: unknown }).input === 'string') return (parsed as { input: string }).input;
  } catch {
    // Not the {"input": …} the gateway asked for: hand the text over as it came.
  }
  return args;
}

export function toolCallItem(names: ToolNames, itemId: string, callId: string, flatName: string, args: string, status: ToolCallItem['status']): ToolCallItem {
  const offered = names.get(flatName);
  const name = offered?.name ?? flatName;
  const namespace = offered?.namespace === undefined ? {} : { namespace: offered.namespace };
  if (offered?.kind === 'custom') return { type: 'custom_tool_call', id: itemId.replace(/^fc_/, 'ctc_'), call_id: callId, name, input: customInput(args), ...namespace, status };
  return { type: 'function_call', id: itemId, call_id: callId, name, arguments: args, ...namespace, status };
}

/** Status and incomplete_details for a finish reason. */
export function endOf(reason: OpenAIFinishReason | null | undefined): Pick<ResponsesObject, 'status' | 'incomplete_details'> {
  if (reason === 'length') return { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } };
  if (reason === 'content_filter') return { status: 'incomplete', incomplete_details: { reason: 'content_filter' } };
  return { status: 'completed', incomplete_details: null };
}

export function usageFromChat(u: OpenAIUsage | null | undefined): ResponsesUsage {
  return responsesUsage(u?.prompt_tokens ?? 0, u?.completion_tokens ?? 0, u?.prompt_tokens_details?.cached_tokens ?? 0, u?.completion_tokens_details?.reasoning_tokens ?? 0);
}
