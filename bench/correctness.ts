// Sends one request of each mode to a system and validates the answers, and
// for failover systems proves via the mock's counters that the failing
// primary was really tried first.
import { request } from 'undici';
import { checkChatCompletion, checkChatStream, checkResponse, checkResponsesStream, type CheckOutcome } from './answerCheck.js';
import { requestBody, requestHeaders, type RequestMode, type Target } from './target.js';

export interface MockCounters {
  readonly ok: number;
  readonly failed: number;
}

export async function readMockCounters(mockOrigin: string): Promise<MockCounters> {
  const { body } = await request(`${mockOrigin}/__stats`);
  return (await body.json()) as MockCounters;
}

async function askOnce(target: Target, mode: RequestMode): Promise<CheckOutcome> {
  try {
    const res = await request(`${target.origin}${target.path}`, {
      method: 'POST',
      headers: requestHeaders(target),
      body: requestBody(target.api, mode),
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    const text = await res.body.text();
    const contentType = String(res.headers['content-type'] ?? '');
    if (target.api.kind === 'responses') return mode === 'json' ? checkResponse(res.statusCode, text) : checkResponsesStream(res.statusCode, contentType, text);
    return mode === 'json' ? checkChatCompletion(res.statusCode, text) : checkChatStream(res.statusCode, contentType, text);
  } catch (err) {
    return { ok: false, reason: `request failed: ${String(err)}` };
  }
}

export async function checkSystem(target: Target, mode: RequestMode, mockOrigin: string, failsOver: boolean): Promise<CheckOutcome> {
  const before = await readMockCounters(mockOrigin);
  const outcome = await askOnce(target, mode);
  if (!outcome.ok) return outcome;
  const after = await readMockCounters(mockOrigin);
  const primaryFailures = after.failed - before.failed;
  if (failsOver && primaryFailures < 1) return { ok: false, reason: 'answered, but never tried the failing primary (no failover happened)' };
  if (!failsOver && primaryFailures !== 0) return { ok: false, reason: `hit the failing path ${primaryFailures} times without being configured to` };
  if (after.ok - before.ok !== 1) return { ok: false, reason: `expected 1 healthy upstream call, saw ${after.ok - before.ok}` };
  return outcome;
}
