// stream_commit: buffered holds the whole answer until it completed, so every
// cut and stall before the end is a clean failover with a complete answer;
// {buffer_ms} holds the first part of the answer the same way.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startMockUpstream } from '../../support/mockUpstream.js';
import { startTestGateway } from '../../support/gateway.js';
import { anthropicFrames, anthropicText, canonicalTokens, openAIFrames, openAIText, sseEvents } from '../../support/streamMocks.js';
import { ask, gatewayYaml } from './helpers.js';

const TOKENS = canonicalTokens(40);
const CANONICAL = TOKENS.join('');

describe('stream_commit: buffered', () => {
  it('turns a cut and a stall into clean failovers with one complete answer', async () => {
    const primary = await startMockUpstream({ kind: 'sse', frames: openAIFrames(TOKENS.slice(0, 35), { open: true }), end: 'cut' });
    primary.queue.push(
      { kind: 'sse', frames: openAIFrames(TOKENS.slice(0, 35), { open: true }), end: 'cut' },
      { kind: 'sse', frames: openAIFrames(TOKENS.slice(0, 20), { open: true }), end: 'stall' },
    );
    const fallback = await startMockUpstream({ kind: 'sse', frames: anthropicFrames(TOKENS, { model: 'claude-fallback' }) });
    const gw = await startTestGateway(
      gatewayYaml(
        { url: primary.url, format: 'openai' },
        [{ url: fallback.url, format: 'anthropic' }],
        ['stream_commit: buffered', 'idle_timeout_ms: 300', 'default_max_attempts: 1', 'on_timeout:', '  strategy: different_provider', '  max_attempts: 1'],
        '30s',
      ),
    );
    try {
      for (const dialect of ['openai', 'anthropic'] as const) {
        const reply = await ask(gw, dialect, { stream: true });
        assert.equal(reply.status, 200);
        assert.equal(reply.headers['x-switchyard-model'], 'entry1');
        assert.equal(reply.headers['x-switchyard-attempts'], '2');
        if (dialect === 'openai') {
          assert.equal(openAIText(reply.body), CANONICAL);
          assert.equal(sseEvents(reply.body).at(-1)?.data, '[DONE]');
        } else {
          assert.equal(anthropicText(reply.body), CANONICAL);
          assert.equal(sseEvents(reply.body).at(-1)?.event, 'message_stop');
        }
        assert.doesNotMatch(reply.body, /error/);
        assert.equal(reply.trailers['x-switchyard-recovery'], undefined, 'nothing broke after the commit point');
      }
      assert.equal(primary.requests.length, 2);
      assert.equal(fallback.requests.length, 2);
    } finally {
      await gw.close();
      await primary.close();
      await fallback.close();
    }
  });

  it('{buffer_ms}: a cut inside the window fails over cleanly; a slow answer is released after the window', async () => {
    const primary = await startMockUpstream({ kind: 'sse', frames: openAIFrames(TOKENS.slice(0, 5), { open: true }), end: 'cut' });
    const fallback = await startMockUpstream({ kind: 'sse', frames: openAIFrames(['a', 'b', 'c'], { model: 'mistral-large' }), intervalMs: 150 });
    const gw = await startTestGateway(
      gatewayYaml({ url: primary.url, format: 'openai' }, [{ url: fallback.url, format: 'openai' }], ['stream_commit:', '  buffer_ms: 2000'], '30s'),
    );
    try {
      const reply = await ask(gw, 'openai', { stream: true });
      assert.equal(openAIText(reply.body), 'abc');
      assert.equal(sseEvents(reply.body).filter((e) => e.data.includes('"role"')).length, 1);
      assert.equal(reply.headers['x-switchyard-model'], 'entry1');
    } finally {
      await gw.close();
      await primary.close();
      await fallback.close();
    }
  });
});
