// A conversation, rebuilt from the gateway's records: every earlier turn's
// input items, then the items its answer produced, in order; then this
// turn's own input. The result is a stateless Responses input that any
// provider can be sent (natively, or translated). Pure.
import type { ResponsesObject, ResponsesRequest } from '../../dialects/index.js';
import type { StoredResponse } from './record.js';

/** This turn's input as items: a string input is the user message it stands for. */
export function inputItems(request: ResponsesRequest): unknown[] {
  const input = request.input;
  if (typeof input === 'string') return [{ type: 'message', role: 'user', content: input }];
  return Array.isArray(input) ? [...input] : [];
}

/**
 * An answer's output items as input for the next turn, as the client received
 * them but for their `id` and `status`: an id tells OpenAI to look the item up
 * in its own storage, which does not hold a turn another provider answered (or
 * any turn sent with store: false). Reasoning items keep theirs: OpenAI pairs
 * encrypted reasoning with its id.
 */
export function outputAsInput(response: ResponsesObject): unknown[] {
  return response.output.map((item) => {
    if (item.type === 'reasoning') return item;
    const { status: _status, id: _id, ...rest } = item as Record<string, unknown>;
    return rest;
  });
}

/** The whole conversation before this turn, as input items. */
export function historyItems(chain: readonly StoredResponse[]): unknown[] {
  const items: unknown[] = [];
  for (const turn of chain) items.push(...turn.input, ...outputAsInput(turn.response));
  return items;
}

/**
 * The request a provider is sent for a turn that names previous_response_id:
 * the history, then this turn's input; previous_response_id itself is the
 * gateway's business and never travels. instructions are this turn's own, as
 * with OpenAI (earlier instructions are not carried over).
 */
export function withHistory(request: ResponsesRequest, chain: readonly StoredResponse[]): ResponsesRequest {
  const { previous_response_id: _id, ...rest } = request;
  return { ...rest, input: [...historyItems(chain), ...inputItems(request)] as ResponsesRequest['input'] };
}
