// A complete Anthropic-format answer for mock providers (test/support/mockUpstream.ts
// has the OpenAI one; streams are in test/support/streamMocks.ts).
export function anthropicMessageBody(text: string, model = 'claude-mock'): object {
  return {
    id: 'msg_mock',
    type: 'message',
    role: 'assistant',
    model,
    content: [{ type: 'text', text }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 5, output_tokens: 3 },
  };
}
