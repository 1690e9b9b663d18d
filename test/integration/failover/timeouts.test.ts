// Connection failures and timeouts (retry_it10): each counts as the timeout
// trigger, an aborted attempt releases its socket, and the listener timeout
// bounds the whole request.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startMockUpstream } from '../../support/mockUpstream.js';
import {
  attemptLogs,
  chat,
  claudeOk,
  eventually,
  exhaustedOf,
  ok,
  retryConfig,
  scriptedMock,
  stalledListener,
  status,
  withGateway,
  withListenerTimeout,
  withProviderKeys,
} from './support.js';

const IT10 = 'retry_it10_timeout_triggers_retry.yaml';

describe('retry_it10_timeout_triggers_retry', { concurrency: true }, () => {
  it('a first-byte timeout aborts the attempt, frees its socket and fails over within the listener deadline', async () => {
    const primary = await scriptedMock([], { kind: 'hang' });
    const secondary = await scriptedMock([], claudeOk());
    let yaml = retryConfig(IT10, { PRIMARY: primary, SECONDARY: secondary });
    yaml = withListenerTimeout(withProviderKeys(yaml, 'openai/gpt-4o', 'first_byte_timeout_ms: 300'), '5s');
    await withGateway(yaml, [primary, secondary], async (gw) => {
      const r = await chat(gw, {}, { 'x-request-id': 'fbt' });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.headers['x-switchyard-model'], 'anthropic/claude-3-5-sonnet');
      assert.deepEqual(
        attemptLogs(gw, 'fbt').map((l) => l['outcome']),
        ['timeout_300ms', 'success'],
      );
      await eventually(() => primary.requests[0]?.aborted === true, 'the primary to see its request aborted');
    });
  });

  it('no attempt starts after the listener deadline: with the deadline split off, the request ends with 504 at the deadline', async () => {
    const primary = await scriptedMock([], { kind: 'hang' });
    const secondary = await scriptedMock([], claudeOk());
    // No per-attempt timeout below the deadline and no split: the listener timeout ends the attempt.
    const yaml = withListenerTimeout(retryConfig(IT10, { PRIMARY: primary, SECONDARY: secondary }), '1s').replace(
      /^( +)(fallback_models:.*)$/m,
      '$1$2\n$1deadline_reserve_percent: 0',
    );
    assert.match(yaml, /deadline_reserve_percent: 0/);
    await withGateway(yaml, [primary, secondary], async (gw) => {
      const r = await chat(gw, {}, { 'x-request-id': 'deadline' });
      assert.equal(r.status, 504, r.text);
      assert.equal(r.headers['x-request-id'], 'deadline');
      const e = exhaustedOf(r);
      assert.equal(e.total_attempts, 1);
      assert.match(e.attempts[0]!.error_type, /^timeout_\d+ms$/);
      assert.equal(secondary.requests.length, 0, 'nothing is tried once the deadline has passed');
      // Generous: the point is that it ends near 1 s, not after the default 120 s first-byte timeout.
      assert.ok(r.ms < 6000, `took ${r.ms} ms`);
      await eventually(() => primary.requests[0]?.aborted === true, 'the primary to see its request aborted');
    });
  });

  it('the deadline split: a silent primary is cut at half the deadline and the fallback answers; when it is silent too, 504 at the deadline', async () => {
    const primary = await scriptedMock([], { kind: 'hang' });
    const secondary = await scriptedMock([{ kind: 'hang' }], claudeOk());
    const yaml = withListenerTimeout(retryConfig(IT10, { PRIMARY: primary, SECONDARY: secondary }), '2s');
    await withGateway(yaml, [primary, secondary], async (gw) => {
      // The fallback hangs on the first request: it is the last candidate, so it may use all that remains.
      const both = await chat(gw, {}, { 'x-request-id': 'both-silent' });
      assert.equal(both.status, 504, both.text);
      const e = exhaustedOf(both);
      assert.deepEqual(e.attempts.map((a) => [a.model, a.rule]), [['openai/gpt-4o', 'on_timeout'], ['anthropic/claude-3-5-sonnet', 'on_timeout']]);
      // Half of about 2 s for the primary (a few ms went before it started), the rest for the fallback.
      const [cut, last] = e.attempts.map((a) => Number(/^timeout_(\d+)ms$/.exec(a.error_type)?.[1]));
      assert.ok(cut! > 900 && cut! <= 1000, `the primary's split limit was ${cut} ms`);
      assert.ok(last! > 800 && last! <= 1100, `the fallback ran ${last} ms, to the deadline`);
      const logged = attemptLogs(gw, 'both-silent')[0]!;
      assert.equal(logged['limit'], 'deadline-split');
      assert.equal(logged['rule'], 'on_timeout');

      const r = await chat(gw, {}, { 'x-request-id': 'split' });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.headers['x-switchyard-model'], 'anthropic/claude-3-5-sonnet');
      assert.ok(r.ms < 1900, `took ${r.ms} ms`);
      await eventually(() => primary.requests.every((q) => q.aborted), 'the primary to see both its requests aborted');
    });
  });

  it('two timeouts in a row exhaust with 504 and list both attempts', async () => {
    const primary = await scriptedMock([], { kind: 'hang' });
    const secondary = await scriptedMock([], { kind: 'hang' });
    let yaml = retryConfig(IT10, { PRIMARY: primary, SECONDARY: secondary });
    yaml = withProviderKeys(yaml, 'openai/gpt-4o', 'first_byte_timeout_ms: 200');
    yaml = withListenerTimeout(withProviderKeys(yaml, 'anthropic/claude-3-5-sonnet', 'first_byte_timeout_ms: 250'), '5s');
    await withGateway(yaml, [primary, secondary], async (gw) => {
      const r = await chat(gw);
      assert.equal(r.status, 504);
      const e = exhaustedOf(r);
      assert.deepEqual(
        e.attempts.map((a) => [a.model, a.error_type]),
        [
          ['openai/gpt-4o', 'timeout_200ms'],
          ['anthropic/claude-3-5-sonnet', 'timeout_250ms'],
        ],
      );
      assert.deepEqual(e.last_error, { status: 504, body: 'timeout_250ms' });
      await eventually(() => primary.requests[0]?.aborted === true && secondary.requests[0]?.aborted === true, 'both attempts aborted');
    });
  });

  it('a connect timeout (connect_timeout_ms) counts as the timeout trigger', async () => {
    const stalled = await stalledListener();
    const secondary = await scriptedMock([], claudeOk());
    let yaml = retryConfig(IT10, { PRIMARY: { url: stalled.url } as never, SECONDARY: secondary });
    yaml = withListenerTimeout(withProviderKeys(yaml, 'openai/gpt-4o', 'connect_timeout_ms: 200'), '5s');
    await withGateway(yaml, [stalled, secondary], async (gw) => {
      const r = await chat(gw, {}, { 'x-request-id': 'connect' });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(
        attemptLogs(gw, 'connect').map((l) => l['outcome']),
        ['timeout_200ms', 'success'],
      );
    });
  });

  it('a refused connection fails over', async () => {
    const gone = await startMockUpstream();
    await gone.close();
    const secondary = await scriptedMock([], claudeOk());
    const yaml = retryConfig(IT10, { PRIMARY: gone, SECONDARY: secondary });
    await withGateway(yaml, [secondary], async (gw) => {
      const r = await chat(gw, {}, { 'x-request-id': 'refused' });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(
        attemptLogs(gw, 'refused').map((l) => l['outcome']),
        ['connection_refused', 'success'],
      );
    });
  });

  it('a reset connection fails over; a reset then a 429 exhausts with the 429', async () => {
    const primary = await scriptedMock([], { kind: 'reset' });
    const secondary = await scriptedMock([claudeOk()], status(429, { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } }));
    const yaml = retryConfig(IT10, { PRIMARY: primary, SECONDARY: secondary });
    await withGateway(yaml, [primary, secondary], async (gw) => {
      const r = await chat(gw, {}, { 'x-request-id': 'reset' });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(
        attemptLogs(gw, 'reset').map((l) => l['outcome']),
        ['connection_reset', 'success'],
      );
      const again = await chat(gw);
      assert.equal(again.status, 429);
      assert.deepEqual(
        exhaustedOf(again).attempts.map((a) => a.error_type),
        ['connection_reset', 'http_429'],
      );
    });
  });

  it('a connection failure follows on_timeout, not the status rules', async () => {
    const primary = await scriptedMock([{ kind: 'reset' }], ok('again'));
    const secondary = await scriptedMock([], claudeOk());
    // on_timeout now says same_model: the reset primary is tried again and the other provider never is.
    const yaml = retryConfig(IT10, { PRIMARY: primary, SECONDARY: secondary }).replace(
      /(on_timeout:\n\s+strategy:) "different_provider"/,
      '$1 "same_model"',
    );
    assert.match(yaml, /on_timeout:\n\s+strategy: "same_model"/);
    await withGateway(yaml, [primary, secondary], async (gw) => {
      const r = await chat(gw);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.headers['x-switchyard-model'], 'openai/gpt-4o');
      assert.equal(r.headers['x-switchyard-attempts'], '2');
      assert.equal(secondary.requests.length, 0);
    });
  });
});
