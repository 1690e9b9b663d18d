// Chat Completions stream → Responses client stream. A Messages (Anthropic)
// stream reaches it through the Chat Completions sequencer (see
// request/fromResponses.ts for why Chat Completions is the pivot).
import type { OpenAIEvent } from '../../openai/events.js';
import type { OpenAIFinishReason } from '../../openai/types.js';
import type { ResponsesEvent } from '../../responses/events.js';
import { newItemId } from '../../responses/ids.js';
import type { ResponsesStreamView } from '../../responses/streamView.js';
import { endOf, toolCallItem, usageFromChat, type ToolCallItem } from '../responsesOutput.js';
import { flatName, type ToolNames } from '../responsesToolNames.js';
import { openAISignals, type OpenAISignal } from './openAISignals.js';

interface OpenCall {
  readonly chatIndex: number;
  readonly outputIndex: number;
  readonly item: ToolCallItem;
  args: string;
}

/**
 * Sequences Responses events from Chat Completions stream events.
 *
 * Guarantees (over the whole client stream, continuations included, because
 * they hold in the view every sequencer of one stream shares):
 * - response.created then response.in_progress come first, exactly once;
 * - sequence_number starts at 0 and increases by one per event;
 * - output indices are dense from 0; every output_item.added is followed by
 *   exactly one output_item.done for the same item id and index, with
 *   content_part.added/done and output_text.done around a message's text;
 * - an output_text.done, content_part.done and output_item.done carry exactly
 *   the text of the deltas before them;
 * - function call arguments arrive as function_call_arguments.delta and end
 *   with function_call_arguments.done; a custom tool's input comes whole, as
 *   one custom_tool_call_input.delta and its .done;
 * - response.completed (or response.incomplete after finish_reason "length"
 *   or "content_filter") is sent at most once, only after the upstream
 *   completed ([DONE], or a finish reason and a clean end), and its output is
 *   every item, done, in order; nothing follows it or response.failed.
 */
export class ResponsesStreamSequencer {
  private calls: OpenCall[] = [];
  private finish: OpenAIFinishReason | undefined;
  private content = false;

  constructor(
    private readonly view: ResponsesStreamView,
    private readonly names: ToolNames,
  ) {}

  push(e: OpenAIEvent): ResponsesEvent[] {
    const out: ResponsesEvent[] = [];
    if (this.view.ended) return out;
    for (const s of openAISignals(e)) this.apply(s, out);
    return out;
  }

  /** The upstream body ended cleanly: a finish reason without [DONE] still completes the answer. */
  end(): ResponsesEvent[] {
    return this.finish === undefined || this.view.ended ? [] : this.complete();
  }

  completed(): boolean {
    return this.view.finalResponse() !== undefined;
  }

  sawContent(): boolean {
    return this.content;
  }

  private apply(s: OpenAISignal, out: ResponsesEvent[]): void {
    switch (s.kind) {
      case 'meta':
        this.view.model = s.model;
        out.push(...this.view.start());
        return;
      case 'text':
        // A refusal travels as text too: Chat Completions streams rarely send one.
        if (s.text === '') return;
        this.content = true;
        out.push(...this.view.start(), ...this.closeCalls());
        if (this.view.openText === undefined) out.push(...this.view.openMessage());
        out.push(this.view.textDelta(s.text));
        return;
      case 'tool-delta':
        this.content = true;
        out.push(...this.view.start());
        this.toolDelta(s, out);
        return;
      case 'finish':
        this.finish = s.reason;
        return;
      case 'usage':
        this.view.usage = usageFromChat(s.usage);
        return;
      case 'done':
        if (!this.view.ended) out.push(...this.view.start(), ...this.complete());
        return;
      case 'error':
        // The emitter stops at an in-band error before it gets here; the relay answers it.
        return;
    }
  }

  private toolDelta(s: Extract<OpenAISignal, { kind: 'tool-delta' }>, out: ResponsesEvent[]): void {
    let call = this.calls.find((c) => c.chatIndex === s.index);
    if (call === undefined) {
      out.push(...this.view.closeMessage('completed'), ...this.closeCalls());
      const item = toolCallItem(this.names, newItemId('fc'), s.id ?? newItemId('fc').replace('fc_', 'call_'), s.name ?? '', '', 'in_progress');
      const outputIndex = this.view.addItem(item);
      call = { chatIndex: s.index, outputIndex, item, args: '' };
      this.calls.push(call);
      out.push(this.view.event({ type: 'response.output_item.added', output_index: outputIndex, item }));
    }
    if (s.args === '') return;
    call.args += s.args;
    if (call.item.type === 'function_call') {
      out.push(this.view.event({ type: 'response.function_call_arguments.delta', item_id: call.item.id, output_index: call.outputIndex, delta: s.args }));
    }
  }

  private closeCalls(): ResponsesEvent[] {
    const out: ResponsesEvent[] = [];
    for (const call of this.calls) {
      const done = toolCallItem(this.names, call.item.id, call.item.call_id, flatName(call.item.name, call.item.namespace), call.args, 'completed');
      const at = { item_id: done.id, output_index: call.outputIndex };
      if (done.type === 'function_call') {
        out.push(this.view.event({ type: 'response.function_call_arguments.done', ...at, arguments: done.arguments }));
      } else {
        out.push(this.view.event({ type: 'response.custom_tool_call_input.delta', ...at, delta: done.input }));
        out.push(this.view.event({ type: 'response.custom_tool_call_input.done', ...at, input: done.input }));
      }
      this.view.setItem(call.outputIndex, done);
      out.push(this.view.event({ type: 'response.output_item.done', output_index: call.outputIndex, item: done }));
    }
    this.calls = [];
    return out;
  }

  private complete(): ResponsesEvent[] {
    const end = endOf(this.finish);
    return [...this.view.closeMessage(end.status === 'completed' ? 'completed' : 'incomplete'), ...this.closeCalls(), ...this.view.finish(end)];
  }
}

