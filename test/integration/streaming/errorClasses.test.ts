// Error classes read from provider bodies: context length fails over once and
// never retries the same model; a content filter is the answer and is passed
// on untouched; same_model_retries escalates before failing over.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openAIChatBody, startMockUpstream } from '../../support/mockUpstream.js';
import { startTestGateway } from '../../support/gateway.js';
import { anthropicFrames, openAIText } from '../../support/streamMocks.js';
import { ask, gatewayYaml } from './helpers.js';

const CONTEXT_400 = {
  error: { message: "This model's maximum context length is 8192 tokens.", type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' },
};
const ANTHROPIC_ANSWER = {
  id: 'msg_1',
  type: 'message',
  role: 'assistant',
  model: 'claude-big',
  content: [{ type: 'text', text: 'long answer' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 9000, output_tokens: 2 },
};

describe('error classes', () => {
  it('a 400 context_length_exceeded fails over once and never retries the same model', async () => {
    const primary = await startMockUpstream({ kind: 'json', status: 400, body: CONTEXT_400 });
    const small = await startMockUpstream({ kind: 'json', status: 400, body: CONTEXT_400 });
    const big = await startMockUpstream({ kind: 'json', status: 200, body: ANTHROPIC_ANSWER });
    const gw = await startTestGateway(
      gatewayYaml(
        { url: primary.url, format: 'openai', extra: ['context_window: 8192'] },
        [
          { url: small.url, format: 'openai', extra: ['context_window: 8192'] },
          { url: big.url, format: 'anthropic', extra: ['context_window: 200000'] },
        ],
        // Even with same-model escalation configured for everything else.
        ['default_same_model_retries: 2', 'default_max_attempts: 3'],
      ),
    );
    try {
      const reply = await ask(gw, 'openai');
      assert.equal(reply.status, 200);
      assert.equal((JSON.parse(reply.body) as { model: string }).model, 'claude-big');
      assert.equal(primary.requests.length, 1, 'never retried on the same model');
      assert.equal(small.requests.length, 0, 'the larger context window was preferred');
      assert.equal(big.requests.length, 1);
      assert.equal(reply.headers['x-switchyard-attempts'], '2');
    } finally {
      await gw.close();
      await Promise.all([primary.close(), small.close(), big.close()]);
    }
  });

  it('Anthropic\'s "prompt is too long" is the same class', async () => {
    const primary = await startMockUpstream({
      kind: 'json',
      status: 400,
      body: { type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long: 210000 tokens > 200000 maximum' } },
    });
    const fallback = await startMockUpstream({ kind: 'json', status: 200, body: openAIChatBody('fits', 'gpt-long') });
    const gw = await startTestGateway(gatewayYaml({ url: primary.url, format: 'anthropic' }, [{ url: fallback.url, format: 'openai' }], []));
    try {
      const reply = await ask(gw, 'anthropic');
      assert.equal(reply.status, 200);
      assert.equal(primary.requests.length, 1);
      assert.equal(fallback.requests.length, 1);
    } finally {
      await gw.close();
      await Promise.all([primary.close(), fallback.close()]);
    }
  });

  it('a content-filter 400 is propagated without retry, with the provider\'s reason', async () => {
    const refusal = {
      error: { message: 'Your request was rejected as a result of our safety system.', type: 'invalid_request_error', param: 'prompt', code: 'content_policy_violation' },
    };
    const primary = await startMockUpstream({ kind: 'json', status: 400, body: refusal });
    const fallback = await startMockUpstream({ kind: 'json', status: 200, body: openAIChatBody('routed around') });
    // 400 listed for retries: the content class still wins.
    const gw = await startTestGateway(
      gatewayYaml({ url: primary.url, format: 'openai' }, [{ url: fallback.url, format: 'openai' }], [
        'on_status_codes:',
        '  - codes: [400]',
        '    strategy: different_provider',
        '    max_attempts: 2',
      ]),
    );
    try {
      const reply = await ask(gw, 'openai');
      assert.equal(reply.status, 400);
      assert.deepEqual(JSON.parse(reply.body), refusal);
      assert.equal(primary.requests.length, 1);
      assert.equal(fallback.requests.length, 0);
    } finally {
      await gw.close();
      await Promise.all([primary.close(), fallback.close()]);
    }
  });

  it('a 401 is not retried on the same entry; failing over only when on_errors lists auth', async () => {
    const primary = await startMockUpstream({ kind: 'json', status: 401, body: { error: { message: 'bad key', type: 'authentication_error' } } });
    const fallback = await startMockUpstream({ kind: 'json', status: 200, body: openAIChatBody('other key') });
    const plain = await startTestGateway(
      gatewayYaml({ url: primary.url, format: 'openai' }, [{ url: fallback.url, format: 'openai' }], ['default_same_model_retries: 1']),
    );
    const listed = await startTestGateway(
      gatewayYaml({ url: primary.url, format: 'openai' }, [{ url: fallback.url, format: 'openai' }], [
        'on_errors:',
        '  - match: auth',
        '    strategy: different_provider',
        '    max_attempts: 1',
      ]),
    );
    try {
      assert.equal((await ask(plain, 'openai')).status, 401);
      assert.equal(primary.requests.length, 1);
      assert.equal(fallback.requests.length, 0);
      const reply = await ask(listed, 'openai');
      assert.equal(reply.status, 200);
      assert.equal(primary.requests.length, 2);
      assert.equal(fallback.requests.length, 1);
    } finally {
      await plain.close();
      await listed.close();
      await Promise.all([primary.close(), fallback.close()]);
    }
  });
});

describe('same_model_retries', () => {
  it('a transient 500 is retried once on the same model; a persistent one then fails over', async () => {
    const primary = await startMockUpstream({ kind: 'json', status: 200, body: openAIChatBody('primary again') });
    const fallback = await startMockUpstream({ kind: 'json', status: 200, body: openAIChatBody('fallback') });
    const gw = await startTestGateway(
      gatewayYaml({ url: primary.url, format: 'openai' }, [{ url: fallback.url, format: 'openai' }], [
        'on_status_codes:',
        '  - codes: [500]',
        '    strategy: different_provider',
        '    max_attempts: 1',
        '    same_model_retries: 1',
        'backoff:',
        '  apply_to: global',
        '  base_ms: 10',
        '  max_ms: 20',
      ]),
    );
    try {
      primary.queue.push({ kind: 'json', status: 500, body: { error: { message: 'blip' } } });
      const transient = await ask(gw, 'openai');
      assert.equal(transient.headers['x-switchyard-model'], 'entry0');
      assert.equal(primary.requests.length, 2);
      primary.queue.push({ kind: 'json', status: 500, body: {} }, { kind: 'json', status: 500, body: {} });
      const persistent = await ask(gw, 'openai');
      assert.equal(persistent.headers['x-switchyard-model'], 'entry1');
      assert.equal(persistent.headers['x-switchyard-attempts'], '3');
      assert.equal(primary.requests.length, 4);
    } finally {
      await gw.close();
      await Promise.all([primary.close(), fallback.close()]);
    }
  });

  it('a long Retry-After blocks the model and fails over at once; a short one is waited out', async () => {
    const primary = await startMockUpstream({ kind: 'json', status: 200, body: openAIChatBody('primary') });
    const fallback = await startMockUpstream({ kind: 'sse', frames: anthropicFrames(['fallback']) });
    const gw = await startTestGateway(
      gatewayYaml({ url: primary.url, format: 'openai' }, [{ url: fallback.url, format: 'anthropic' }], [
        'default_same_model_retries: 1',
        'retry_after_handling:',
        '  apply_to: request',
        '  max_wait_seconds: 1',
      ]),
    );
    try {
      primary.queue.push({ kind: 'json', status: 429, headers: { 'retry-after-ms': '50' }, body: {} });
      const short = await ask(gw, 'openai');
      assert.equal(short.headers['x-switchyard-model'], 'entry0');
      assert.equal(primary.requests.length, 2);
      primary.queue.push({ kind: 'json', status: 429, headers: { 'retry-after': '60' }, body: {} });
      const long = await ask(gw, 'openai', { stream: true });
      assert.equal(long.headers['x-switchyard-model'], 'entry1');
      assert.equal(openAIText(long.body), 'fallback');
      assert.equal(primary.requests.length, 3);
    } finally {
      await gw.close();
      await Promise.all([primary.close(), fallback.close()]);
    }
  });
});
