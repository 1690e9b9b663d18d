// The switchyard launcher against a stand-in CLI that honours the same
// contract (config path argument, /healthz, failover on 429, exit 0 on
// SIGTERM), so the launch-check-stop path is proven before the real CLI lands.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMockUpstream, type MockUpstream } from '../../bench/mockUpstream.js';
import { ALL_SYSTEMS, type LaunchContext, type SystemSpec } from '../../bench/systems.js';
import { measureSystem } from '../../bench/measure.js';

const STAND_IN = `
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
const [, , cmd, configPath, flag] = process.argv;
if (cmd !== 'up' || flag !== '--foreground') process.exit(64);
const yaml = readFileSync(configPath, 'utf8');
const port = Number(/port: (\\d+)/.exec(yaml)[1]);
const bases = [...yaml.matchAll(/base_url: (\\S+)/g)].map((m) => m[1]);
const chatUrl = (base) => (new URL(base).pathname === '/' ? base + '/v1' : base) + '/chat/completions';
const server = createServer(async (req, res) => {
  if (req.url === '/healthz') { res.writeHead(200); res.end('ok'); return; }
  const parts = []; for await (const c of req) parts.push(c);
  for (const base of bases) {
    const up = await fetch(chatUrl(base), { method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.concat(parts) });
    if (up.status === 429) { await up.arrayBuffer(); continue; }
    res.writeHead(up.status, { 'content-type': up.headers.get('content-type') });
    for await (const c of up.body) res.write(c);
    res.end(); return;
  }
  res.writeHead(429); res.end();
});
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => { server.closeAllConnections(); server.close(() => process.exit(0)); });
`;

let mock: MockUpstream;
let root: string;
let ctx: LaunchContext;
const spec = (name: string): SystemSpec => ALL_SYSTEMS.find((s) => s.name === name)!;

before(async () => {
  mock = await startMockUpstream();
  root = mkdtempSync(join(tmpdir(), 'bench-launch-'));
  const mockOrigin = `http://127.0.0.1:${mock.port}`;
  ctx = { repoRoot: root, mockOrigin, tempDir: root, pin: { kind: 'unpinned', reason: 'test' }, baselineRoot: undefined, otlpGrpc: undefined };
});
after(async () => {
  await mock.close();
  rmSync(root, { recursive: true, force: true });
});

describe('switchyard launcher', () => {
  it('reports the system as not available when the CLI is not built', async () => {
    const outcome = await spec('switchyard').start(ctx);
    assert.equal(outcome.kind, 'not-available');
  });

  it('reports the traced system as not available without an OTLP sink', async () => {
    const outcome = await spec('switchyard-traced').start(ctx);
    assert.ok(outcome.kind === 'not-available');
    assert.match(outcome.reason, /OTLP sink/);
  });

  it('starts the CLI, checks answers with and without failover, and stops it with exit 0', async () => {
    mkdirSync(join(root, 'dist/src/cli'), { recursive: true });
    writeFileSync(join(root, 'dist/src/cli/main.js'), STAND_IN);
    writeFileSync(join(root, 'package.json'), '{"type":"module"}');
    for (const name of ['switchyard', 'switchyard-failover']) {
      const outcome = await spec(name).start(ctx);
      assert.equal(outcome.kind, 'running', JSON.stringify(outcome));
      const settings = { loadDurationS: 1, c1DurationS: 1, probeMaxRequests: 10, probeMaxMs: 500 };
      const result = await measureSystem(spec(name), outcome.system, ctx.mockOrigin, settings, 'quick', () => undefined);
      assert.equal(result.kind, 'measured', JSON.stringify(result));
      assert.deepEqual(await outcome.system.stop(), { code: 0, signal: null });
    }
  });

  it('reports a CLI that dies at startup as failed, with its output', async () => {
    writeFileSync(join(root, 'dist/src/cli/main.js'), 'console.error("config invalid"); process.exit(1);');
    const outcome = await spec('switchyard').start(ctx);
    assert.equal(outcome.kind, 'failed');
    assert.match(outcome.reason, /config invalid/);
  });
});
