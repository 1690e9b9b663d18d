// Request bodies of a given size for the long-prompt rows: a coding agent's
// context, as alternating user/assistant turns of source text (quotes,
// newlines and non-ASCII included, so JSON escapes are exercised).

/** Same-format (OpenAI entry) and translated (an OpenAI client to an Anthropic-format entry). */
export type LongPromptKind = 'same-format' | 'translated';

export const LONG_PROMPT_MODELS: Readonly<Record<LongPromptKind, string>> = {
  'same-format': 'openai/gpt-4o-mini',
  translated: 'anthropic/claude-bench',
};

function turnText(turn: number, bytes: number): string {
  let text = '';
  for (let line = 0; text.length < bytes; line++) {
    text += `export function step${turn}_${line}(input: string): string {\n  return "value \\"${line}\\" → " + input.trim(); // größe ✓\n}\n`;
  }
  return text.slice(0, bytes);
}

/** A JSON chat body of about `sizeBytes` bytes (±1%), asking `model`. */
export function longPromptBody(model: string, sizeBytes: number): Buffer {
  const turnBytes = 4096;
  const messages: { role: string; content: string }[] = [{ role: 'system', content: 'You are a coding assistant. Answer briefly.' }];
  let size = 200;
  for (let turn = 0; size < sizeBytes; turn++) {
    const text = turnText(turn, Math.min(turnBytes, sizeBytes - size));
    messages.push({ role: turn % 2 === 0 ? 'user' : 'assistant', content: text });
    size += Buffer.byteLength(JSON.stringify(text)) + 32;
  }
  if (messages[messages.length - 1]?.role !== 'user') messages.push({ role: 'user', content: 'Summarise the code above.' });
  return Buffer.from(JSON.stringify({ model, messages, max_tokens: 32 }));
}
