// The Response as a Responses client has received it so far, and the one
// place its events get their sequence numbers. The sequencer (translated
// answers) and the native relay both write through a view, and a view lives
// as long as the client's stream: a continuation after a break carries on the
// same numbering, the same output indices and the same open message.
import type { ResponsesEvent, ResponsesPayload } from './events.js';
import { newItemId } from './ids.js';
import { responseShell, type ResponseFrame } from './shell.js';
import type { ResponsesObject, ResponsesOtherItem, ResponsesOutputItem, ResponsesUsage } from './types.js';

type Item = ResponsesOutputItem | ResponsesOtherItem;

/** The message item whose text part is still open. */
interface OpenText {
  readonly itemId: string;
  readonly outputIndex: number;
  readonly contentIndex: number;
  text: string;
}

export type ViewPhase = 'fresh' | 'streaming' | 'completed' | 'incomplete' | 'failed';

export class ResponsesStreamView {
  private seq = 0;
  private phaseNow: ViewPhase = 'fresh';
  /** Output items by output_index, as last sent (added, then replaced when done). */
  readonly items: Item[] = [];
  private text: OpenText | undefined;
  private modelNow = '';
  private usageNow: ResponsesUsage | null = null;
  private final: ResponsesObject | undefined;

  constructor(readonly frame: ResponseFrame) {}

  get phase(): ViewPhase {
    return this.phaseNow;
  }

  /** Whether the client holds a terminal event: nothing may follow it. */
  get ended(): boolean {
    return this.phaseNow !== 'fresh' && this.phaseNow !== 'streaming';
  }

  set model(model: string) {
    if (model !== '') this.modelNow = model;
  }

  set usage(usage: ResponsesUsage) {
    this.usageNow = usage;
  }

  /** The payload with the next sequence number: the only way an event gets one. */
  event(payload: ResponsesPayload): ResponsesEvent {
    return { kind: 'event', payload: { ...payload, sequence_number: this.seq++ } };
  }

  /** response.created and response.in_progress, once per client stream. */
  start(): ResponsesEvent[] {
    if (this.phaseNow !== 'fresh') return [];
    this.phaseNow = 'streaming';
    const response = this.snapshot('in_progress');
    return [this.event({ type: 'response.created', response }), this.event({ type: 'response.in_progress', response })];
  }

  /** Marks the stream started without events (the native relay forwards the provider's own). */
  started(): void {
    if (this.phaseNow === 'fresh') this.phaseNow = 'streaming';
  }

  addItem(item: Item): number {
    this.items.push(item);
    return this.items.length - 1;
  }

  setItem(index: number, item: Item): void {
    this.items[index] = item;
  }

  get openText(): Readonly<OpenText> | undefined {
    return this.text;
  }

  /** Opens a message item with an empty output_text part; returns its events. */
  openMessage(): ResponsesEvent[] {
    const itemId = newItemId('msg');
    const outputIndex = this.addItem({ type: 'message', id: itemId, role: 'assistant', status: 'in_progress', content: [] });
    this.text = { itemId, outputIndex, contentIndex: 0, text: '' };
    const part = { type: 'output_text', text: '', annotations: [], logprobs: [] };
    return [
      this.event({ type: 'response.output_item.added', output_index: outputIndex, item: this.items[outputIndex] }),
      this.event({ type: 'response.content_part.added', item_id: itemId, output_index: outputIndex, content_index: 0, part }),
    ];
  }

  /** Records text the client got for the open message (the native relay calls it too). */
  noteText(itemId: string, outputIndex: number, contentIndex: number, delta: string): void {
    if (this.text?.itemId !== itemId) this.text = { itemId, outputIndex, contentIndex, text: '' };
    this.text.text += delta;
  }

  /** An item the client got as done (the native relay): its text, if it was open, is closed with it. */
  noteItemDone(index: number, item: Item): void {
    this.setItem(index, item);
    if (this.text?.outputIndex === index) this.text = undefined;
  }

  textDelta(delta: string): ResponsesEvent {
    const t = this.text;
    if (t === undefined) throw new Error('textDelta without an open message');
    t.text += delta;
    return this.event({ type: 'response.output_text.delta', item_id: t.itemId, output_index: t.outputIndex, content_index: t.contentIndex, delta, logprobs: [] });
  }

  /** Closes the open message: text done, part done, item done. */
  closeMessage(status: 'completed' | 'incomplete'): ResponsesEvent[] {
    const t = this.text;
    if (t === undefined) return [];
    this.text = undefined;
    const part = { type: 'output_text' as const, text: t.text, annotations: [], logprobs: [] };
    const item: ResponsesOutputItem = { type: 'message', id: t.itemId, role: 'assistant', status, content: [part] };
    this.setItem(t.outputIndex, item);
    const at = { item_id: t.itemId, output_index: t.outputIndex, content_index: t.contentIndex };
    return [
      this.event({ type: 'response.output_text.done', ...at, text: t.text, logprobs: [] }),
      this.event({ type: 'response.content_part.done', ...at, part }),
      this.event({ type: 'response.output_item.done', output_index: t.outputIndex, item }),
    ];
  }

  /** The Response as the client holds it now. */
  snapshot(status: ResponsesObject['status']): ResponsesObject {
    const r = responseShell(this.frame, this.modelNow, status);
    r.output = [...this.items];
    r.usage = this.usageNow;
    return r;
  }

  /** The terminal event: response.completed or response.incomplete, at most once. */
  finish(end: Pick<ResponsesObject, 'status' | 'incomplete_details'>): ResponsesEvent[] {
    if (this.ended) return [];
    const response = this.snapshot(end.status);
    response.incomplete_details = end.incomplete_details;
    this.final = response;
    this.phaseNow = end.status === 'incomplete' ? 'incomplete' : 'completed';
    return [this.event({ type: end.status === 'incomplete' ? 'response.incomplete' : 'response.completed', response })];
  }

  /** A provider's own terminal response, relayed: the view keeps it (with the gateway's id). */
  finishedWith(response: ResponsesObject): void {
    this.final = response;
    this.phaseNow = response.status === 'incomplete' ? 'incomplete' : 'completed';
  }

  /** response.failed, in place of any terminal event: the stream broke. At most once. */
  fail(code: string, message: string): ResponsesEvent[] {
    if (this.ended) return [];
    const pending = [...this.start(), ...this.closeMessage('incomplete')];
    const response = this.snapshot('failed');
    response.error = { code, message };
    this.phaseNow = 'failed';
    return [...pending, this.event({ type: 'response.failed', response })];
  }

  /** The Response the client ended with, once it completed (undefined if it failed or is still going). */
  finalResponse(): ResponsesObject | undefined {
    return this.phaseNow === 'completed' || this.phaseNow === 'incomplete' ? this.final : undefined;
  }
}
