// SIGHUP reloads the config file of the real CLI: the new file is validated
// first, a bad one is rejected with its errors while the old config keeps
// serving, and a request in flight finishes on the config it started with.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { request } from 'undici';
import { openAIChatBody, startMockUpstream, type MockUpstream } from '../support/mockUpstream.js';
import { assertHealthy, chatBody, eventually } from './support/assertions.js';
import { startChildGateway, type ChildGateway } from '../../bench/soak/gatewayProcess.js';

function yaml(port: number, primaryUrl: string, backupUrl: string): string {
  return `version: v0.4.0
listeners:
  - type: model
    name: reload
    address: 127.0.0.1
    port: ${port}
    timeout: 30s
model_providers:
  - model: openai/primary
    base_url: ${primaryUrl}
    access_key: sk-reload-primary-key
    default: true
    retry_policy:
      fallback_models: [mistral/backup]
      default_strategy: different_provider
      default_max_attempts: 1
  - model: mistral/backup
    base_url: ${backupUrl}
    access_key: sk-reload-backup-key
`;
}

async function chat(url: string): Promise<{ status: number; model: unknown; content: string }> {
  const res = await request(`${url}/v1/chat/completions`, { method: 'POST', body: chatBody('openai') });
  const json = (await res.body.json()) as { choices?: { message: { content: string } }[] };
  return { status: res.statusCode, model: res.headers['x-switchyard-model'], content: json.choices?.[0]?.message.content ?? '' };
}

describe('SIGHUP reload', () => {
  let primary: MockUpstream;
  let backupA: MockUpstream;
  let backupB: MockUpstream;
  let gw: ChildGateway;
  let port = 0;
  before(async () => {
    // The primary always answers 429, so every request ends on the backup its config names.
    primary = await startMockUpstream({ kind: 'json', status: 429, body: { error: { message: 'busy' } } });
    backupA = await startMockUpstream({ kind: 'json', status: 200, body: openAIChatBody('from A') });
    backupB = await startMockUpstream({ kind: 'json', status: 200, body: openAIChatBody('from B') });
    gw = await startChildGateway((p) => {
      port = p;
      return yaml(p, primary.url, backupA.url);
    });
  });
  after(async () => {
    gw.signal('SIGTERM');
    await gw.exited;
    await gw.dispose();
    await Promise.all([primary.close(), backupA.close(), backupB.close()]);
  });

  it('applies a valid file to new requests while a request in flight finishes on the old config', async () => {
    assert.equal((await chat(gw.url)).content, 'from A');
    // The next request's first attempt is held for a while; the reload lands meanwhile.
    primary.queue.push({ kind: 'json', status: 429, body: { error: { message: 'busy' } }, delayMs: 1500 });
    const before = primary.requests.length;
    const inFlight = chat(gw.url);
    await eventually(() => primary.requests.length > before, 5000, 'the in-flight request reached the primary');
    writeFileSync(gw.configFile, yaml(port, primary.url, backupB.url));
    gw.signal('SIGHUP');
    await gw.waitForLog((l) => l['msg'] === 'config reloaded');
    assert.equal((await chat(gw.url)).content, 'from B', 'a new request uses the new config');
    const old = await inFlight;
    assert.equal(old.status, 200);
    assert.equal(old.content, 'from A', 'the in-flight request failed over as its own config said');
  });

  it('rejects an invalid file with its errors and keeps serving the previous config', async () => {
    writeFileSync(
      gw.configFile,
      `${yaml(port, primary.url, backupA.url)}    retry_polcy:\n      default_max_attempts: 1\n  - model: openai/other\n    access_key: $RELOAD_TEST_MISSING_VARIABLE\n`,
    );
    gw.signal('SIGHUP');
    const rejected = await gw.waitForLog((l) => String(l['msg']).startsWith('reload rejected'));
    const problems = String(rejected['problems']);
    assert.match(problems, /retry_polcy/);
    assert.match(problems, /did you mean "retry_policy"/);
    assert.match(problems, /RELOAD_TEST_MISSING_VARIABLE/);
    assert.equal((await chat(gw.url)).content, 'from B', 'still the last good config');
    await assertHealthy(gw.url);
  });

  it('rejects a file that is not even YAML, and keeps serving', async () => {
    writeFileSync(gw.configFile, 'version: v0.4.0\nmodel_providers: [\n');
    const before = gw.logs.filter((l) => String(l['msg']).startsWith('reload rejected')).length;
    gw.signal('SIGHUP');
    await eventually(() => gw.logs.filter((l) => String(l['msg']).startsWith('reload rejected')).length > before, 5000, 'a second rejection');
    assert.equal((await chat(gw.url)).content, 'from B');
  });
});
