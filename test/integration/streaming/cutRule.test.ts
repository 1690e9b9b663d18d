// A cut is one kind of failure on both sides of the commit point: a body whose
// connection breaks is connection_reset, governed by on_timeout, whether the
// answer streams or not and whether the client already has bytes. The policy
// here allows retries only under on_timeout, so any other reading of a cut
// would end the request instead of moving it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startMockUpstream, type MockUpstream } from '../../support/mockUpstream.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { anthropicFrames, canonicalTokens, continuesFromPrefill, openAIFrames, openAIText } from '../../support/streamMocks.js';
import { ask, gatewayYaml } from './helpers.js';

const TOKENS = canonicalTokens(30);
const CANONICAL = TOKENS.join('');
const POLICY = ['default_max_attempts: 0', 'on_timeout:', '  strategy: different_provider', '  max_attempts: 1'];
const ANTHROPIC_ANSWER = {
  id: 'msg_1',
  type: 'message',
  role: 'assistant',
  model: 'claude-fallback',
  content: [{ type: 'text', text: CANONICAL }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 5, output_tokens: 30 },
};

describe('a cut follows on_timeout before and after the commit point', () => {
  let primary: MockUpstream;
  let fallback: MockUpstream;
  let gw: TestGateway;
  before(async () => {
    primary = await startMockUpstream({ kind: 'json', status: 500, body: {} });
    fallback = await startMockUpstream(continuesFromPrefill(CANONICAL, 'anthropic', { model: 'claude-fallback' }));
    gw = await startTestGateway(gatewayYaml({ url: primary.url, format: 'openai' }, [{ url: fallback.url, format: 'anthropic' }], POLICY));
  });
  after(async () => {
    await gw.close();
    await primary.close();
    await fallback.close();
  });

  const attemptLogs = (): Record<string, unknown>[] => gw.logs.filter((l) => l['msg'] === 'upstream attempt');

  it('before the commit point: a stream cut before its first token fails over as connection_reset', async () => {
    primary.queue.push({ kind: 'sse', frames: openAIFrames([], { open: true }), end: 'cut' });
    const seen = attemptLogs().length;
    const reply = await ask(gw, 'openai', { stream: true });
    assert.equal(reply.status, 200);
    assert.equal(openAIText(reply.body), CANONICAL);
    assert.equal(reply.headers['x-switchyard-model'], 'entry1');
    assert.equal(attemptLogs()[seen]?.['outcome'], 'connection_reset');
  });

  it('after the commit point: the same cut continues on the fallback under the same rule', async () => {
    primary.queue.push({ kind: 'sse', frames: openAIFrames(TOKENS.slice(0, 12), { open: true }), end: 'cut' });
    const reply = await ask(gw, 'openai', { stream: true });
    assert.equal(reply.status, 200);
    assert.equal(openAIText(reply.body), CANONICAL);
    assert.match(String(reply.trailers['x-switchyard-recovery']), /stream_cut; from=entry0; result=continued; to=entry1/);
  });

  it('a whole (non-streaming) answer cut mid-body fails over as connection_reset too', async () => {
    primary.queue.push({ kind: 'sse', frames: anthropicFrames(TOKENS, { open: true }), end: 'cut' });
    fallback.queue.push({ kind: 'json', status: 200, body: ANTHROPIC_ANSWER });
    const seen = attemptLogs().length;
    const reply = await ask(gw, 'openai');
    assert.equal(reply.status, 200);
    assert.equal((JSON.parse(reply.body) as { choices: { message: { content: string } }[] }).choices[0]?.message.content, CANONICAL);
    assert.equal(attemptLogs()[seen]?.['outcome'], 'connection_reset');
  });

  it('a stream that ends cleanly before its final event is a truncated answer: the 5xx rule, here no retry', async () => {
    primary.queue.push({ kind: 'sse', frames: openAIFrames([], { open: true }), end: 'clean' });
    const reply = await ask(gw, 'openai', { stream: true });
    assert.equal(reply.status, 502);
    const body = JSON.parse(reply.body) as { error: { type: string; attempts: { error_type: string }[] } };
    assert.equal(body.error.type, 'retry_exhausted');
    assert.deepEqual(body.error.attempts.map((a) => a.error_type), ['invalid_response_truncated']);
  });
});
