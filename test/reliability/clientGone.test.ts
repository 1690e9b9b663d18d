// A client that goes away mid-request or mid-stream aborts the upstream call;
// no retry starts for it, and it is not held against the provider: nothing is
// blocked and the next request still goes to the primary.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { request } from 'undici';
import { openAIChatBody, openAIStreamFrames, startMockUpstream, type MockUpstream } from '../support/mockUpstream.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { modelBlockKey, providerBlockKey } from '../../src/state/blockStore.js';
import { assertHealthy, chatBody, eventually, sleep } from './support/assertions.js';

/** Longer than any retry the policy below could start (first-byte timeout, backoff). */
const QUIET_MS = 1500;

describe('the client goes away', () => {
  let primary: MockUpstream;
  let backup: MockUpstream;
  let gw: TestGateway;
  before(async () => {
    primary = await startMockUpstream();
    backup = await startMockUpstream();
    gw = await startTestGateway(`version: v0.4.0
listeners:
  - type: model
    name: gone
    port: 0
    timeout: 20s
model_providers:
  - model: openai/primary
    base_url: ${primary.url}
    access_key: sk-gone-primary-key
    first_byte_timeout_ms: 800
    default: true
    retry_policy:
      fallback_models: [mistral/backup]
      default_strategy: different_provider
      default_max_attempts: 2
      on_status_codes:
        - codes: [429]
          strategy: same_model
          max_attempts: 3
      backoff:
        apply_to: same_model
        base_ms: 200
        max_ms: 400
  - model: mistral/backup
    base_url: ${backup.url}
    access_key: sk-gone-backup-key
`);
  });
  after(async () => {
    await gw.close();
    await primary.close();
    await backup.close();
  });
  beforeEach(() => {
    primary.requests.length = 0;
    backup.requests.length = 0;
    primary.queue.length = 0;
    primary.fallback = { kind: 'json', status: 200, body: openAIChatBody('from primary') };
  });

  /** Nothing was retried, nothing was blocked, and the next request is the primary's. */
  async function assertNotHeldAgainstTheProvider(): Promise<void> {
    await sleep(QUIET_MS);
    assert.equal(primary.requests.length, 1, 'no retry on the primary');
    assert.equal(backup.requests.length, 0, 'no failover to the backup');
    const target = gw.config.providers[0]!;
    const now = Date.now();
    assert.equal(gw.gw.http.runtime().shared.blocks.lookup(modelBlockKey(target), now), undefined);
    assert.equal(gw.gw.http.runtime().shared.blocks.lookup(providerBlockKey(target.prefix), now), undefined);
    primary.fallback = { kind: 'json', status: 200, body: openAIChatBody('from primary') };
    const res = await request(`${gw.url}/v1/chat/completions`, { method: 'POST', body: chatBody('openai') });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['x-switchyard-model'], 'openai/primary');
    await res.body.dump();
  }

  it('mid-request (waiting for the provider): the call is aborted and not retried', async () => {
    primary.fallback = { kind: 'json', status: 200, body: openAIChatBody('late'), delayMs: 5000 };
    const controller = new AbortController();
    const pending = request(`${gw.url}/v1/chat/completions`, { method: 'POST', body: chatBody('openai'), signal: controller.signal });
    await eventually(() => primary.requests.length === 1, 5000, 'the primary got the request');
    controller.abort();
    await assert.rejects(pending);
    await eventually(() => primary.requests[0]!.aborted, 5000, 'the primary saw the abort');
    await assertNotHeldAgainstTheProvider();
  });

  it('mid-stream: the call is aborted and not retried', async () => {
    primary.fallback = { kind: 'sse', frames: openAIStreamFrames(Array<string>(100).fill('x')), intervalMs: 50 };
    const controller = new AbortController();
    const res = await request(`${gw.url}/v1/chat/completions`, { method: 'POST', body: chatBody('openai', { stream: true }), signal: controller.signal });
    assert.equal(res.statusCode, 200);
    for await (const chunk of res.body) {
      assert.ok(chunk);
      controller.abort();
      break;
    }
    await eventually(() => primary.requests[0]?.aborted === true, 5000, 'the primary saw the abort');
    await assertNotHeldAgainstTheProvider();
  });

  it('during a backoff wait: the retry never starts', async () => {
    primary.fallback = { kind: 'json', status: 429, body: { error: { message: 'slow down' } } };
    const controller = new AbortController();
    const pending = request(`${gw.url}/v1/chat/completions`, { method: 'POST', body: chatBody('openai'), signal: controller.signal });
    await eventually(() => primary.requests.length === 1, 5000, 'the first attempt was made');
    controller.abort();
    await assert.rejects(pending);
    await sleep(QUIET_MS);
    assert.equal(primary.requests.length, 1, 'no retry after the client left');
    assert.equal(backup.requests.length, 0);
  });

  it('mid-upload: nothing reaches a provider', async () => {
    const body = chatBody('openai');
    const { port } = new URL(gw.url);
    await new Promise<void>((resolve) => {
      const s = connect(Number(port), '127.0.0.1', () => {
        s.write(`POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`);
        setTimeout(() => s.destroy(), 100);
      });
      s.on('close', () => { resolve(); });
    });
    await sleep(300);
    assert.equal(primary.requests.length, 0);
    assert.equal(backup.requests.length, 0);
    await assertHealthy(gw.url);
  });

  it('logged no unhandled error and is healthy', async () => {
    await assertHealthy(gw.url);
    assert.deepEqual(gw.logs.filter((l) => l['msg'] === 'unhandled error in request handler'), []);
  });
});
