// Stream guards: a first token that never comes and a stream that stalls are
// detected by their own timeouts, well before the request deadline.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startMockUpstream } from '../../support/mockUpstream.js';
import { startTestGateway } from '../../support/gateway.js';
import { anthropicFrames, canonicalTokens, continuesFromPrefill, openAIFrames, openAIText, sseEvents } from '../../support/streamMocks.js';
import { ask, gatewayYaml } from './helpers.js';

const TOKENS = canonicalTokens(30);
const CANONICAL = TOKENS.join('');

describe('stream guards', () => {
  it('a stall after the commit point is detected within the idle timeout, and the gateway stays healthy', async () => {
    const primary = await startMockUpstream({ kind: 'sse', frames: openAIFrames(TOKENS.slice(0, 12), { open: true }), end: 'stall' });
    const fallback = await startMockUpstream(continuesFromPrefill(CANONICAL, 'anthropic'));
    const gw = await startTestGateway(
      gatewayYaml({ url: primary.url, format: 'openai' }, [{ url: fallback.url, format: 'anthropic' }], ['idle_timeout_ms: 300'], '30s'),
    );
    try {
      const reply = await ask(gw, 'openai', { stream: true });
      assert.equal(openAIText(reply.body), CANONICAL);
      assert.equal(sseEvents(reply.body).at(-1)?.data, '[DONE]');
      // Generous bound: the 30 s deadline was never what ended the stall.
      assert.ok(reply.ms < 10_000, `took ${reply.ms} ms`);
      assert.equal(primary.requests[0]!.aborted, true, 'the stalled upstream call was released');
      assert.match(String(reply.trailers['x-switchyard-recovery']), /stream_stalled/);
      // Healthy afterwards: the next request streams normally.
      primary.queue.push({ kind: 'sse', frames: openAIFrames(['fine']) });
      const next = await ask(gw, 'openai', { stream: true });
      assert.equal(openAIText(next.body), 'fine');
    } finally {
      await gw.close();
      await primary.close();
      await fallback.close();
    }
  });

  it('without a fallback a stall ends with an in-band error, not a hang', async () => {
    const primary = await startMockUpstream({ kind: 'sse', frames: anthropicFrames(['partial '], { open: true }), end: 'stall' });
    const gw = await startTestGateway(gatewayYaml({ url: primary.url, format: 'anthropic' }, [], ['idle_timeout_ms: 200'], '30s'));
    try {
      const reply = await ask(gw, 'anthropic', { stream: true });
      const last = sseEvents(reply.body).at(-1)!;
      assert.equal(last.event, 'error');
      assert.match(last.data, /no event for 200 ms/);
      assert.ok(reply.ms < 10_000, `took ${reply.ms} ms`);
    } finally {
      await gw.close();
      await primary.close();
    }
  });

  it('headers at once but the first token 20 s later: failed over on the first-token timeout', async () => {
    const frames = openAIFrames(['late'], {});
    // The role-only chunk comes at once: it is not a token.
    const primary = await startMockUpstream({ kind: 'sse', headersFirst: true, frames, delaysMs: [0, 20_000] });
    const fallback = await startMockUpstream({ kind: 'sse', frames: anthropicFrames(['from ', 'the fallback']) });
    const gw = await startTestGateway(
      gatewayYaml({ url: primary.url, format: 'openai' }, [{ url: fallback.url, format: 'anthropic' }], ['first_token_timeout_ms: 400'], '60s'),
    );
    try {
      const reply = await ask(gw, 'openai', { stream: true });
      assert.equal(reply.status, 200);
      assert.equal(openAIText(reply.body), 'from the fallback');
      assert.equal(reply.headers['x-switchyard-model'], 'entry1');
      assert.ok(reply.ms < 10_000, `took ${reply.ms} ms`);
      assert.equal(primary.requests.length, 1);
      assert.equal(primary.requests[0]!.aborted, true);
      const first = gw.logs.find((l) => l['msg'] === 'upstream attempt' && l['attempt'] === 1);
      assert.equal(first?.['outcome'], 'timeout_400ms');
    } finally {
      await gw.close();
      await primary.close();
      await fallback.close();
    }
  });

  it('a silent upstream (no headers at all): the primary is tried once and the fallback answers within the deadline', async () => {
    const primary = await startMockUpstream({ kind: 'hang' });
    const fallback = await startMockUpstream({ kind: 'sse', frames: openAIFrames(['ok'], { model: 'mistral-large' }) });
    const gw = await startTestGateway(
      gatewayYaml({ url: primary.url, format: 'openai' }, [{ url: fallback.url, format: 'openai' }], ['first_token_timeout_ms: 300'], '5s'),
    );
    try {
      const reply = await ask(gw, 'openai', { stream: true });
      assert.equal(reply.status, 200);
      assert.equal(openAIText(reply.body), 'ok');
      assert.equal(primary.requests.length, 1);
      assert.equal(fallback.requests.length, 1);
      assert.ok(reply.ms < 5_000, `took ${reply.ms} ms, past the 5 s deadline`);
    } finally {
      await gw.close();
      await primary.close();
      await fallback.close();
    }
  });

  it('pings and message_start keep nothing alive: no content by the first-token timeout fails over', async () => {
    const startOnly = anthropicFrames([], { open: true }); // message_start, an empty block, a ping
    const primary = await startMockUpstream({ kind: 'sse', frames: [...startOnly, 'event: ping\ndata: {"type":"ping"}\n\n'], intervalMs: 100, end: 'stall' });
    const fallback = await startMockUpstream({ kind: 'sse', frames: openAIFrames(['rescued']) });
    const gw = await startTestGateway(
      gatewayYaml({ url: primary.url, format: 'anthropic' }, [{ url: fallback.url, format: 'openai' }], ['first_token_timeout_ms: 500'], '30s'),
    );
    try {
      const reply = await ask(gw, 'anthropic', { stream: true });
      const types = sseEvents(reply.body).map((e) => e.event);
      assert.equal(types.filter((t) => t === 'message_start').length, 1, 'the held-back message_start never reached the client');
      assert.ok(reply.body.includes('rescued'));
      assert.equal(types.at(-1), 'message_stop');
    } finally {
      await gw.close();
      await primary.close();
      await fallback.close();
    }
  });
});
