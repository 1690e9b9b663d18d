// The mock upstream, the floor proxy, the probe and the correctness check,
// exercised against real loopback servers.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { startMockUpstream, type MockUpstream } from '../../bench/mockUpstream.js';
import { startFloorProxy, type FloorProxy } from '../../bench/floorProxy.js';
import { checkChatCompletion, checkChatStream, checkResponse, checkResponsesStream } from '../../bench/answerCheck.js';
import { checkSystem } from '../../bench/correctness.js';
import { runProbe } from '../../bench/latencyProbe.js';
import { runLoad } from '../../bench/loadDriver.js';
import { BENCH_MODEL, CHAT_API, requestBody, requestHeaders, type RequestMode, type Target } from '../../bench/target.js';

let mock: MockUpstream;
let floor: FloorProxy;
let mockOrigin: string;

before(async () => {
  mock = await startMockUpstream();
  mockOrigin = `http://127.0.0.1:${mock.port}`;
  floor = await startFloorProxy(mockOrigin);
});
after(async () => {
  await floor.close();
  await mock.close();
});

const chat = (origin: string, path = '/v1/chat/completions'): Target => ({ origin, path, headers: {}, api: CHAT_API });
const responses = (origin: string): Target => ({ origin, path: '/v1/responses', headers: {}, api: { kind: 'responses', model: BENCH_MODEL } });

async function ask(target: Target, mode: RequestMode): Promise<{ status: number; type: string; text: string }> {
  const res = await request(`${target.origin}${target.path}`, { method: 'POST', headers: requestHeaders(target), body: requestBody(target.api, mode) });
  return { status: res.statusCode, type: String(res.headers['content-type']), text: await res.body.text() };
}

describe('mock upstream', () => {
  it('answers a chat completion and a 20-chunk stream', async () => {
    const json = await ask(chat(mockOrigin), 'json');
    assert.deepEqual(checkChatCompletion(json.status, json.text), { ok: true });
    const stream = await ask(chat(mockOrigin), 'stream');
    assert.deepEqual(checkChatStream(stream.status, stream.type, stream.text), { ok: true, chunks: 20 });
  });
  it('answers the Responses API: a completed response and its event stream', async () => {
    const json = await ask(responses(mockOrigin), 'json');
    assert.deepEqual(checkResponse(json.status, json.text), { ok: true });
    const stream = await ask(responses(mockOrigin), 'stream');
    assert.deepEqual(checkResponsesStream(stream.status, stream.type, stream.text), { ok: true });
    // The same stream cut before response.completed is refused.
    assert.equal(checkResponsesStream(stream.status, stream.type, stream.text.slice(0, stream.text.lastIndexOf('event: response.completed'))).ok, false);
  });
  it('answers 429 with a JSON error under /fail/ and counts both kinds', async () => {
    const before = mock.stats();
    const res = await ask(chat(mockOrigin, '/fail/v1/chat/completions'), 'json');
    assert.equal(res.status, 429);
    assert.equal((JSON.parse(res.text) as { error: { code: string } }).error.code, 'rate_limit_exceeded');
    assert.deepEqual(mock.stats(), { ok: before.ok, failed: before.failed + 1 });
  });
});

describe('floor proxy', () => {
  it('passes JSON and SSE through unchanged', async () => {
    const direct = await ask(chat(mockOrigin), 'stream');
    const proxied = await ask(chat(`http://127.0.0.1:${floor.port}`), 'stream');
    assert.equal(proxied.status, 200);
    assert.equal(proxied.text, direct.text);
    const json = await ask(chat(`http://127.0.0.1:${floor.port}`), 'json');
    assert.deepEqual(checkChatCompletion(json.status, json.text), { ok: true });
  });
  it('passes upstream errors through with their status', async () => {
    const res = await ask(chat(`http://127.0.0.1:${floor.port}`, '/fail/v1/chat/completions'), 'json');
    assert.equal(res.status, 429);
  });
});

describe('correctness check', () => {
  it('accepts a healthy system in both modes', async () => {
    assert.equal((await checkSystem(chat(mockOrigin), 'json', mockOrigin, false)).ok, true);
    assert.deepEqual(await checkSystem(chat(mockOrigin), 'stream', mockOrigin, false), { ok: true, chunks: 20 });
  });
  it('refuses a "failover" system that never tried the failing primary', async () => {
    const outcome = await checkSystem(chat(mockOrigin), 'json', mockOrigin, true);
    assert.equal(outcome.ok, false);
  });
  it('reports a system that answers with an error', async () => {
    const outcome = await checkSystem(chat(mockOrigin, '/fail/v1/chat/completions'), 'json', mockOrigin, false);
    assert.equal(outcome.ok, false);
  });
});

describe('latency probe', () => {
  it('times every request in microseconds, first chunk no later than the end', async () => {
    const result = await runProbe({ target: chat(mockOrigin), mode: 'stream', warmup: 5, warmupMaxMs: 1000, maxRequests: 50, maxDurationMs: 5000 });
    assert.ok(result.ok);
    assert.equal(result.totalUs.count, 50);
    assert.ok(result.firstChunkUs.p50 > 0 && result.firstChunkUs.p50 <= result.totalUs.p50);
  });
  it('fails on a non-200 answer rather than timing it', async () => {
    const result = await runProbe({ target: chat(mockOrigin, '/fail/v1/chat/completions'), mode: 'json', warmup: 0, warmupMaxMs: 0, maxRequests: 5, maxDurationMs: 1000 });
    assert.equal(result.ok, false);
  });
});

describe('load driver', () => {
  it('counts completed requests and failures', async () => {
    const good = await runLoad({ target: chat(mockOrigin), mode: 'json', connections: 4, durationS: 1 });
    assert.ok(good.completed > 0 && good.requestsPerSec > 0);
    assert.equal(good.failures, 0);
    const bad = await runLoad({ target: chat(mockOrigin, '/fail/v1/chat/completions'), mode: 'json', connections: 2, durationS: 1 });
    assert.ok(bad.failures > 0);
  });
});
