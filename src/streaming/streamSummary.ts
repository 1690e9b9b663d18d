// What the client has received so far, read back from the client-facing
// events: the text to continue from, and what a splice must line up with.
// Pure; only called when a stream breaks.
import type { WireFormat } from '../dialects/wireFormat.js';
import type { SseEvent } from '../dialects/index.js';

export interface StreamSummary {
  /** Assistant text sent so far (text deltas only; refusals and tool arguments excluded). */
  readonly text: string;
  /** A tool call began: its arguments cannot be continued by prefill. */
  readonly toolCall: boolean;
  /** finish_reason / message_delta was sent: the content is complete. */
  readonly finished: boolean;
  /** The client already received an error event. */
  readonly errored: boolean;
  /** OpenAI clients: the stream's identity, kept by continued chunks. */
  readonly id: string | undefined;
  readonly created: number | undefined;
  /** Anthropic clients: the text block still open, and the next free block index. */
  readonly openTextBlock: number | undefined;
  readonly nextBlockIndex: number;
}

type Json = Record<string, unknown>;

function parse(data: string): Json | undefined {
  try {
    const v = JSON.parse(data) as unknown;
    return v !== null && typeof v === 'object' ? (v as Json) : undefined;
  } catch {
    return undefined;
  }
}

export function summarizeClientStream(dialect: WireFormat, events: readonly SseEvent[]): StreamSummary {
  let text = '';
  let toolCall = false;
  let finished = false;
  let errored = false;
  let id: string | undefined;
  let created: number | undefined;
  let openTextBlock: number | undefined;
  let nextBlockIndex = 0;
  for (const ev of events) {
    if (ev.data === '[DONE]') continue;
    const json = parse(ev.data);
    if (json === undefined) continue;
    if (dialect === 'openai') {
      if (json['error'] !== undefined) {
        errored = true;
        continue;
      }
      if (id === undefined && typeof json['id'] === 'string') id = json['id'];
      if (created === undefined && typeof json['created'] === 'number') created = json['created'];
      const choice = (json['choices'] as Json[] | undefined)?.[0];
      const delta = choice?.['delta'] as Json | undefined;
      if (typeof delta?.['content'] === 'string') text += delta['content'];
      if (Array.isArray(delta?.['tool_calls']) && (delta['tool_calls'] as unknown[]).length > 0) toolCall = true;
      if (typeof choice?.['finish_reason'] === 'string') finished = true;
      continue;
    }
    const index = typeof json['index'] === 'number' ? json['index'] : -1;
    switch (json['type']) {
      case 'content_block_start': {
        const block = json['content_block'] as Json | undefined;
        nextBlockIndex = Math.max(nextBlockIndex, index + 1);
        openTextBlock = block?.['type'] === 'text' ? index : undefined;
        if (block?.['type'] === 'text' && typeof block['text'] === 'string') text += block['text'];
        if (block?.['type'] === 'tool_use') toolCall = true;
        break;
      }
      case 'content_block_delta': {
        const delta = json['delta'] as Json | undefined;
        if (delta?.['type'] === 'text_delta' && typeof delta['text'] === 'string') text += delta['text'];
        if (delta?.['type'] === 'input_json_delta') toolCall = true;
        break;
      }
      case 'content_block_stop':
        if (openTextBlock === index) openTextBlock = undefined;
        break;
      case 'message_delta':
        finished = true;
        break;
      case 'error':
        errored = true;
        break;
    }
  }
  return { text, toolCall, finished, errored, id, created, openTextBlock, nextBlockIndex };
}
