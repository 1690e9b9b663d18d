// Splices a continuation into a client stream that already has a beginning.
// Works on client-dialect event objects, whatever the continuation's upstream
// spoke: the translator's events, or the upstream's own events read once.
// Events in are never changed; rewritten ones are copies.
//
// Guarantees:
// - no second role chunk (OpenAI) and no second message_start (Anthropic);
// - OpenAI chunks keep the original id and created; Anthropic blocks keep
//   counting from the client's next free index, and the continuation's first
//   text block merges into the client's open text block;
// - repeated text at the continuation's start is dropped (OverlapTrimmer);
// - everything else (finish reason, usage, the terminal event) passes through.
import type { WireFormat } from '../dialects/wireFormat.js';
import {
  anthropicEvent,
  blockIndex,
  chunkChoice,
  finishReason,
  isJsonObject,
  partOf,
  type AnthropicEvent,
  type OpenAIChunk,
  type OpenAIChunkDelta,
  type OpenAIEvent,
} from '../dialects/index.js';
import type { OverlapTrimmer } from './overlapTrimmer.js';
import type { StreamSummary } from './streamSummary.js';

const blockStop = (index: number): AnthropicEvent => anthropicEvent({ type: 'content_block_stop', index });

export class SpliceRewriter {
  private readonly blockMap = new Map<number, number>();
  private nextIndex: number;
  /** The client's open text block, until the continuation's first block claims or closes it. */
  private openText: number | undefined;
  /** The client block the trimmer's text belongs to (Anthropic). */
  private trimmedBlock: number | undefined;
  private model: string | undefined;

  constructor(
    /** The client's dialect: the events given are of it (openAI() or anthropic()). */
    readonly client: WireFormat,
    private readonly summary: StreamSummary,
    private readonly trimmer: OverlapTrimmer,
  ) {
    this.nextIndex = summary.nextBlockIndex;
    this.openText = summary.openTextBlock;
  }

  /** One continuation event in, what the client gets for it out. */
  openAI(e: OpenAIEvent): OpenAIEvent[] {
    if (e.kind === 'done') return [...this.flushOpenAI(), e];
    if (e.kind !== 'chunk') return [e];
    const source = e.chunk;
    if (typeof source.model === 'string') this.model = source.model;
    const chunk: OpenAIChunk = { ...source, id: this.summary.id ?? source.id, created: this.summary.created ?? source.created };
    const choice = chunkChoice(source);
    if (choice === undefined || !isJsonObject(choice.delta)) return [...this.flushOpenAI(), { kind: 'chunk', chunk }];
    const finished = finishReason(source) !== undefined;
    const delta: OpenAIChunkDelta = { ...choice.delta };
    delete delta.role;
    let head: OpenAIEvent[] = [];
    if (typeof delta.content === 'string' && delta.content !== '') delta.content = this.trimmer.push(delta.content);
    else if (finished || delta.tool_calls !== undefined) head = this.flushOpenAI();
    if (delta.content === '') delete delta.content;
    if (Object.keys(delta).length === 0 && !finished && source.usage == null) return head;
    chunk.choices = source.choices.map((c) => (c === choice ? { ...choice, delta } : c));
    return [...head, { kind: 'chunk', chunk }];
  }

  private flushOpenAI(): OpenAIEvent[] {
    const rest = this.trimmer.flush();
    if (rest === '') return [];
    // The summary's identity, as the client already has it (JSON leaves out what it lacks).
    const chunk = {
      id: this.summary.id,
      object: 'chat.completion.chunk',
      created: this.summary.created,
      model: this.model ?? '',
      choices: [{ index: 0, delta: { content: rest }, logprobs: null, finish_reason: null }],
    } as OpenAIChunk;
    return [{ kind: 'chunk', chunk }];
  }

  /** One continuation event in, what the client gets for it out. */
  anthropic(e: AnthropicEvent): AnthropicEvent[] {
    if (e.kind === 'opaque') return [e];
    const p = e.payload;
    switch (p.type) {
      case 'message_start':
        return [];
      case 'content_block_start': {
        const index = blockIndex(p);
        const block = partOf(p.content_block);
        if (this.openText !== undefined) {
          const open = this.openText;
          this.openText = undefined;
          if (block?.type === 'text' && this.blockMap.size === 0) {
            // The continuation's first text block carries on the client's open one.
            this.blockMap.set(index, open);
            this.trimmedBlock = open;
            return [];
          }
          return [blockStop(open), anthropicEvent({ ...p, index: this.mapNew(index) })];
        }
        const mapped = this.mapNew(index);
        if (block?.type === 'text' && this.trimmedBlock === undefined) this.trimmedBlock = mapped;
        return [anthropicEvent({ ...p, index: mapped })];
      }
      case 'content_block_delta': {
        const mapped = this.blockMap.get(blockIndex(p)) ?? blockIndex(p);
        const delta = partOf(p.delta);
        if (mapped === this.trimmedBlock && delta?.type === 'text_delta' && typeof delta.text === 'string') {
          const text = this.trimmer.push(delta.text);
          if (text === '') return [];
          return [anthropicEvent({ ...p, index: mapped, delta: { type: 'text_delta', text } })];
        }
        return [anthropicEvent({ ...p, index: mapped })];
      }
      case 'content_block_stop': {
        const mapped = this.blockMap.get(blockIndex(p)) ?? blockIndex(p);
        return [...this.flushAnthropic(mapped), anthropicEvent({ ...p, index: mapped })];
      }
      case 'message_delta':
      case 'message_stop': {
        if (this.openText === undefined) return [e];
        // The continuation sent no content block at all: close the client's.
        const open = this.openText;
        this.openText = undefined;
        return [blockStop(open), e];
      }
      default:
        return [e];
    }
  }

  private flushAnthropic(block: number): AnthropicEvent[] {
    if (block !== this.trimmedBlock) return [];
    const rest = this.trimmer.flush();
    if (rest === '') return [];
    return [anthropicEvent({ type: 'content_block_delta', index: block, delta: { type: 'text_delta', text: rest } })];
  }

  private mapNew(index: number): number {
    const mapped = this.nextIndex++;
    this.blockMap.set(index, mapped);
    return mapped;
  }
}
