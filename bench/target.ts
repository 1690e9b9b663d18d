// Where a load or probe request goes, and what it carries. Every system of one
// API gets the same body; only origin, path and headers differ.

/**
 * The API a system is asked through: Chat Completions, or the Responses API
 * (optionally continuing a stored conversation by previous_response_id).
 */
export type BenchApi =
  | { readonly kind: 'chat' }
  | { readonly kind: 'responses'; readonly model: string; readonly previousResponseId?: string };

export interface Target {
  /** scheme://host:port */
  readonly origin: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly api: BenchApi;
}

export type RequestMode = 'json' | 'stream';

export const BENCH_MODEL = 'openai/gpt-4o-mini';

export const CHAT_API: BenchApi = { kind: 'chat' };

const chatBodies: Record<RequestMode, string> = {
  json: JSON.stringify({ model: BENCH_MODEL, messages: [{ role: 'user', content: 'Say hello.' }], max_tokens: 32 }),
  stream: JSON.stringify({ model: BENCH_MODEL, messages: [{ role: 'user', content: 'Say hello.' }], max_tokens: 32, stream: true }),
};

export function requestBody(api: BenchApi, mode: RequestMode): string {
  if (api.kind === 'chat') return chatBodies[mode];
  const previous = api.previousResponseId === undefined ? {} : { previous_response_id: api.previousResponseId };
  return JSON.stringify({ model: api.model, input: 'Say hello.', max_output_tokens: 32, ...previous, ...(mode === 'stream' ? { stream: true } : {}) });
}

export function requestHeaders(target: Target): Record<string, string> {
  return { 'content-type': 'application/json', authorization: 'Bearer bench-key', ...target.headers };
}
