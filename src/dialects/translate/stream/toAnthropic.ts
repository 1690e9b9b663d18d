// OpenAI upstream stream → Anthropic client stream.
import type { AnthropicResponse, AnthropicStopReason, AnthropicStreamEvent } from '../../anthropic/types.js';
import { anthropicEvent, type AnthropicEvent } from '../../anthropic/events.js';
import type { OpenAIEvent } from '../../openai/events.js';
import type { OpenAIUsage } from '../../openai/types.js';
import { finishReasonToAnthropicStop } from '../stopReason.js';
import { openAIUsageToAnthropic } from '../usage.js';
import { type OpenAISignal, openAISignals } from './openAISignals.js';
import type { StreamTranslator, StreamTranslatorOptions } from './translator.js';

type Phase = 'awaiting-start' | 'streaming' | 'stopped' | 'failed';
type OpenBlock = { kind: 'text'; index: number } | { kind: 'thinking'; index: number } | { kind: 'tool'; index: number; toolIndex: number };

/**
 * Sequences Anthropic stream events from OpenAI chunk signals.
 *
 * Guarantees:
 * - message_start is the first event and is sent exactly once;
 * - content blocks are indexed densely from 0; each is started before its
 *   deltas and stopped exactly once, and at most one block is open at a time;
 * - parallel tool calls: every OpenAI tool_calls index gets its own tool_use
 *   block, in order of first appearance; arguments for a call whose block was
 *   already closed cannot be expressed, so they end the stream with an error
 *   instead of being dropped;
 * - reasoning content becomes a thinking block (unsigned) only with the
 *   thinkingBlocks option, and is left out otherwise; it never counts as content;
 * - message_start carries the estimated input tokens when the caller supplies
 *   an estimate (OpenAI reports usage only at the end), else 0;
 * - message_delta is sent exactly once, right before message_stop, with the
 *   stop_reason and the final usage, the provider's real counts;
 * - message_stop is sent at most once, and only after the upstream completed
 *   ([DONE], or a finish_reason followed by a clean end of body);
 * - nothing follows message_stop or an error; an error is sent at most once.
 */
export class AnthropicStreamSequencer implements StreamTranslator<OpenAIEvent, AnthropicEvent> {
  private phase: Phase = 'awaiting-start';
  private id = 'msg_switchyard';
  private model = '';
  private open: OpenBlock | undefined;
  private nextBlockIndex = 0;
  private readonly toolBlocks = new Map<number, number>();
  private stopReason: AnthropicStopReason | undefined;
  private usage: OpenAIUsage | undefined;
  private content = false;
  /** Events due, handed out by the next push/end/fail. */
  private due: AnthropicEvent[] = [];

  constructor(private readonly opts: Pick<StreamTranslatorOptions, 'inputTokens' | 'thinkingBlocks'> = {}) {}

  push(e: OpenAIEvent): AnthropicEvent[] {
    for (const signal of openAISignals(e)) this.apply(signal);
    return this.drain();
  }

  end(): AnthropicEvent[] {
    // Some OpenAI-compatible servers omit [DONE]; a finish_reason proves completion.
    if (this.phase === 'streaming' && this.stopReason !== undefined) this.closeSuccessfully();
    return this.drain();
  }

  fail(type: string, message: string): AnthropicEvent[] {
    this.failWith(type, message);
    return this.drain();
  }

  completed(): boolean {
    return this.phase === 'stopped';
  }

  sawContent(): boolean {
    return this.content;
  }

  private apply(signal: OpenAISignal): void {
    if (this.phase === 'stopped' || this.phase === 'failed') return;
    switch (signal.kind) {
      case 'meta':
        if (this.phase === 'awaiting-start') {
          this.id = signal.id;
          this.model = signal.model;
        }
        this.ensureStarted();
        return;
      case 'reasoning':
        if (this.opts.thinkingBlocks !== true) return;
        this.ensureStarted();
        this.thinkingDelta(signal.text);
        return;
      case 'text':
        if (signal.refusal) this.stopReason = 'refusal';
        this.ensureStarted();
        this.textDelta(signal.text);
        return;
      case 'tool-delta':
        this.ensureStarted();
        this.toolDelta(signal);
        return;
      case 'finish':
        if (this.stopReason !== 'refusal') this.stopReason = finishReasonToAnthropicStop(signal.reason);
        this.closeBlock();
        return;
      case 'usage':
        this.usage = signal.usage;
        return;
      case 'done':
        this.ensureStarted();
        this.closeSuccessfully();
        return;
      case 'error':
        this.failWith(signal.type, signal.message);
        return;
    }
  }

  private failWith(type: string, message: string): void {
    if (this.phase === 'stopped' || this.phase === 'failed') return;
    this.phase = 'failed';
    this.emit({ type: 'error', error: { type, message } });
  }

  private ensureStarted(): void {
    if (this.phase !== 'awaiting-start') return;
    this.phase = 'streaming';
    const message: AnthropicResponse = {
      id: this.id,
      type: 'message',
      role: 'assistant',
      model: this.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: this.opts.inputTokens?.() ?? 0, output_tokens: 0 },
    };
    this.emit({ type: 'message_start', message });
  }

  private textDelta(text: string): void {
    if (this.open?.kind !== 'text') {
      this.closeBlock();
      const index = this.nextBlockIndex++;
      this.open = { kind: 'text', index };
      this.emit({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
    }
    this.content = true;
    this.emit({ type: 'content_block_delta', index: this.open.index, delta: { type: 'text_delta', text } });
  }

  private thinkingDelta(thinking: string): void {
    if (this.open?.kind !== 'thinking') {
      this.closeBlock();
      const index = this.nextBlockIndex++;
      this.open = { kind: 'thinking', index };
      this.emit({ type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } });
    }
    this.emit({ type: 'content_block_delta', index: this.open.index, delta: { type: 'thinking_delta', thinking } });
  }

  private toolDelta(signal: OpenAISignal & { kind: 'tool-delta' }): void {
    const known = this.toolBlocks.get(signal.index);
    if (known === undefined) {
      this.closeBlock();
      const index = this.nextBlockIndex++;
      this.toolBlocks.set(signal.index, index);
      this.open = { kind: 'tool', index, toolIndex: signal.index };
      const id = signal.id ?? `call_${this.id}_${signal.index}`;
      this.emit({ type: 'content_block_start', index, content_block: { type: 'tool_use', id, name: signal.name ?? '', input: {} } });
      this.content = true;
    } else if (this.open?.kind !== 'tool' || this.open.toolIndex !== signal.index) {
      if (signal.args.length === 0) return;
      this.failWith('api_error', 'upstream interleaved the arguments of parallel tool calls, which Anthropic streams cannot express');
      return;
    }
    if (signal.args.length === 0) return;
    this.emit({ type: 'content_block_delta', index: this.open.index, delta: { type: 'input_json_delta', partial_json: signal.args } });
  }

  private closeBlock(): void {
    if (!this.open) return;
    const index = this.open.index;
    this.open = undefined;
    this.emit({ type: 'content_block_stop', index });
  }

  private closeSuccessfully(): void {
    const usage = this.usage
      ? openAIUsageToAnthropic(this.usage)
      : { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
    this.closeBlock();
    this.emit({ type: 'message_delta', delta: { stop_reason: this.stopReason ?? 'end_turn', stop_sequence: null }, usage });
    this.emit({ type: 'message_stop' });
    this.phase = 'stopped';
  }

  private emit(payload: AnthropicStreamEvent): void {
    this.due.push(anthropicEvent(payload));
  }

  private drain(): AnthropicEvent[] {
    const out = this.due;
    this.due = [];
    return out;
  }
}
