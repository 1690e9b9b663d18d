// stop_reason ⇄ finish_reason.
// Loss (Anthropic → OpenAI): stop_sequence and end_turn both become "stop";
// which sequence matched is not expressible. pause_turn (server tools only)
// becomes "stop"; model_context_window_exceeded becomes "length".
// Loss (OpenAI → Anthropic): "stop" cannot tell a stop sequence from a natural
// end, so it always becomes end_turn with stop_sequence null.
import type { AnthropicStopReason } from '../anthropic/types.js';
import type { OpenAIFinishReason } from '../openai/types.js';

export function anthropicStopToFinishReason(reason: AnthropicStopReason | null | undefined): OpenAIFinishReason {
  switch (reason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'stop';
  }
}

export function finishReasonToAnthropicStop(reason: OpenAIFinishReason | null | undefined): AnthropicStopReason {
  switch (reason) {
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    default:
      return 'end_turn';
  }
}
