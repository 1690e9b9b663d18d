// switchyard.client_keys: without a valid key a client gets 401 in its own
// dialect; a key limited to some models gets 403 for the others; the gateway
// key itself never travels upstream.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { startMockUpstream, type MockUpstream } from '../support/mockUpstream.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { assertDialectError, CHAT_PATH, chatBody, type Dialect } from '../reliability/support/assertions.js';

const TEAM_KEY = 'sy-team-key-0123456789abcdef';
const LIMITED_KEY = 'sy-limited-key-fedcba9876543210';

describe('client keys', () => {
  let upstream: MockUpstream;
  let gw: TestGateway;
  before(async () => {
    upstream = await startMockUpstream();
    gw = await startTestGateway(
      `version: v0.4.0
listeners:
  - type: model
    name: keys
    port: 0
    timeout: 10s
model_providers:
  - model: openai/gpt-4o
    base_url: ${upstream.url}
    access_key: sk-keys-provider-one
    default: true
  - model: mistral/mistral-large
    base_url: ${upstream.url}
    access_key: sk-keys-provider-two
  - model: openai/gpt-4o-mini
    base_url: ${upstream.url}
    passthrough_auth: true
model_aliases:
  smart:
    target: openai/gpt-4o
switchyard:
  client_keys:
    - key: $SWITCHYARD_TEAM_KEY
      name: team
    - key: ${LIMITED_KEY}
      name: limited
      allowed_models: [smart, gpt-4o-mini]
`,
      { SWITCHYARD_TEAM_KEY: TEAM_KEY },
    );
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  async function post(dialect: Dialect, headers: Record<string, string>, model?: string): Promise<{ status: number; json: unknown }> {
    const res = await request(`${gw.url}${CHAT_PATH[dialect]}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: chatBody(dialect, model === undefined ? {} : { model }),
    });
    return { status: res.statusCode, json: await res.body.json() };
  }

  for (const dialect of ['openai', 'anthropic'] as const) {
    it(`${dialect}: 401 without a key or with a wrong one, in the client's dialect`, async () => {
      const before = upstream.requests.length;
      for (const headers of <Record<string, string>[]>[
        {},
        { authorization: 'Bearer sy-not-a-key-000000000000' },
        { authorization: `Basic ${Buffer.from(`u:${TEAM_KEY}`).toString('base64')}` },
        { 'x-api-key': `${TEAM_KEY}x` },
        { 'x-api-key': TEAM_KEY.slice(0, -1) },
        { 'x-switchyard-key': '' },
      ]) {
        const r = await post(dialect, headers);
        assert.equal(r.status, 401, JSON.stringify(headers));
        assertDialectError(r.json, dialect, JSON.stringify(headers));
        if (dialect === 'anthropic') assert.equal((r.json as { error: { type: string } }).error.type, 'authentication_error');
      }
      assert.equal(upstream.requests.length, before, 'nothing reached a provider');
    });

    it(`${dialect}: accepts the key as Bearer, x-api-key or x-switchyard-key`, async () => {
      for (const headers of <Record<string, string>[]>[{ authorization: `Bearer ${TEAM_KEY}` }, { 'x-api-key': TEAM_KEY }, { 'x-switchyard-key': TEAM_KEY }]) {
        const r = await post(dialect, headers);
        assert.equal(r.status, 200, JSON.stringify(headers));
      }
    });

    it(`${dialect}: a key limited to some models gets 403 for the others`, async () => {
      const auth = { authorization: `Bearer ${LIMITED_KEY}` };
      for (const allowed of ['smart', 'openai/gpt-4o', 'gpt-4o', undefined, 'gpt-4o-mini']) {
        assert.equal((await post(dialect, auth, allowed)).status, 200, String(allowed));
      }
      const before = upstream.requests.length;
      for (const refused of ['mistral/mistral-large', 'mistral-large']) {
        const r = await post(dialect, auth, refused);
        assert.equal(r.status, 403, refused);
        assertDialectError(r.json, dialect, refused);
      }
      assert.equal(upstream.requests.length, before);
      // An unrestricted key may use it.
      assert.equal((await post(dialect, { authorization: `Bearer ${TEAM_KEY}` }, 'mistral-large')).status, 200);
    });
  }

  it('protects /v1/models and lists only what a limited key may use; health probes stay open', async () => {
    const open = await request(`${gw.url}/v1/models`);
    assert.equal(open.statusCode, 401);
    await open.body.dump();
    const limited = await request(`${gw.url}/v1/models`, { headers: { authorization: `Bearer ${LIMITED_KEY}` } });
    const ids = ((await limited.body.json()) as { data: { id: string }[] }).data.map((m) => m.id);
    assert.deepEqual(ids, ['openai/gpt-4o', 'openai/gpt-4o-mini', 'smart']);
    const team = await request(`${gw.url}/v1/models`, { headers: { 'x-api-key': TEAM_KEY } });
    assert.equal(((await team.body.json()) as { data: unknown[] }).data.length, 4);
    for (const path of ['/healthz', '/readyz']) {
      const res = await request(`${gw.url}${path}`);
      assert.equal(res.statusCode, 200, path);
      await res.body.dump();
    }
  });

  it('never sends the gateway key upstream, even to a passthrough_auth provider', async () => {
    await post('openai', { authorization: `Bearer ${TEAM_KEY}` }, 'gpt-4o-mini');
    let seen = upstream.requests.at(-1)!;
    assert.equal(seen.headers['authorization'], undefined, 'the Bearer that carried the gateway key is dropped');
    await post('openai', { 'x-switchyard-key': TEAM_KEY, authorization: 'Bearer sk-client-own-provider-key' }, 'gpt-4o-mini');
    seen = upstream.requests.at(-1)!;
    assert.equal(seen.headers['authorization'], 'Bearer sk-client-own-provider-key', 'the client’s own credential still passes through');
    assert.equal(seen.headers['x-switchyard-key'], undefined);
    await post('anthropic', { 'x-api-key': TEAM_KEY });
    seen = upstream.requests.at(-1)!;
    assert.equal(seen.headers['x-api-key'], undefined);
    assert.equal(seen.headers['authorization'], 'Bearer sk-keys-provider-one');
    for (const r of upstream.requests) assert.doesNotMatch(JSON.stringify(r.headers), new RegExp(`${TEAM_KEY}|${LIMITED_KEY}`));
  });
});
