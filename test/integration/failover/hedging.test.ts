// Hedged requests on real loopback mocks: when the hedge starts, who wins, that
// the loser's socket is closed (the mock sees the abort), that the client gets
// one clean answer in its own dialect (the OpenAI SDK reads the stream), the
// budget over a burst, blocks and circuits, and a client that leaves.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { openAIStreamFrames } from '../../support/mockUpstream.js';
import {
  anthropicStream,
  attemptLogs,
  chat,
  chatBody,
  claudeOk,
  eventually,
  insertAfter,
  ok,
  post,
  retryConfig,
  scriptedMock,
  status,
  withGateway,
  withListenerTimeout,
  type ScriptedMock,
} from './support.js';

const IT10 = 'retry_it10_timeout_triggers_retry.yaml';
const ANTHROPIC_429 = { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } };

/** The it10 scenario (gpt-4o, fallback claude, on_timeout different_provider) with `lines` added to the retry_policy. */
function hedgedConfig(primary: ScriptedMock, fallback: ScriptedMock, lines: string): string {
  const yaml = retryConfig(IT10, { PRIMARY: primary, SECONDARY: fallback });
  return withListenerTimeout(insertAfter(yaml, /^ {4}retry_policy:$/m, lines.replace(/^/gm, '      ') + '\n'), '20s');
}

const slowOk = (ms: number, content = 'from the primary'): ReturnType<typeof ok> => ({ ...ok(content), delayMs: ms }) as ReturnType<typeof ok>;

describe('hedged requests', { concurrency: true }, () => {
  it('a whole answer: the hedge starts at the delay on the fallback, wins, and the slow primary is aborted', async () => {
    const primary = await scriptedMock([], slowOk(5000));
    const fallback = await scriptedMock([], claudeOk('from the hedge', 'claude-3-5-sonnet-hedge'));
    await withGateway(hedgedConfig(primary, fallback, 'hedge: { after_ms: 300 }'), [primary, fallback], async (gw) => {
      const r = await chat(gw, {}, { 'x-request-id': 'hedged' });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.headers['x-switchyard-hedged'], '1');
      assert.equal(r.headers['x-switchyard-attempts'], '2');
      assert.equal(r.headers['x-switchyard-model'], 'anthropic/claude-3-5-sonnet');
      // One clean answer: the winner's text, model and usage, translated to the client's dialect.
      const body = r.json() as { model: string; choices: { message: { content: string } }[]; usage: { prompt_tokens: number } };
      assert.equal(body.choices.length, 1);
      assert.equal(body.choices[0]!.message.content, 'from the hedge');
      assert.equal(body.model, 'claude-3-5-sonnet-hedge');
      assert.ok(body.usage.prompt_tokens > 0);
      const startedAfter = fallback.arrivals[0]! - primary.arrivals[0]!;
      assert.ok(startedAfter >= 290 && startedAfter < 2000, `the hedge started ${Math.round(startedAfter)} ms after the primary`);
      assert.ok(r.ms < 3000, `answered in ${Math.round(r.ms)} ms, not after the primary's 5 s`);
      await eventually(() => primary.requests[0]?.aborted === true, "the primary's socket to be closed");
      const logs = attemptLogs(gw, 'hedged');
      assert.deepEqual(logs.map((l) => [l['model'], l['outcome'], l['hedge']]), [
        ['openai/gpt-4o', 'lost_race', undefined],
        ['anthropic/claude-3-5-sonnet', 'success', true],
      ]);
    });
  });

  it('a stream: the first token decides, the loser is aborted before the commit point, and the SDK reads one clean stream', async () => {
    // The primary sends its headers and role chunk at once, then no token for 5 s.
    const primary = await scriptedMock([], { kind: 'sse', frames: openAIStreamFrames(['too ', 'late'], 'gpt-4o'), headersFirst: true, delaysMs: [0, 5000] });
    const fallback = await scriptedMock([], { kind: 'sse', frames: anthropicStream('the hedge streamed this') });
    await withGateway(hedgedConfig(primary, fallback, 'hedge: { after_ms: 300 }'), [primary, fallback], async (gw) => {
      const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'sk-client', maxRetries: 0 });
      const { data: stream, response } = await client.chat.completions
        .create({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hello' }], stream: true })
        .withResponse();
      assert.equal(response.headers.get('x-switchyard-hedged'), '1');
      let text = '';
      let roles = 0;
      const models = new Set<string>();
      for await (const chunk of stream) {
        models.add(chunk.model);
        if (chunk.choices[0]?.delta.role !== undefined) roles++;
        text += chunk.choices[0]?.delta.content ?? '';
      }
      assert.equal(text, 'the hedge streamed this');
      assert.equal(roles, 1, 'one role chunk: nothing of the loser reached the client');
      assert.deepEqual([...models], ['claude-3-5-sonnet']);
      await eventually(() => primary.requests[0]?.aborted === true, "the primary's stream to be closed");
    });
  });

  it('the first attempt may still win: no hedged header, and the hedge is aborted', async () => {
    const primary = await scriptedMock([], slowOk(700, 'primary after all'));
    const fallback = await scriptedMock([], { ...claudeOk(), delayMs: 5000 } as ReturnType<typeof claudeOk>);
    await withGateway(hedgedConfig(primary, fallback, 'hedge: { after_ms: 200 }'), [primary, fallback], async (gw) => {
      const r = await chat(gw);
      assert.equal(r.status, 200, r.text);
      assert.match(r.text, /primary after all/);
      assert.equal(r.headers['x-switchyard-hedged'], undefined);
      assert.equal(r.headers['x-switchyard-attempts'], '2');
      assert.equal(r.headers['x-switchyard-model'], 'openai/gpt-4o');
      await eventually(() => fallback.requests[0]?.aborted === true, "the hedge's socket to be closed");
    });
  });

  it('a fast answer is never hedged and carries no hedged header', async () => {
    const primary = await scriptedMock([], ok('fast'));
    const fallback = await scriptedMock([], claudeOk());
    // A generous delay: an immediate answer must not be hedged even on a busy machine.
    await withGateway(hedgedConfig(primary, fallback, 'hedge: { after_ms: 5000 }'), [primary, fallback], async (gw) => {
      for (let i = 0; i < 3; i++) {
        const r = await chat(gw);
        assert.equal(r.status, 200);
        assert.equal(r.headers['x-switchyard-hedged'], undefined);
        assert.equal(r.headers['x-switchyard-attempts'], '1');
      }
      assert.equal(fallback.requests.length, 0);
    });
  });

  it('the budget caps hedges over a burst: at most 10% of the requests, counted by the mock', async () => {
    const primary = await scriptedMock([], slowOk(1500));
    const fallback = await scriptedMock([], claudeOk('hedge'));
    await withGateway(hedgedConfig(primary, fallback, 'hedge: { after_ms: 400, budget_percent: 10 }'), [primary, fallback], async (gw) => {
      const replies = await Promise.all(Array.from({ length: 40 }, () => chat(gw)));
      assert.ok(replies.every((r) => r.status === 200));
      const hedged = replies.filter((r) => r.headers['x-switchyard-hedged'] === '1').length;
      // 40 requests seen in the window allow 4 hedges; every hedge wins against a 1.5 s primary.
      assert.ok(fallback.requests.length >= 1 && fallback.requests.length <= 4, `the fallback saw ${fallback.requests.length} hedges`);
      assert.equal(hedged, fallback.requests.length);
      assert.equal(primary.requests.length, 40);
    });
  });

  it('no hedge to a blocked fallback: the request waits for the primary as if hedging were off', async () => {
    // The first request: the primary's 429 moves it to claude, whose 429 + Retry-After blocks it for 60 s.
    const primary = await scriptedMock([status(429)], slowOk(800));
    const fallback = await scriptedMock([status(429, ANTHROPIC_429, { 'retry-after': '60' })], claudeOk());
    await withGateway(hedgedConfig(primary, fallback, 'hedge: { after_ms: 200 }'), [primary, fallback], async (gw) => {
      assert.equal((await chat(gw)).status, 429);
      const r = await chat(gw);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.headers['x-switchyard-hedged'], undefined);
      assert.equal(r.headers['x-switchyard-attempts'], '1');
      assert.equal(fallback.requests.length, 1, 'the blocked fallback got no hedge');
    });
  });

  it('no hedge to a fallback whose circuit is open', async () => {
    const primary = await scriptedMock([status(429)], slowOk(800));
    const fallback = await scriptedMock([status(503, ANTHROPIC_429)], claudeOk());
    const lines = 'hedge: { after_ms: 200 }\ncircuit_breaker: { failure_threshold: 1, open_seconds: 30, max_open_seconds: 30 }';
    await withGateway(hedgedConfig(primary, fallback, lines), [primary, fallback], async (gw) => {
      // A 429 is neutral for the primary's circuit; claude's 503 opens its circuit.
      assert.equal((await chat(gw)).status, 503);
      const r = await chat(gw);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.headers['x-switchyard-hedged'], undefined);
      assert.equal(fallback.requests.length, 1, 'the open circuit got no hedge');
    });
  });

  it('a client that leaves cancels both attempts', async () => {
    const primary = await scriptedMock([], slowOk(10_000));
    const fallback = await scriptedMock([], { ...claudeOk(), delayMs: 10_000 } as ReturnType<typeof claudeOk>);
    await withGateway(hedgedConfig(primary, fallback, 'hedge: { after_ms: 200 }'), [primary, fallback], async (gw) => {
      const controller = new AbortController();
      const gone = fetch(`${gw.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: chatBody(),
        signal: controller.signal,
      }).catch(() => 'aborted');
      await eventually(() => fallback.requests.length === 1, 'the hedge to start');
      controller.abort();
      assert.equal(await gone, 'aborted');
      await eventually(() => primary.requests[0]?.aborted === true && fallback.requests[0]?.aborted === true, 'both attempts to be aborted');
      // And the gateway is fine afterwards.
      primary.queue.push(ok('next'));
      const next = await post(gw.url, chatBody());
      assert.equal(next.status, 200);
    });
  });
});
