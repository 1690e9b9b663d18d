// With client keys, /metrics, /status and /status.json on the model listener
// need a key, sent as the chat endpoints take it, or as the password of Basic
// credentials (what a browser sends); Basic stays refused on the chat routes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { oneProviderYaml, startTestGateway, type TestGateway } from '../support/gateway.js';
import { startMockUpstream, type MockUpstream } from '../support/mockUpstream.js';

const KEY = 'observability-key-0123456789';
const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('observability routes behind client keys', () => {
  let upstream: MockUpstream;
  let gw: TestGateway;
  before(async () => {
    upstream = await startMockUpstream();
    gw = await startTestGateway(`${oneProviderYaml(upstream.url)}switchyard:\n  client_keys:\n    - key: ${KEY}\n`);
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  async function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; challenge: unknown }> {
    const res = await request(`${gw.url}${path}`, { headers });
    await res.body.text();
    return { status: res.statusCode, challenge: res.headers['www-authenticate'] };
  }

  for (const path of ['/metrics', '/status', '/status.json']) {
    it(`${path}: 401 with a Basic challenge without a key, 200 with one in any accepted form`, async () => {
      assert.deepEqual(await get(path), { status: 401, challenge: 'Basic realm="switchyard", charset="UTF-8"' });
      assert.equal((await get(path, { authorization: 'Bearer wrong-key-0123456789' })).status, 401);
      assert.equal((await get(path, { authorization: basic('operator', 'wrong') })).status, 401);
      assert.equal((await get(path, { authorization: `Bearer ${KEY}` })).status, 200);
      assert.equal((await get(path, { 'x-api-key': KEY })).status, 200);
      assert.equal((await get(path, { 'x-switchyard-key': KEY })).status, 200);
      assert.equal((await get(path, { authorization: basic('anyone', KEY) })).status, 200);
    });
  }

  it('health probes stay open', async () => {
    assert.equal((await get('/healthz')).status, 200);
    assert.equal((await get('/readyz')).status, 200);
  });

  it('Basic credentials are not a way into the chat routes', async () => {
    const res = await request(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basic('anyone', KEY) },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }),
    });
    await res.body.text();
    assert.equal(res.statusCode, 401);
    assert.equal(res.headers['www-authenticate'], 'Bearer');
  });

  it('a refused chat request is still counted', async () => {
    const before = await (await request(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${KEY}` } })).body.text();
    const res = await request(`${gw.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    await res.body.text();
    const after = await (await request(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${KEY}` } })).body.text();
    const count = (text: string): number => Number(/switchyard_requests_total\{dialect="anthropic",model="",status="401"\} (\d+)/.exec(text)?.[1] ?? 0);
    assert.equal(count(after) - count(before), 1);
  });
});
