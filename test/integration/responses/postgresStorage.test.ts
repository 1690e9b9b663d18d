// Postgres as state_storage against a real cluster: the migration at start-up
// (once, however many gateways start), tenants kept apart, and a database that
// goes down: requests that use state get a 503 in the Responses error format,
// /readyz says so, requests that do not use state keep working, and the store
// comes back by itself when the database does.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import pg from 'pg';
import { startMockProvider, type MockProvider } from '../../support/mockProviders.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { startPostgres, type PostgresServer } from '../../support/postgresServer.js';

type Body = Record<string, unknown>;

const KEYS = { a: 'sk-tenant-a-0123456789', b: 'sk-tenant-b-0123456789' };

function yaml(native: MockProvider): string {
  return `version: v0.4.0
listeners:
  - type: model
    name: pg
    port: 0
    timeout: 10s
model_providers:
  - model: openai/gpt-5
    base_url: ${native.url}/v1
    access_key: sk-upstream
    default: true
state_storage:
  type: postgres
  connection_string: $PG_URL
switchyard:
  client_keys:
    - { name: a, key: ${KEYS.a} }
    - { name: b, key: ${KEYS.b} }
`;
}

const sdk = (url: string, key: string): OpenAI => new OpenAI({ baseURL: `${url}/v1`, apiKey: key, maxRetries: 0 });

async function readyz(url: string): Promise<Body> {
  const res = await fetch(`${url}/readyz`);
  assert.equal(res.status, 200);
  return (await res.json()) as Body;
}

async function until(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Postgres state storage', () => {
  let native: MockProvider;
  let db: PostgresServer;
  let gw: TestGateway;
  let second: TestGateway;
  before(async () => {
    native = await startMockProvider('responses', 'native');
    db = await startPostgres();
    // Two gateways on one database, as two replicas: the migration runs once.
    [gw, second] = await Promise.all([startTestGateway(yaml(native), { PG_URL: db.url }), startTestGateway(yaml(native), { PG_URL: db.url })]);
  });
  after(async () => {
    await Promise.all([gw.close(), second.close()]);
    await native.close();
    await db.dispose();
  });

  it('migrates once at start-up, whatever the number of gateways', async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const versions = await client.query<{ version: number }>('SELECT version FROM switchyard_migrations');
      assert.deepEqual(versions.rows.map((r) => r.version), [1]);
    } finally {
      await client.end();
    }
    assert.equal((await readyz(gw.url)).state_storage, 'connected');
  });

  it('a replica continues a conversation another stored; another tenant gets exactly the unknown-id answer', async () => {
    const first = await sdk(gw.url, KEYS.a).responses.create({ model: 'openai/gpt-5', input: 'Remember 42.' });
    const next = await sdk(second.url, KEYS.a).responses.create({ model: 'openai/gpt-5', input: 'What number?', previous_response_id: first.id });
    assert.equal(next.previous_response_id, first.id);
    assert.equal((native.last().body.input as unknown[]).length, 3);

    const ask = async (key: string, id: string): Promise<{ status: number; body: string }> => {
      const res = await fetch(`${gw.url}/v1/responses`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'openai/gpt-5', input: 'hi', previous_response_id: id }),
      });
      return { status: res.status, body: (await res.text()).replace(id, '<id>') };
    };
    const otherTenant = await ask(KEYS.b, first.id);
    const unknown = await ask(KEYS.b, 'resp_0000000000000000000000000000000000000000000000ff');
    assert.equal(otherTenant.status, 400);
    assert.deepEqual(otherTenant, unknown, 'the same reply for another tenant\'s id and an unknown one');
    assert.deepEqual(JSON.parse(otherTenant.body), {
      error: { message: "Previous response with id '<id>' not found.", type: 'invalid_request_error', param: 'previous_response_id', code: 'previous_response_not_found' },
    });
    await assert.rejects(sdk(gw.url, KEYS.b).responses.retrieve(first.id), OpenAI.NotFoundError);
  });

  it('while Postgres is down: 503 for requests that use state, the rest keep working, /readyz reports it; then it comes back', async () => {
    const stored = await sdk(gw.url, KEYS.a).responses.create({ model: 'openai/gpt-5', input: 'before' });
    await db.stop();
    try {
      const before = native.requests.length;
      const refused = await fetch(`${gw.url}/v1/responses`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEYS.a}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'openai/gpt-5', input: 'hi', previous_response_id: stored.id }),
      });
      assert.equal(refused.status, 503);
      const body = (await refused.json()) as { error: Body };
      assert.equal(body.error.code, 'state_storage_unavailable');
      assert.equal(body.error.type, 'server_error');
      assert.match(String(body.error.message), /state storage/);
      await until(async () => (await readyz(gw.url)).state_storage === 'unavailable');
      // store defaults to true: it would write, so it is refused before any provider call.
      await assert.rejects(sdk(gw.url, KEYS.a).responses.create({ model: 'openai/gpt-5', input: 'hi' }), (e: unknown) => e instanceof OpenAI.InternalServerError && e.status === 503);
      assert.equal(native.requests.length, before, 'no provider was called');
      // Nothing else breaks: store: false without previous_response_id, and chat completions.
      const stateless = await sdk(gw.url, KEYS.a).responses.create({ model: 'openai/gpt-5', input: 'hi', store: false });
      assert.equal(stateless.status, 'completed');
      assert.equal((await fetch(`${gw.url}/healthz`)).status, 200);
    } finally {
      await db.start();
    }
    await until(async () => (await readyz(gw.url)).state_storage === 'connected');
    const after = await sdk(gw.url, KEYS.a).responses.create({ model: 'openai/gpt-5', input: 'after', previous_response_id: stored.id });
    assert.equal(after.previous_response_id, stored.id);
  });
});
