// Splices a continuation into a client stream that already has a beginning.
// Works on client-dialect events, whatever the continuation's upstream spoke.
//
// Guarantees:
// - no second role chunk (OpenAI) and no second message_start (Anthropic);
// - OpenAI chunks keep the original id and created; Anthropic blocks keep
//   counting from the client's next free index, and the continuation's first
//   text block merges into the client's open text block;
// - repeated text at the continuation's start is dropped (OverlapTrimmer);
// - everything else (finish reason, usage, the terminal event) passes through.
import type { WireFormat } from '../dialects/wireFormat.js';
import { formatSse, formatSseJson, SseParser, type SseEvent } from '../dialects/index.js';
import type { OverlapTrimmer } from './overlapTrimmer.js';
import type { StreamSummary } from './streamSummary.js';

type Json = Record<string, unknown>;

export class SpliceRewriter {
  private readonly parser = new SseParser();
  private readonly blockMap = new Map<number, number>();
  private nextIndex: number;
  /** The client's open text block, until the continuation's first block claims or closes it. */
  private openText: number | undefined;
  /** The client block the trimmer's text belongs to (Anthropic). */
  private trimmedBlock: number | undefined;
  private model: string | undefined;

  constructor(
    private readonly client: WireFormat,
    private readonly summary: StreamSummary,
    private readonly trimmer: OverlapTrimmer,
  ) {
    this.nextIndex = summary.nextBlockIndex;
    this.openText = summary.openTextBlock;
  }

  /** Whole client-dialect events in (text or bytes), rewritten events out. */
  rewrite(chunk: string | Buffer): string {
    let out = '';
    for (const ev of this.parser.push(chunk)) out += this.client === 'openai' ? this.openAI(ev) : this.anthropic(ev);
    return out;
  }

  private openAI(ev: SseEvent): string {
    if (ev.data === '[DONE]') return this.flushOpenAI() + formatSse(ev.event, ev.data);
    const json = parse(ev.data);
    if (json === undefined || json['error'] !== undefined) return formatSse(ev.event, ev.data);
    if (typeof json['model'] === 'string') this.model = json['model'];
    json['id'] = this.summary.id ?? json['id'];
    json['created'] = this.summary.created ?? json['created'];
    const choice = (json['choices'] as Json[] | undefined)?.[0];
    const delta = choice?.['delta'] as Json | undefined;
    let head = '';
    if (delta !== undefined) {
      delete delta['role'];
      if (typeof delta['content'] === 'string' && delta['content'] !== '') delta['content'] = this.trimmer.push(delta['content']);
      else if (choice?.['finish_reason'] || delta['tool_calls'] !== undefined) head = this.flushOpenAI();
      if (delta['content'] === '') delete delta['content'];
      if (Object.keys(delta).length === 0 && !choice?.['finish_reason'] && json['usage'] == null) return head;
    } else {
      head = this.flushOpenAI();
    }
    return head + formatSseJson(ev.event, json);
  }

  private flushOpenAI(): string {
    const rest = this.trimmer.flush();
    if (rest === '') return '';
    const chunk = {
      id: this.summary.id,
      object: 'chat.completion.chunk',
      created: this.summary.created,
      model: this.model ?? '',
      choices: [{ index: 0, delta: { content: rest }, logprobs: null, finish_reason: null }],
    };
    return formatSseJson(undefined, chunk);
  }

  private anthropic(ev: SseEvent): string {
    const json = parse(ev.data);
    if (json === undefined) return formatSse(ev.event, ev.data);
    const index = typeof json['index'] === 'number' ? json['index'] : -1;
    switch (json['type']) {
      case 'message_start':
        return '';
      case 'content_block_start': {
        const block = json['content_block'] as Json | undefined;
        if (this.openText !== undefined) {
          const open = this.openText;
          this.openText = undefined;
          if (block?.['type'] === 'text' && this.blockMap.size === 0) {
            // The continuation's first text block carries on the client's open one.
            this.blockMap.set(index, open);
            this.trimmedBlock = open;
            return '';
          }
          const mapped = this.mapNew(index);
          json['index'] = mapped;
          return formatSseJson('content_block_stop', { type: 'content_block_stop', index: open }) + formatSseJson(ev.event, json);
        }
        json['index'] = this.mapNew(index);
        if (block?.['type'] === 'text' && this.trimmedBlock === undefined) this.trimmedBlock = json['index'] as number;
        return formatSseJson(ev.event, json);
      }
      case 'content_block_delta': {
        const mapped = this.blockMap.get(index) ?? index;
        json['index'] = mapped;
        const delta = json['delta'] as Json | undefined;
        if (mapped === this.trimmedBlock && delta?.['type'] === 'text_delta' && typeof delta['text'] === 'string') {
          delta['text'] = this.trimmer.push(delta['text']);
          if (delta['text'] === '') return '';
        }
        return formatSseJson(ev.event, json);
      }
      case 'content_block_stop': {
        const mapped = this.blockMap.get(index) ?? index;
        json['index'] = mapped;
        return this.flushAnthropic(mapped) + formatSseJson(ev.event, json);
      }
      case 'message_delta':
      case 'message_stop': {
        let head = '';
        if (this.openText !== undefined) {
          // The continuation sent no content block at all: close the client's.
          head = formatSseJson('content_block_stop', { type: 'content_block_stop', index: this.openText });
          this.openText = undefined;
        }
        return head + formatSseJson(ev.event, json);
      }
      default:
        return formatSse(ev.event, ev.data);
    }
  }

  private flushAnthropic(block: number): string {
    if (block !== this.trimmedBlock) return '';
    const rest = this.trimmer.flush();
    if (rest === '') return '';
    return formatSseJson('content_block_delta', { type: 'content_block_delta', index: block, delta: { type: 'text_delta', text: rest } });
  }

  private mapNew(index: number): number {
    const mapped = this.nextIndex++;
    this.blockMap.set(index, mapped);
    return mapped;
  }
}

function parse(data: string): Json | undefined {
  try {
    const v = JSON.parse(data) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
  } catch {
    return undefined;
  }
}
