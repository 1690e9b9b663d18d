// After a failover the answer's model and usage are those of the model that
// answered, in both dialects, streaming included; failed attempts are never
// reported as the answer's usage.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startMockUpstream } from '../../support/mockUpstream.js';
import { startTestGateway } from '../../support/gateway.js';
import { anthropicFrames, openAIFrames, sseEvents } from '../../support/streamMocks.js';
import { ask, gatewayYaml } from './helpers.js';

const SERVER_ERROR = { kind: 'json', status: 500, body: { error: { message: 'down', type: 'server_error' } } } as const;

describe('accounting after failover', () => {
  it('OpenAI client, Anthropic fallback: model and usage of the fallback in the stream', async () => {
    const primary = await startMockUpstream(SERVER_ERROR);
    const fallback = await startMockUpstream({ kind: 'sse', frames: anthropicFrames(['hello'], { model: 'claude-fallback', usage: { input: 11, output: 7 } }) });
    const gw = await startTestGateway(gatewayYaml({ url: primary.url, format: 'openai' }, [{ url: fallback.url, format: 'anthropic' }], []));
    try {
      const reply = await ask(gw, 'openai', { stream: true, stream_options: { include_usage: true } });
      assert.equal(reply.headers['x-switchyard-model'], 'entry1');
      assert.equal(reply.headers['x-switchyard-attempts'], '2');
      const chunks = sseEvents(reply.body).filter((e) => e.data !== '[DONE]').map((e) => JSON.parse(e.data) as { model: string; usage?: unknown });
      assert.ok(chunks.every((c) => c.model === 'claude-fallback'));
      const usage = chunks.map((c) => c.usage).filter((u) => u != null);
      assert.deepEqual(usage, [{ prompt_tokens: 11, completion_tokens: 7, total_tokens: 18, prompt_tokens_details: { cached_tokens: 0 } }]);
      const failed = gw.logs.find((l) => l['msg'] === 'upstream attempt' && l['attempt'] === 1);
      assert.equal(failed?.['outcome'], 'http_500');
    } finally {
      await gw.close();
      await Promise.all([primary.close(), fallback.close()]);
    }
  });

  it('Anthropic client, OpenAI fallback: the fallback is asked for usage and its counts reach message_delta', async () => {
    const primary = await startMockUpstream(SERVER_ERROR);
    const fallback = await startMockUpstream({ kind: 'sse', frames: openAIFrames(['hi'], { model: 'mistral-fallback', usage: { input: 13, output: 5 } }) });
    const gw = await startTestGateway(gatewayYaml({ url: primary.url, format: 'anthropic' }, [{ url: fallback.url, format: 'openai' }], []));
    try {
      const reply = await ask(gw, 'anthropic', { stream: true });
      const asked = JSON.parse(fallback.requests[0]!.body) as { stream_options?: { include_usage?: boolean } };
      assert.equal(asked.stream_options?.include_usage, true);
      const events = sseEvents(reply.body).map((e) => JSON.parse(e.data) as { type: string; message?: { model: string }; usage?: { input_tokens: number; output_tokens: number } });
      assert.equal(events.find((e) => e.type === 'message_start')?.message?.model, 'mistral-fallback');
      const delta = events.find((e) => e.type === 'message_delta');
      assert.equal(delta?.usage?.output_tokens, 5);
      assert.equal(delta.usage.input_tokens, 13);
    } finally {
      await gw.close();
      await Promise.all([primary.close(), fallback.close()]);
    }
  });

  it('same format: include_usage passes through and the usage chunk is the fallback\'s own', async () => {
    const primary = await startMockUpstream(SERVER_ERROR);
    const fallback = await startMockUpstream({ kind: 'sse', frames: openAIFrames(['x'], { model: 'mistral-large-2', usage: { input: 3, output: 1 } }) });
    const gw = await startTestGateway(gatewayYaml({ url: primary.url, format: 'openai' }, [{ url: fallback.url, format: 'openai' }], []));
    try {
      const reply = await ask(gw, 'openai', { stream: true, stream_options: { include_usage: true } });
      const asked = JSON.parse(fallback.requests[0]!.body) as { stream_options?: { include_usage?: boolean } };
      assert.equal(asked.stream_options?.include_usage, true);
      const last = sseEvents(reply.body).filter((e) => e.data !== '[DONE]').at(-1)!;
      const lastChunk = JSON.parse(last.data) as { usage: unknown; model: string };
      assert.deepEqual(lastChunk.usage, { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 });
      assert.equal(lastChunk.model, 'mistral-large-2');
    } finally {
      await gw.close();
      await Promise.all([primary.close(), fallback.close()]);
    }
  });
});
