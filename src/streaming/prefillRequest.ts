import type { WireFormat } from '../dialects/wireFormat.js';
// The continuation request: the client's conversation plus the text already
// streamed, as a trailing assistant message the fallback continues from. Pure.

export interface PrefilledRequest {
  readonly json: Record<string, unknown>;
  /** Streamed text that was left out of the prefill (trailing whitespace, which Anthropic rejects there). */
  readonly heldBack: string;
}

type Message = Record<string, unknown> & { role?: unknown; content?: unknown };

/**
 * Both dialects take `{role: "assistant", content}` as the last message. When
 * the client itself ended with an assistant message (its own prefill), the
 * streamed text extends it instead of adding a second one.
 */
export function withAssistantPrefill(dialect: WireFormat, json: Record<string, unknown>, streamed: string): PrefilledRequest {
  if (dialect === 'responses') return responsesPrefill(json, streamed);
  const messages = Array.isArray(json['messages']) ? [...(json['messages'] as Message[])] : [];
  const last = messages[messages.length - 1];
  let heldBack: string;
  if (last !== undefined && last.role === 'assistant' && typeof last.content === 'string') {
    const joined = last.content + streamed;
    const trimmed = joined.trimEnd();
    heldBack = joined.slice(trimmed.length);
    messages[messages.length - 1] = { ...last, content: trimmed };
  } else {
    const trimmed = streamed.trimEnd();
    heldBack = streamed.slice(trimmed.length);
    if (trimmed !== '') {
      if (last !== undefined && last.role === 'assistant' && Array.isArray(last.content)) {
        messages[messages.length - 1] = { ...last, content: [...(last.content as unknown[]), { type: 'text', text: trimmed }] };
      } else {
        messages.push({ role: 'assistant', content: trimmed });
      }
    }
  }
  return { json: { ...json, messages, stream: true }, heldBack };
}

/**
 * A Responses request continues from an assistant message item at the end of
 * its input; a string input becomes the user message it stands for. The
 * translation to Chat Completions (and on to Messages) makes it the prefill.
 */
function responsesPrefill(json: Record<string, unknown>, streamed: string): PrefilledRequest {
  const trimmed = streamed.trimEnd();
  const heldBack = streamed.slice(trimmed.length);
  const input: unknown[] =
    typeof json['input'] === 'string'
      ? [{ type: 'message', role: 'user', content: json['input'] }]
      : Array.isArray(json['input'])
        ? [...(json['input'] as unknown[])]
        : [];
  if (trimmed !== '') input.push({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: trimmed, annotations: [] }] });
  return { json: { ...json, input, stream: true }, heldBack };
}
