// A native Responses stream (an `openai` or `supports_responses` entry) on its
// way to a Responses client: every event as the provider sent it, except that
// - the response is the gateway's: its id, previous_response_id and store are
//   the ones the client sees everywhere else (retrieval, the next turn);
// - sequence numbers come from the client stream's view, so they stay strictly
//   increasing if the stream is later continued elsewhere;
// - the view follows the items and the open text, so a break can be read back
//   and the completed Response stored.
import type { ResponsesEvent, ResponsesPayload } from './events.js';
import type { ResponsesStreamView } from './streamView.js';
import type { ResponsesObject } from './types.js';
import { asGatewayResponse } from './shell.js';

const RESPONSE_EVENTS = new Set(['response.created', 'response.in_progress', 'response.queued', 'response.completed', 'response.incomplete']);

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export class NativeResponsesRelay {
  /** Items the client held before this stream: this stream's output indices come after them. */
  private readonly offset: number;

  constructor(private readonly view: ResponsesStreamView) {
    this.offset = view.items.length;
  }

  push(e: ResponsesEvent): ResponsesEvent[] {
    if (e.kind === 'opaque') return [e];
    const p: ResponsesPayload = { ...e.payload };
    const index = typeof p['output_index'] === 'number' ? p['output_index'] + this.offset : undefined;
    if (index !== undefined) p['output_index'] = index;
    if (RESPONSE_EVENTS.has(p.type)) {
      const response = asGatewayResponse(p['response'], this.view.frame);
      p['response'] = response;
      if (typeof response.model === 'string') this.view.model = response.model;
      this.view.started();
      if (p.type === 'response.completed' || p.type === 'response.incomplete') this.view.finishedWith(response);
    } else if (p.type === 'response.output_item.added' && isRecord(p['item'])) {
      this.view.addItem(p['item'] as ResponsesObject['output'][number]);
    } else if (p.type === 'response.output_item.done' && index !== undefined && isRecord(p['item'])) {
      this.view.noteItemDone(index, p['item'] as ResponsesObject['output'][number]);
    } else if (p.type === 'response.output_text.delta' && index !== undefined && typeof p['delta'] === 'string') {
      this.view.noteText(String(p['item_id']), index, typeof p['content_index'] === 'number' ? p['content_index'] : 0, p['delta']);
    }
    const { sequence_number: _upstream, ...rest } = p;
    return [this.view.event(rest)];
  }
}
