// Where a load or probe request goes, and what it carries. Every system gets
// the same body; only origin, path and headers differ.

export interface Target {
  /** scheme://host:port */
  readonly origin: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
}

export type RequestMode = 'json' | 'stream';

export const BENCH_MODEL = 'openai/gpt-4o-mini';

const bodies: Record<RequestMode, string> = {
  json: JSON.stringify({ model: BENCH_MODEL, messages: [{ role: 'user', content: 'Say hello.' }], max_tokens: 32 }),
  stream: JSON.stringify({ model: BENCH_MODEL, messages: [{ role: 'user', content: 'Say hello.' }], max_tokens: 32, stream: true }),
};

export function requestBody(mode: RequestMode): string {
  return bodies[mode];
}

export function requestHeaders(target: Target): Record<string, string> {
  return { 'content-type': 'application/json', authorization: 'Bearer bench-key', ...target.headers };
}
