// `switchyard status` against running gateways (real processes): the same view
// as the status page as a table, a client key from $SWITCHYARD_KEY, and the
// admin listener found from ./config.yaml.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { request } from 'undici';
import { openAIChatBody, startMockUpstream, type MockUpstream } from '../support/mockUpstream.js';
import { freePort, runCli } from '../support/process.js';
import { startGatewayProcess, type GatewayProcess } from '../observability/scenarios.js';

const KEY = 'status-cli-key-0123456789';

function yaml(port: number, limited: string, healthy: string, extra = ''): string {
  return `version: v0.4.0
listeners:
  - type: model
    name: cli
    address: 127.0.0.1
    port: ${port}
    timeout: 10s
model_providers:
  - model: openai/limited
    base_url: ${limited}
    access_key: sk-status-cli-0123456789
    default: true
    retry_policy:
      fallback_models: [mistral/healthy]
  - model: mistral/healthy
    base_url: ${healthy}
    access_key: sk-status-cli-0123456789
switchyard:
  client_keys:
    - key: ${KEY}
${extra}`;
}

async function status(args: readonly string[], env: NodeJS.ProcessEnv = {}, cwd?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = runCli(['status', ...args], { env, ...(cwd === undefined ? {} : { cwd }) });
  const code = await run.exited;
  return { code, stdout: run.stdout, stderr: run.stderr };
}

describe('switchyard status', () => {
  let limited: MockUpstream;
  let healthy: MockUpstream;
  before(async () => {
    limited = await startMockUpstream({ kind: 'json', status: 429, body: { error: { message: 'slow down' } }, headers: { 'retry-after': '60' } });
    healthy = await startMockUpstream({ kind: 'json', status: 200, body: openAIChatBody('fine') });
  });
  after(async () => {
    await Promise.all([limited.close(), healthy.close()]);
  });

  describe('on the model listener, behind client keys', () => {
    let gw: GatewayProcess;
    before(async () => {
      gw = await startGatewayProcess((port) => yaml(port, limited.url, healthy.url));
      const res = await request(`${gw.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
        body: JSON.stringify({ model: 'openai/limited', messages: [{ role: 'user', content: 'hi' }] }),
      });
      assert.equal(res.statusCode, 200);
      await res.body.text();
    });
    after(async () => {
      await gw.stop();
    });

    it('says a key is needed, and exits 1, without one', async () => {
      const r = await status(['--url', gw.url]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /needs a client key: set SWITCHYARD_KEY/);
      assert.equal(r.stdout, '');
    });

    it('prints every model, the block with its seconds, and the failover, with $SWITCHYARD_KEY', async () => {
      const r = await status(['--url', gw.url], { SWITCHYARD_KEY: KEY });
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stdout.split('\n');
      assert.match(lines[0]!, new RegExp(`^Switchyard \\d+\\.\\d+\\.\\d+ at ${gw.url.replace(/\./g, '\\.')}`));
      assert.match(lines.find((l) => l.startsWith('MODEL')) ?? '', /^MODEL\s+PROVIDER\s+HEALTH\s+TTFT p50\s+TTFT p95\s+ERRORS\s+ATTEMPTS$/);
      const row = lines.find((l) => l.startsWith('openai/limited')) ?? '';
      const blocked = /^openai\/limited\s+openai\s+blocked (\d+) s \(retry-after\)\s+-\s+-\s+100\.0%\s+1$/.exec(row);
      // Retry-After: 60, counted down from when the block was written (CLI start-up is slow on a busy machine).
      assert.ok(blocked !== null && Number(blocked[1]) > 0 && Number(blocked[1]) <= 60, row);
      assert.match(lines.find((l) => l.startsWith('mistral/healthy')) ?? '', /^mistral\/healthy\s+mistral\s+ok\s+\d+ ms\s+\d+ ms\s+0\.0%\s+1$/);
      assert.match(r.stdout, /Retries: 0 in backoff, retry gate 0\/1000 in use\./);
      assert.match(r.stdout, /Shared state: memory, healthy\./);
      assert.match(r.stdout, /\d\d:\d\d:\d\dZ {2}openai\/limited -> mistral\/healthy: http_429, rule default {2}request \S+/);
    });

    it('reports a gateway it cannot reach', async () => {
      const r = await status(['--url', `http://127.0.0.1:${await freePort()}`]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /cannot reach switchyard at/);
    });
  });

  describe('on the admin listener', () => {
    let gw: GatewayProcess;
    let adminPort: number;
    before(async () => {
      adminPort = await freePort();
      gw = await startGatewayProcess((port) => yaml(port, limited.url, healthy.url, `  admin:\n    port: ${adminPort}\n`));
    });
    after(async () => {
      await gw.stop();
    });

    it('finds the admin listener in ./config.yaml and needs no key there', async () => {
      const r = await status([], {}, dirname(gw.configPath));
      assert.equal(r.code, 0, r.stderr);
      assert.ok(r.stdout.startsWith(`Switchyard `) && r.stdout.includes(` at http://127.0.0.1:${adminPort},`), r.stdout);
      assert.match(r.stdout, /^mistral\/healthy\s+mistral\s+ok/m);
    });

    it('serves /metrics there without a key, and no longer on the model listener', async () => {
      const admin = await request(`http://127.0.0.1:${adminPort}/metrics`);
      assert.equal(admin.statusCode, 200);
      assert.match(await admin.body.text(), /switchyard_build_info/);
      const model = await request(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${KEY}` } });
      assert.equal(model.statusCode, 404);
      await model.body.text();
      const health = await request(`http://127.0.0.1:${adminPort}/healthz`);
      assert.equal(health.statusCode, 200);
      await health.body.text();
      const chat = await request(`http://127.0.0.1:${adminPort}/v1/chat/completions`, { method: 'POST', body: '{}' });
      assert.equal(chat.statusCode, 404, 'the admin listener serves no chat');
      await chat.body.text();
    });
  });
});
