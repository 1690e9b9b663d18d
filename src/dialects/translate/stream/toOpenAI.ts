// Anthropic upstream stream → OpenAI client stream.
import type { AnthropicStopReason, AnthropicUsage } from '../../anthropic/types.js';
import type { AnthropicEvent } from '../../anthropic/events.js';
import { OPENAI_DONE, type OpenAIEvent } from '../../openai/events.js';
import type { OpenAIChunk, OpenAIChunkDelta, OpenAIFinishReason } from '../../openai/types.js';
import { anthropicStopToFinishReason } from '../stopReason.js';
import { anthropicUsageToOpenAI } from '../usage.js';
import { type AnthropicSignal, anthropicSignal } from './anthropicSignals.js';
import type { StreamTranslator, StreamTranslatorOptions } from './translator.js';

type Phase = 'awaiting-start' | 'streaming' | 'finished' | 'done' | 'failed';

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
export class OpenAIChunkSequencer implements StreamTranslator<AnthropicEvent, OpenAIEvent> {
  private phase: Phase = 'awaiting-start';
  private id = 'chatcmpl-switchyard';
  private model = '';
  private readonly created: number;
  private readonly toolIndexByBlock = new Map<number, number>();
  private usage: Partial<AnthropicUsage> = {};
  private content = false;
  /** Events due, handed out by the next push/end/fail. */
  private due: OpenAIEvent[] = [];

  constructor(private readonly opts: StreamTranslatorOptions) {
    this.created = Math.floor((opts.now ?? Date.now)() / 1000);
  }

  push(e: AnthropicEvent): OpenAIEvent[] {
    this.apply(anthropicSignal(e));
    return this.drain();
  }

  end(): OpenAIEvent[] {
    return []; // message_stop already closed the client stream; without it there is nothing honest to add
  }

  fail(type: string, message: string): OpenAIEvent[] {
    this.failWith(type, message);
    return this.drain();
  }

  completed(): boolean {
    return this.phase === 'done';
  }

  sawContent(): boolean {
    return this.content;
  }

  private apply(signal: AnthropicSignal): void {
    if (this.phase === 'done' || this.phase === 'failed') return;
    switch (signal.kind) {
      case 'start':
        if (this.phase !== 'awaiting-start') return;
        this.id = signal.id;
        this.model = signal.model;
        this.usage = { ...signal.usage };
        this.ensureStarted();
        return;
      case 'text':
        if (signal.text.length === 0) return;
        this.contentChunk({ content: signal.text });
        return;
      case 'tool-start': {
        const index = this.toolIndexByBlock.size;
        this.toolIndexByBlock.set(signal.block, index);
        this.contentChunk({
          tool_calls: [{ index, id: signal.id, type: 'function', function: { name: signal.name, arguments: '' } }],
        });
        return;
      }
      case 'tool-args': {
        const index = this.toolIndexByBlock.get(signal.block);
        if (index === undefined || signal.json.length === 0) return;
        this.contentChunk({ tool_calls: [{ index, function: { arguments: signal.json } }] });
        return;
      }
      case 'stop-reason':
        this.usage = mergeUsage(this.usage, signal.usage);
        this.finish(signal.reason);
        return;
      case 'end':
        this.finish(null);
        this.closeSuccessfully();
        return;
      case 'error':
        this.failWith(signal.type, signal.message);
        return;
      case 'nothing':
        return;
    }
  }

  private failWith(type: string, message: string): void {
    if (this.phase === 'done' || this.phase === 'failed') return;
    this.phase = 'failed';
    this.due.push({ kind: 'error', body: { error: { message, type, param: null, code: null } } });
  }

  private ensureStarted(): void {
    if (this.phase !== 'awaiting-start') return;
    this.phase = 'streaming';
    this.chunk({ role: 'assistant', content: '' }, null);
  }

  private contentChunk(delta: OpenAIChunkDelta): void {
    if (this.phase === 'finished') return; // Anthropic sends no content after message_delta
    this.ensureStarted();
    this.content = true;
    this.chunk(delta, null);
  }

  /** Emits the finish_reason chunk once; a later message_delta only refines usage. */
  private finish(reason: AnthropicStopReason | null): void {
    if (this.phase === 'finished') return;
    this.ensureStarted();
    this.phase = 'finished';
    this.chunk({}, anthropicStopToFinishReason(reason));
  }

  private closeSuccessfully(): void {
    this.phase = 'done';
    if (this.opts.includeUsage) {
      const usageChunk: OpenAIChunk = { ...this.base(), choices: [], usage: anthropicUsageToOpenAI(this.usage) };
      this.due.push({ kind: 'chunk', chunk: usageChunk });
    }
    this.due.push(OPENAI_DONE);
  }

  private chunk(delta: OpenAIChunkDelta, finishReason: OpenAIFinishReason | null): void {
    const chunk: OpenAIChunk = { ...this.base(), choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }] };
    if (this.opts.includeUsage) chunk.usage = null;
    this.due.push({ kind: 'chunk', chunk });
  }

  private base(): Omit<OpenAIChunk, 'choices'> {
    return { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model };
  }

  private drain(): OpenAIEvent[] {
    const out = this.due;
    this.due = [];
    return out;
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
