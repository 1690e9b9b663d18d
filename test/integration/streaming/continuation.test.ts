// A stream cut mid-answer after the commit point continues on a fallback that
// accepts an assistant prefill, spliced into the same client stream; when no
// fallback can continue, the stream ends with an in-band error, never [DONE].
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startMockUpstream, type MockUpstream } from '../../support/mockUpstream.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { anthropicFrames, anthropicText, canonicalTokens, continuesFromPrefill, openAIFrames, openAIText, prefillOf, sseEvents } from '../../support/streamMocks.js';
import { ask, gatewayYaml } from './helpers.js';

const TOKENS = canonicalTokens(60);
const CANONICAL = TOKENS.join('');
const FIRST_40 = TOKENS.slice(0, 40);
const POLICY = ['on_timeout:', '  strategy: different_provider', '  max_attempts: 2'];

describe('continuation after a mid-stream cut', () => {
  let primary: MockUpstream;
  let fallback: MockUpstream;
  let gw: TestGateway;
  before(async () => {
    primary = await startMockUpstream({ kind: 'sse', frames: openAIFrames(FIRST_40, { open: true }), end: 'cut' });
    fallback = await startMockUpstream(continuesFromPrefill(CANONICAL, 'anthropic', { model: 'claude-fallback' }));
    gw = await startTestGateway(gatewayYaml({ url: primary.url, format: 'openai' }, [{ url: fallback.url, format: 'anthropic' }], POLICY));
  });
  after(async () => {
    await gw.close();
    await primary.close();
    await fallback.close();
  });

  it('OpenAI client: a cut after 40 tokens continues on an Anthropic fallback, text exactly the canonical answer', async () => {
    const reply = await ask(gw, 'openai', { stream: true });
    assert.equal(reply.status, 200);
    assert.equal(openAIText(reply.body), CANONICAL);
    const events = sseEvents(reply.body);
    const chunks = events.filter((e) => e.data !== '[DONE]').map((e) => JSON.parse(e.data) as { id: string; error?: unknown; choices: { delta: { role?: string }; finish_reason: string | null }[] });
    assert.equal(chunks.filter((c) => c.error !== undefined).length, 0);
    assert.equal(chunks.filter((c) => c.choices[0]?.delta.role !== undefined).length, 1, 'exactly one role chunk');
    assert.equal(new Set(chunks.map((c) => c.id)).size, 1, 'one stream id throughout');
    assert.equal(chunks.filter((c) => c.choices[0]?.finish_reason === 'stop').length, 1);
    assert.equal(events.at(-1)?.data, '[DONE]');
    // The fallback was asked to continue from exactly what the client had (less trailing whitespace).
    const asked = fallback.requests.at(-1)!;
    assert.equal(prefillOf(asked), FIRST_40.join('').trimEnd());
    assert.match(String(reply.trailers['x-switchyard-recovery']), /stream_cut; from=entry0; result=continued; to=entry1; attempts=2/);
    const recovery = gw.logs.find((l) => l['msg'] === 'stream recovery');
    assert.equal(recovery?.['recovery'], 'continued');
  });

  it('Anthropic client: one message_start, the open text block carries on, one message_stop', async () => {
    const reply = await ask(gw, 'anthropic', { stream: true });
    assert.equal(reply.status, 200);
    assert.equal(anthropicText(reply.body), CANONICAL);
    const types = sseEvents(reply.body).map((e) => (JSON.parse(e.data) as { type: string }).type);
    assert.equal(types.filter((t) => t === 'message_start').length, 1);
    assert.equal(types.filter((t) => t === 'content_block_start').length, 1);
    assert.equal(types.filter((t) => t === 'content_block_stop').length, 1);
    assert.equal(types.filter((t) => t === 'message_stop').length, 1);
    assert.equal(types.at(-1), 'message_stop');
    assert.ok(!types.includes('error'));
  });
});

describe('continuation that cannot happen', () => {
  it('a fallback that rejects the prefill with a 400: clean in-band error naming the cut, never the 400', async () => {
    const primary = await startMockUpstream({ kind: 'sse', frames: openAIFrames(FIRST_40, { open: true }), end: 'cut' });
    const fallback = await startMockUpstream({
      kind: 'json',
      status: 400,
      body: { error: { message: 'assistant prefill is not supported by this model', type: 'invalid_request_error', param: 'messages', code: 'prefill_unsupported' } },
    });
    // Configured as prefill-capable, wrongly: the 400 must stay internal.
    const gw = await startTestGateway(
      gatewayYaml({ url: primary.url, format: 'openai' }, [{ url: fallback.url, format: 'openai', extra: ['supports_prefill: true'] }], POLICY),
    );
    try {
      const reply = await ask(gw, 'openai', { stream: true });
      assert.equal(reply.status, 200);
      assert.equal(fallback.requests.length, 1, 'the continuation was tried');
      assert.equal(openAIText(reply.body.split('data: {"error"')[0]!), FIRST_40.join(''));
      const last = sseEvents(reply.body).at(-1)!;
      const err = (JSON.parse(last.data) as { error: { message: string; type: string; code: string } }).error;
      assert.equal(err.type, 'upstream_stream_error');
      assert.equal(err.code, 'stream_cut');
      assert.match(err.message, /connection was cut/);
      assert.doesNotMatch(reply.body, /prefill is not supported|invalid_request_error|400/);
      assert.doesNotMatch(reply.body, /\[DONE\]|"finish_reason":"stop"/);
    } finally {
      await gw.close();
      await primary.close();
      await fallback.close();
    }
  });

  it('an Anthropic client whose only fallback does not accept prefill: event: error, no message_stop, fallback never called', async () => {
    const primary = await startMockUpstream({ kind: 'sse', frames: anthropicFrames(FIRST_40, { open: true }), end: 'cut' });
    const fallback = await startMockUpstream({ kind: 'sse', frames: openAIFrames(TOKENS) });
    // OpenAI-format entries do not accept a prefill unless configured to.
    const gw = await startTestGateway(gatewayYaml({ url: primary.url, format: 'anthropic' }, [{ url: fallback.url, format: 'openai' }], POLICY));
    try {
      const reply = await ask(gw, 'anthropic', { stream: true });
      assert.equal(fallback.requests.length, 0);
      const events = sseEvents(reply.body);
      assert.equal(events.at(-1)?.event, 'error');
      assert.match(events.at(-1)!.data, /no-candidate/);
      assert.ok(!events.some((e) => e.event === 'message_stop' || e.event === 'message_delta'));
      assert.equal(anthropicText(reply.body), FIRST_40.join(''));
    } finally {
      await gw.close();
      await primary.close();
      await fallback.close();
    }
  });

  it('a tool call in flight is not continued', async () => {
    const toolChunk = `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":' } }] }, finish_reason: null }] })}\n\n`;
    const primary = await startMockUpstream({ kind: 'sse', frames: [...openAIFrames(['Let me check. '], { open: true }), toolChunk], end: 'cut' });
    const fallback = await startMockUpstream(continuesFromPrefill(CANONICAL, 'anthropic'));
    const gw = await startTestGateway(gatewayYaml({ url: primary.url, format: 'openai' }, [{ url: fallback.url, format: 'anthropic' }], POLICY));
    try {
      const reply = await ask(gw, 'openai', { stream: true });
      assert.equal(fallback.requests.length, 0);
      assert.match(sseEvents(reply.body).at(-1)!.data, /"type":"upstream_stream_error".*|tool-call/);
      assert.match(reply.body, /tool-call/);
      assert.doesNotMatch(reply.body, /\[DONE\]/);
    } finally {
      await gw.close();
      await primary.close();
      await fallback.close();
    }
  });
});
