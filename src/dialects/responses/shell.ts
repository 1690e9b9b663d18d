// The Response object around an answer: the gateway's id and timestamps, and
// the request's settings echoed back as the API reference documents them.
import type { ResponsesObject, ResponsesRequest, ResponsesStatus, ResponsesTextFormat, ResponsesUsage } from './types.js';

/** What every Response of one request shares, fixed before any provider is called. */
export interface ResponseFrame {
  /** The gateway's id for this response. */
  readonly id: string;
  /** Seconds since the epoch. */
  readonly createdAt: number;
  readonly request: ResponsesRequest;
}

const TEXT: ResponsesTextFormat = { type: 'text' };

/** A Response with no output yet. `model` is the answering model's, as for the other endpoints. */
export function responseShell(frame: ResponseFrame, model: string, status: ResponsesStatus): ResponsesObject {
  const r = frame.request;
  return {
    id: frame.id,
    object: 'response',
    created_at: frame.createdAt,
    status,
    error: null,
    incomplete_details: null,
    instructions: typeof r.instructions === 'string' ? r.instructions : null,
    max_output_tokens: r.max_output_tokens ?? null,
    model,
    output: [],
    parallel_tool_calls: r.parallel_tool_calls ?? true,
    previous_response_id: r.previous_response_id ?? null,
    reasoning: { effort: r.reasoning?.effort ?? null, summary: r.reasoning?.summary ?? null },
    store: r.store !== false,
    temperature: r.temperature ?? null,
    text: { format: r.text?.format ?? TEXT },
    tool_choice: r.tool_choice ?? 'auto',
    tools: r.tools ?? [],
    top_p: r.top_p ?? null,
    truncation: 'disabled',
    usage: null,
    metadata: r.metadata ?? {},
  };
}

export function responsesUsage(input: number, output: number, cached: number, reasoning: number): ResponsesUsage {
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: cached },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: reasoning },
    total_tokens: input + output,
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * A native answer, made the gateway's: its id, created_at, previous_response_id
 * and store are those the client sees everywhere else; the rest is the provider's.
 */
export function asGatewayResponse(provider: unknown, frame: ResponseFrame): ResponsesObject {
  const r = (isRecord(provider) ? provider : {}) as ResponsesObject;
  return { ...r, id: frame.id, created_at: frame.createdAt, previous_response_id: frame.request.previous_response_id ?? null, store: frame.request.store !== false };
}
