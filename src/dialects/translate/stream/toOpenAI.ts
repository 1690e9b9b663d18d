// Anthropic upstream stream → OpenAI client stream.
import type { AnthropicStopReason, AnthropicUsage } from '../../anthropic/types.js';
import type { OpenAIChunk, OpenAIChunkDelta, OpenAIFinishReason } from '../../openai/types.js';
import type { SseEvent } from '../../sse/parser.js';
import { formatSseJson } from '../../sse/format.js';
import { anthropicStopToFinishReason } from '../stopReason.js';
import { anthropicUsageToOpenAI } from '../usage.js';
import { type AnthropicSignal, readAnthropicEvent } from './anthropicSignals.js';
import type { StreamTranslator, StreamTranslatorOptions } from './translator.js';

type Phase = 'awaiting-start' | 'streaming' | 'finished' | 'done' | 'failed';

const DONE = 'data: [DONE]\n\n';

/**
 * Sequences `chat.completion.chunk`s from Anthropic stream signals.
 *
 * Guarantees:
 * - the first chunk carries `role: "assistant"`, and exactly one chunk does;
 *   content arriving before message_start still gets that role chunk first;
 * - every chunk shares one id, `created` and model (the upstream's model);
 * - tool-call indices are dense from 0 in order of tool_use blocks, so parallel
 *   tool calls keep their order; id/type/name go only in a call's first delta;
 * - exactly one chunk carries finish_reason in a completed stream;
 * - with includeUsage, every other chunk has `usage: null` and one usage chunk
 *   with `choices: []` comes right before [DONE];
 * - [DONE] is sent at most once, only after message_stop; nothing follows
 *   [DONE] or an in-band error, and an error is sent at most once.
 */
export class OpenAIChunkSequencer implements StreamTranslator {
  private phase: Phase = 'awaiting-start';
  private id = 'chatcmpl-switchyard';
  private model = '';
  private readonly created: number;
  private readonly toolIndexByBlock = new Map<number, number>();
  private usage: Partial<AnthropicUsage> = {};
  private content = false;

  constructor(private readonly opts: StreamTranslatorOptions) {
    this.created = Math.floor((opts.now ?? Date.now)() / 1000);
  }

  push(ev: SseEvent): string {
    return this.apply(readAnthropicEvent(ev));
  }

  apply(signal: AnthropicSignal): string {
    if (this.phase === 'done' || this.phase === 'failed') return '';
    switch (signal.kind) {
      case 'start':
        if (this.phase !== 'awaiting-start') return '';
        this.id = signal.id;
        this.model = signal.model;
        this.usage = { ...signal.usage };
        return this.ensureStarted();
      case 'text':
        if (signal.text.length === 0) return '';
        return this.contentChunk({ content: signal.text });
      case 'tool-start': {
        const index = this.toolIndexByBlock.size;
        this.toolIndexByBlock.set(signal.block, index);
        return this.contentChunk({
          tool_calls: [{ index, id: signal.id, type: 'function', function: { name: signal.name, arguments: '' } }],
        });
      }
      case 'tool-args': {
        const index = this.toolIndexByBlock.get(signal.block);
        if (index === undefined || signal.json.length === 0) return '';
        return this.contentChunk({ tool_calls: [{ index, function: { arguments: signal.json } }] });
      }
      case 'stop-reason':
        this.usage = mergeUsage(this.usage, signal.usage);
        return this.finish(signal.reason);
      case 'end':
        return this.finish(null) + this.closeSuccessfully();
      case 'error':
        return this.fail(signal.type, signal.message);
      case 'nothing':
        return '';
    }
  }

  end(): string {
    return ''; // message_stop already closed the client stream; without it there is nothing honest to add
  }

  fail(type: string, message: string): string {
    if (this.phase === 'done' || this.phase === 'failed') return '';
    this.phase = 'failed';
    return formatSseJson(undefined, { error: { message, type, param: null, code: null } });
  }

  completed(): boolean {
    return this.phase === 'done';
  }

  sawContent(): boolean {
    return this.content;
  }

  private ensureStarted(): string {
    if (this.phase !== 'awaiting-start') return '';
    this.phase = 'streaming';
    return this.chunk({ role: 'assistant', content: '' }, null);
  }

  private contentChunk(delta: OpenAIChunkDelta): string {
    if (this.phase === 'finished') return ''; // Anthropic sends no content after message_delta
    const head = this.ensureStarted();
    this.content = true;
    return head + this.chunk(delta, null);
  }

  /** Emits the finish_reason chunk once; a later message_delta only refines usage. */
  private finish(reason: AnthropicStopReason | null): string {
    if (this.phase === 'finished') return '';
    const head = this.ensureStarted();
    this.phase = 'finished';
    return head + this.chunk({}, anthropicStopToFinishReason(reason));
  }

  private closeSuccessfully(): string {
    this.phase = 'done';
    if (!this.opts.includeUsage) return DONE;
    const usageChunk: OpenAIChunk = { ...this.base(), choices: [], usage: anthropicUsageToOpenAI(this.usage) };
    return formatSseJson(undefined, usageChunk) + DONE;
  }

  private chunk(delta: OpenAIChunkDelta, finishReason: OpenAIFinishReason | null): string {
    const chunk: OpenAIChunk = { ...this.base(), choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }] };
    if (this.opts.includeUsage) chunk.usage = null;
    return formatSseJson(undefined, chunk);
  }

  private base(): Omit<OpenAIChunk, 'choices'> {
    return { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model };
  }
}

/** message_delta usage is cumulative and may omit fields message_start had. */
function mergeUsage(prev: Partial<AnthropicUsage>, next: Partial<AnthropicUsage>): Partial<AnthropicUsage> {
  const merged: Partial<AnthropicUsage> = { ...prev };
  for (const [key, value] of Object.entries(next) as Array<[keyof AnthropicUsage, number | null | undefined]>) {
    if (typeof value === 'number') merged[key] = value;
  }
  return merged;
}
