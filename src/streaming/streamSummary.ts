// What the client has received so far, folded from the client-facing events
// in the order the client got them: the text to continue from, and what a
// splice must line up with. Events are read by their dialect's reader, so
// "choice 0", "an error" and "finished" mean here what they mean everywhere.
import {
  blockIndex,
  classifyAnthropicEvent,
  classifyOpenAIEvent,
  chunkDelta,
  readAnthropicEvent,
  classifyResponsesEvent,
  readResponsesEvent,
  partOf,
  readOpenAIEvent,
  toolCallDeltas,
  type AnthropicEvent,
  type OpenAIEvent,
  type ResponsesEvent,
  type SseEvent,
  type WireFormat,
} from '../dialects/index.js';
import type { BuiltOutput } from './clientOutput.js';

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

export class StreamSummaryBuilder {
  private text = '';
  private toolCall = false;
  private finished = false;
  private errored = false;
  private id: string | undefined;
  private created: number | undefined;
  private openTextBlock: number | undefined;
  private nextBlockIndex = 0;

  /** An event as SSE text: read once by its dialect's reader. */
  addSse(dialect: WireFormat, ev: SseEvent): void {
    if (dialect === 'openai') this.addOpenAI(readOpenAIEvent(ev));
    else if (dialect === 'anthropic') this.addAnthropic(readAnthropicEvent(ev));
    else this.addResponses(readResponsesEvent(ev));
  }

  /** Events the gateway built: read as they are. */
  addBuilt(out: BuiltOutput): void {
    if (out.dialect === 'openai') for (const e of out.events) this.addOpenAI(e);
    else if (out.dialect === 'anthropic') for (const e of out.events) this.addAnthropic(e);
    else for (const e of out.events) this.addResponses(e);
  }

  addOpenAI(e: OpenAIEvent): void {
    const cls = classifyOpenAIEvent(e);
    if (cls === 'error') this.errored = true;
    if (e.kind !== 'chunk' || cls === 'error') return;
    const chunk = e.chunk;
    if (this.id === undefined && typeof chunk.id === 'string') this.id = chunk.id;
    if (this.created === undefined && typeof chunk.created === 'number') this.created = chunk.created;
    const delta = chunkDelta(chunk);
    if (typeof delta?.content === 'string') this.text += delta.content;
    if (toolCallDeltas(delta).length > 0) this.toolCall = true;
    if (cls === 'finish') this.finished = true;
  }

  addAnthropic(e: AnthropicEvent): void {
    const cls = classifyAnthropicEvent(e);
    if (cls === 'error') this.errored = true;
    else if (cls === 'finish') this.finished = true;
    if (e.kind === 'opaque') return;
    const p = e.payload;
    switch (p.type) {
      case 'content_block_start': {
        const index = blockIndex(p);
        const block = partOf(p.content_block);
        this.nextBlockIndex = Math.max(this.nextBlockIndex, index + 1);
        this.openTextBlock = block?.type === 'text' ? index : undefined;
        if (block?.type === 'text' && typeof block.text === 'string') this.text += block.text;
        if (block?.type === 'tool_use') this.toolCall = true;
        return;
      }
      case 'content_block_delta': {
        const delta = partOf(p.delta);
        if (delta?.type === 'text_delta' && typeof delta.text === 'string') this.text += delta.text;
        if (delta?.type === 'input_json_delta') this.toolCall = true;
        return;
      }
      case 'content_block_stop': {
        if (this.openTextBlock === blockIndex(p)) this.openTextBlock = undefined;
        return;
      }
    }
  }

  /** A Responses client: text deltas of message items, tool call items, and the response's end. */
  addResponses(e: ResponsesEvent): void {
    const cls = classifyResponsesEvent(e);
    if (cls === 'error') this.errored = true;
    else if (cls === 'terminal') this.finished = true;
    if (e.kind === 'opaque') return;
    const p = e.payload;
    if (p.type === 'response.output_text.delta' && typeof p['delta'] === 'string') this.text += p['delta'];
    if (p.type === 'response.output_item.added') {
      const type = partOf(p['item'])?.type;
      if (type === 'function_call' || type === 'custom_tool_call') this.toolCall = true;
    }
  }

  /** An independent builder in the same state. */
  copy(): StreamSummaryBuilder {
    return Object.assign(new StreamSummaryBuilder(), this);
  }

  result(): StreamSummary {
    const { text, toolCall, finished, errored, id, created, openTextBlock, nextBlockIndex } = this;
    return { text, toolCall, finished, errored, id, created, openTextBlock, nextBlockIndex };
  }
}

export function summarizeClientStream(dialect: WireFormat, events: readonly SseEvent[]): StreamSummary {
  const summary = new StreamSummaryBuilder();
  for (const ev of events) summary.addSse(dialect, ev);
  return summary.result();
}
