// Streaming failover (retry_it12): before the first byte reaches the client a
// stream fails over like any request; after it, bytes go straight through and
// a cut is never dressed up as a finished stream.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openAIStreamFrames, type MockStep } from '../../support/mockUpstream.js';
import {
  anthropicStream,
  attemptLogs,
  chat,
  eventually,
  readOpenAIStream,
  retryConfig,
  scriptedMock,
  type ScriptedMock,
  status,
  withGateway,
  withProviderKeys,
} from './support.js';

const IT12 = 'retry_it12_streaming.yaml';
// 'cut' drops the closing events (block stop, message_delta, message_stop) and breaks the connection.
const claudeStream = (text: string, end: 'clean' | 'cut' = 'clean'): MockStep => ({
  kind: 'sse',
  frames: end === 'cut' ? anthropicStream(text).slice(0, -3) : anthropicStream(text),
  end,
});

async function failsOverBeforeFirstByte(
  primaryStep: MockStep,
  expectedOutcome: RegExp,
  patch: (yaml: string) => string = (y) => y,
  andThen: (primary: ScriptedMock) => Promise<void> = async () => {},
): Promise<void> {
  const primary = await scriptedMock([], primaryStep);
  const secondary = await scriptedMock([], claudeStream('Hello there'));
  const yaml = patch(retryConfig(IT12, { PRIMARY: primary, SECONDARY: secondary }));
  await withGateway(yaml, [primary, secondary], async (gw) => {
    const r = await chat(gw, { stream: true }, { 'x-request-id': 'stream' });
    assert.equal(r.status, 200, r.text);
    assert.match(String(r.headers['content-type']), /text\/event-stream/);
    assert.equal(r.headers['x-switchyard-attempts'], '2');
    assert.equal(r.headers['x-switchyard-model'], 'anthropic/claude-3-5-sonnet');
    const s = readOpenAIStream(r.text);
    assert.equal(s.content, 'Hello there', 'only the fallback\'s stream reaches the client');
    assert.deepEqual(s.models, ['claude-3-5-sonnet']);
    assert.equal(s.finish, 'stop');
    assert.equal(s.done, true);
    const outcomes = attemptLogs(gw, 'stream').map((l) => String(l['outcome']));
    assert.equal(outcomes.length, 2);
    assert.match(outcomes[0]!, expectedOutcome);
    assert.equal(outcomes[1], 'success');
    assert.equal(primary.requests.length, 1);
    await andThen(primary);
  });
}

describe('retry_it12_streaming', { concurrency: true }, () => {
  it('fails over on an error status before the first byte', () => failsOverBeforeFirstByte(status(429), /^http_429$/));

  it('fails over on a connection failure before the first byte', () => failsOverBeforeFirstByte({ kind: 'reset' }, /^connection_reset$/));

  it('fails over when the first SSE event is an error', () =>
    failsOverBeforeFirstByte(
      { kind: 'sse', frames: ['data: {"error":{"message":"overloaded","type":"server_error"}}\n\n'], end: 'clean' },
      /^invalid_response_error_body$/,
    ));

  it('fails over when no event arrives within first_byte_timeout_ms, and frees the stalled stream', async () => {
    // Headers and a keep-alive comment arrive at once; the first event never does.
    const stalled: MockStep = { kind: 'sse', frames: [': keep-alive\n\n'], end: 'stall' };
    await failsOverBeforeFirstByte(
      stalled,
      /^timeout_300ms$/,
      (yaml) => withProviderKeys(yaml, 'openai/gpt-4o', 'first_byte_timeout_ms: 300'),
      (primary) => eventually(() => primary.requests[0]?.aborted === true, 'the stalled stream to be closed'),
    );
  });

  it('a same-format stream passes through byte for byte after failover', async () => {
    const frames = openAIStreamFrames(['a', 'b', 'c'], 'gpt-4o-mini');
    const primary = await scriptedMock([], status(503, { error: { message: 'down' } }));
    const sibling = await scriptedMock([], { kind: 'sse', frames });
    const secondary = await scriptedMock([], claudeStream('x'));
    // A same-format fallback listed first: its stream needs no translation.
    const yaml = retryConfig(IT12, { PRIMARY: primary, SECONDARY: secondary })
      .replace('retry_policy:', 'retry_policy:\n      fallback_models: [groq/llama-3.1-8b]')
      .replace('  - model: anthropic/claude-3-5-sonnet', `  - model: groq/llama-3.1-8b\n    base_url: ${sibling.url}\n    access_key: groq-key\n\n  - model: anthropic/claude-3-5-sonnet`);
    await withGateway(yaml, [primary, sibling, secondary], async (gw) => {
      const r = await chat(gw, { stream: true });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.headers['x-switchyard-model'], 'groq/llama-3.1-8b');
      assert.equal(r.text, frames.join(''));
      assert.equal(secondary.requests.length, 0);
    });
  });

  it('after the first byte a cut stream ends with an in-band error: no [DONE], no finish_reason, no second failover', async () => {
    const primary = await scriptedMock([], status(429));
    const secondary = await scriptedMock([], claudeStream('partial answer', 'cut'));
    await withGateway(retryConfig(IT12, { PRIMARY: primary, SECONDARY: secondary }), [primary, secondary], async (gw) => {
      const r = await chat(gw, { stream: true });
      assert.equal(r.status, 200);
      // Issue 7: with no candidate to continue on, the stream ends with an in-band error event.
      assert.match(r.text, /data: \{"error":\{"message":"[^"]*","type":"upstream_stream_error"/);
      assert.equal(readOpenAIStream(r.text.slice(0, r.text.indexOf('data: {"error"'))).content, 'partial answer', 'what was sent before the cut arrives');
      assert.doesNotMatch(r.text, /\[DONE\]/);
      assert.doesNotMatch(r.text, /"finish_reason":"(stop|length)"/);
      await eventually(() => secondary.requests.length === 1, 'the fallback call');
      assert.equal(primary.requests.length, 1, 'nothing is retried once bytes are committed');
    });
  });
});
