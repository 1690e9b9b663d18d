// A reload installs the new file's max_concurrent_retries on the retry gate
// that carries over (with the blocks and circuits) from the old runtime.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { startMockUpstream } from '../support/mockUpstream.js';
import { loadTestConfig, startTestGateway } from '../support/gateway.js';

function yaml(primary: string, fallback: string, maxRetries: number): string {
  return `version: v0.4.0
listeners:
  - type: model
    name: test
    port: 0
    timeout: 10s
model_providers:
  - model: openai/gpt-4o
    base_url: ${primary}
    access_key: sk-a
    default: true
    retry_policy:
      fallback_models: [mistral/small]
  - model: mistral/small
    base_url: ${fallback}
    access_key: sk-b
switchyard:
  max_concurrent_retries: ${maxRetries}
`;
}

describe('reload and the retry gate', () => {
  it('applies a changed max_concurrent_retries to new requests', async () => {
    const primary = await startMockUpstream({ kind: 'json', status: 503, body: { error: { message: 'down' } } });
    const fallback = await startMockUpstream({ kind: 'json', status: 200, body: { id: 'x', object: 'chat.completion', created: 1, model: 'small', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }] } });
    const gw = await startTestGateway(yaml(primary.url, fallback.url, 1));
    const chat = async (): Promise<number> => {
      const res = await request(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"messages":[{"role":"user","content":"hi"}]}' });
      await res.body.text();
      return res.statusCode;
    };
    try {
      const shared = gw.gw.http.runtime().shared;
      assert.ok(shared.gate.acquire() === true, 'a retry elsewhere holds the only slot');
      assert.equal(await chat(), 503, 'no retry may start while the gate is full');
      assert.equal(fallback.requests.length, 0);
      gw.gw.reload(loadTestConfig(yaml(primary.url, fallback.url, 2)));
      assert.equal(gw.gw.http.runtime().shared, shared, 'shared state carries over');
      assert.equal(shared.gate.capacity, 2);
      assert.equal(await chat(), 200);
      assert.equal(fallback.requests.length, 1);
    } finally {
      await gw.close();
      await primary.close();
      await fallback.close();
    }
  });
});
