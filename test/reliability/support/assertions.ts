// Checks shared by the reliability and security tests.
import assert from 'node:assert/strict';
import { request } from 'undici';

export type Dialect = 'openai' | 'anthropic';

export const CHAT_PATH: Readonly<Record<Dialect, string>> = { openai: '/v1/chat/completions', anthropic: '/v1/messages' };

/** A body that is valid for either endpoint. */
export function chatBody(dialect: Dialect, extra: Record<string, unknown> = {}): string {
  const base = { messages: [{ role: 'user', content: 'hi' }], ...(dialect === 'anthropic' ? { max_tokens: 16 } : {}) };
  return JSON.stringify({ ...base, ...extra });
}

/** The error shape each dialect's SDK parses: OpenAI {error:{message,type}}, Anthropic {type:"error",error:{type,message}}. */
export function assertDialectError(json: unknown, dialect: Dialect, context = ''): void {
  assert.ok(json !== null && typeof json === 'object', `${context}: body is not a JSON object`);
  const obj = json as { type?: unknown; error?: { message?: unknown; type?: unknown } };
  assert.equal(typeof obj.error?.message, 'string', `${context}: no error.message`);
  assert.equal(typeof obj.error?.type, 'string', `${context}: no error.type`);
  if (dialect === 'anthropic') assert.equal(obj.type, 'error', `${context}: Anthropic errors have type "error"`);
  else assert.equal(obj.type, undefined, `${context}: OpenAI errors have no top-level type`);
}

export async function assertHealthy(url: string): Promise<void> {
  const res = await request(`${url}/healthz`, { headersTimeout: 5000, bodyTimeout: 5000 });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(await res.body.json(), { status: 'ok' });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it holds or `withinMs` passes (a generous bound, not a timing assertion). */
export async function eventually(check: () => boolean, withinMs = 5000, what = 'condition'): Promise<void> {
  const until = Date.now() + withinMs;
  while (!check()) {
    if (Date.now() > until) assert.fail(`${what} did not hold within ${withinMs} ms`);
    await sleep(20);
  }
}
