// The commit point and the stream guarantees on /v1/responses: an error after
// response.created but before any content fails over (the Bifrost pitfall), a
// cut after content never ends with response.completed, and a cut stream
// continues on a fallback that accepts a prefill, spliced into one Response.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { startMockUpstream, type MockUpstream } from '../../support/mockUpstream.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { deltasText, responsesEvents, responsesFrames } from '../../support/responsesStreams.js';
import { anthropicFrames, canonicalTokens, continuesFromPrefill, openAIFrames, prefillOf } from '../../support/streamMocks.js';

type Body = Record<string, unknown>;

const TOKENS = canonicalTokens(40);
const CANONICAL = TOKENS.join('');

function yaml(primary: MockUpstream, primaryModel: string, fallback: MockUpstream | undefined, policy: string): string {
  const iface = primaryModel.startsWith('vllm/') ? '    provider_interface: openai\n' : '';
  const fb = fallback === undefined ? '' : `  - model: anthropic/claude-fallback\n    base_url: ${fallback.url}/v1\n    access_key: sk-fallback\n`;
  return `version: v0.4.0
listeners:
  - { type: model, name: t, port: 0, timeout: 10s }
model_providers:
  - model: ${primaryModel}
    base_url: ${primary.url}/v1
    access_key: sk-primary
    default: true
${iface}${policy}${fb}`;
}

async function ask(gw: TestGateway): Promise<{ status: number; events: Body[]; trailers: Record<string, unknown>; headers: Record<string, unknown> }> {
  const res = await request(`${gw.url}/v1/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ input: 'tell me the canonical answer', stream: true }),
  });
  const text = await res.body.text();
  return { status: res.statusCode, events: res.statusCode === 200 ? responsesEvents(text) : [JSON.parse(text) as Body], trailers: res.trailers, headers: res.headers };
}

const typesOf = (events: readonly Body[]): string[] => events.map((e) => String(e.type));

function assertSequenced(events: readonly Body[]): void {
  assert.deepEqual(events.map((e) => e.sequence_number), events.map((_, i) => i));
}

describe('/v1/responses streams and the commit point', () => {
  const started: { close(): Promise<void> }[] = [];
  const track = <T extends { close(): Promise<void> }>(x: T): T => {
    started.push(x);
    return x;
  };
  after(async () => {
    for (const x of started.reverse()) await x.close();
  });

  for (const [label, failure] of [
    ['an error event', { type: 'error', code: 'server_error', message: 'The server had an error', param: null }],
    ['response.failed (insufficient_quota)', { type: 'response.failed', response: { id: 'resp_up', status: 'failed', error: { code: 'insufficient_quota', message: 'You exceeded your current quota' } } }],
  ] as const) {
    it(`${label} after response.created, before any content, fails over`, async () => {
      const created = responsesFrames([], { open: true }).slice(0, 2);
      const primary = track(await startMockUpstream({ kind: 'sse', frames: [...created, `event: ${failure.type}\ndata: ${JSON.stringify({ ...failure, sequence_number: 2 })}\n\n`] }));
      const fallback = track(await startMockUpstream({ kind: 'sse', frames: anthropicFrames(TOKENS.slice(0, 5)) }));
      const gw = track(await startTestGateway(yaml(primary, 'openai/gpt-5', fallback, '    retry_policy:\n      fallback_models: [anthropic/claude-fallback]\n')));
      const r = await ask(gw);
      assert.equal(r.status, 200);
      assert.equal(r.headers['x-switchyard-model'], 'anthropic/claude-fallback');
      assert.equal(r.headers['x-switchyard-attempts'], '2');
      const types = typesOf(r.events);
      assert.equal(types.filter((t) => t === 'response.created').length, 1, 'the failed attempt\'s response.created never reached the client');
      assert.ok(!types.includes('error') && !types.includes('response.failed'));
      assert.equal(types.at(-1), 'response.completed');
      assert.equal(deltasText(r.events), TOKENS.slice(0, 5).join(''));
      assertSequenced(r.events);
      assert.equal(primary.requests.length, 1);
    });
  }

  for (const [way, model, frames] of [
    ['native', 'openai/gpt-5', responsesFrames(TOKENS.slice(0, 10), { open: true })],
    ['Chat Completions', 'vllm/qwen3', openAIFrames(TOKENS.slice(0, 10), { open: true })],
  ] as const) {
    it(`a cut after content (${way}) never produces response.completed: the stream ends with response.failed`, async () => {
      const primary = track(await startMockUpstream({ kind: 'sse', frames: [...frames], end: 'cut' }));
      const gw = track(await startTestGateway(yaml(primary, model, undefined, '')));
      const r = await ask(gw);
      assert.equal(r.status, 200);
      const types = typesOf(r.events);
      assert.ok(!types.includes('response.completed'));
      assert.equal(types.at(-1), 'response.failed');
      assert.equal(types.filter((t) => t === 'response.failed').length, 1);
      const failed = r.events.at(-1)?.response as Body;
      assert.equal(failed.status, 'failed');
      assert.equal((failed.error as Body).code, 'server_error');
      assert.match(String((failed.error as Body).message), /^stream_cut: /);
      assert.equal(deltasText(r.events), TOKENS.slice(0, 10).join(''));
      assertSequenced(r.events);
    });
  }

  it('a cut native stream continues on an Anthropic fallback, spliced into one Response', async () => {
    const primary = track(await startMockUpstream({ kind: 'sse', frames: responsesFrames(TOKENS.slice(0, 25), { open: true }), end: 'cut' }));
    const fallback = track(await startMockUpstream(continuesFromPrefill(CANONICAL, 'anthropic', { model: 'claude-fallback' })));
    const policy = '    retry_policy:\n      fallback_models: [anthropic/claude-fallback]\n      on_timeout: { strategy: different_provider, max_attempts: 2 }\n';
    const gw = track(await startTestGateway(yaml(primary, 'openai/gpt-5', fallback, policy)));
    const r = await ask(gw);
    const types = typesOf(r.events);
    assert.equal(deltasText(r.events), CANONICAL);
    assert.equal(types.filter((t) => t === 'response.created').length, 1);
    assert.equal(types.filter((t) => t === 'response.output_item.added').length, 1, 'the continuation carries on the open message');
    assert.equal(types.filter((t) => t === 'response.output_item.done').length, 1);
    assert.equal(types.at(-1), 'response.completed');
    assertSequenced(r.events);
    const completed = r.events.at(-1)?.response as { output: { content: { text: string }[] }[] };
    assert.equal(completed.output[0]?.content[0]?.text, CANONICAL);
    assert.equal(prefillOf(fallback.requests.at(-1)!), TOKENS.slice(0, 25).join('').trimEnd());
    assert.match(String(r.trailers['x-switchyard-recovery']), /stream_cut; from=openai\/gpt-5; result=continued; to=anthropic\/claude-fallback/);
  });
});
