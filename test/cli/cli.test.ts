import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/paths.js';
import { freePort, runCli, waitForHealthy } from '../support/process.js';
import { startMockUpstream, type MockUpstream } from '../support/mockUpstream.js';

const BROKEN = `version: v0.4.0
listeners:
  - type: model
    name: main
    port: 12000
    timeout: soon
model_providers:
  - model: openai/gpt-4o
    access_key: $MISSING_TEST_KEY
    default: true
    retry_polcy:
      default_max_attempts: 2
  - model: anthropic/claude
    default: true
    retry_policy:
      fallback_models: [nope/none]
      on_status_codes:
        - codes: ["504-502"]
          strategy: different_provider
          max_attempts: 1
      backoff:
        apply_to: global
        base_ms: 500
        max_ms: 200
model_aliases:
  fast:
    target: missing-model
`;

function configFile(dir: string, port: number, upstream: string): string {
  const file = join(dir, 'config.yaml');
  writeFileSync(
    file,
    `version: v0.4.0
listeners:
  - type: model
    name: main
    address: 127.0.0.1
    port: ${port}
    timeout: 10s
model_providers:
  - model: openai/gpt-4o
    base_url: ${upstream}
    access_key: $CLI_TEST_KEY
    default: true
switchyard:
  shutdown_grace_seconds: 2
`,
  );
  return file;
}

describe('switchyard CLI (real processes)', () => {
  let dir: string;
  let upstream: MockUpstream;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchyard-cli-'));
    upstream = await startMockUpstream();
  });
  after(async () => {
    await upstream.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('validate names every problem with file, field path and line, and exits 2', async () => {
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, BROKEN);
    const run = runCli(['validate', file]);
    assert.equal(await run.exited, 2);
    const lines = run.stderr;
    for (const expected of [
      /broken\.yaml:6: error: listeners\[0\]\.timeout: .*soon/,
      /broken\.yaml:9: error: model_providers\[0\]\.access_key: .*MISSING_TEST_KEY/,
      /broken\.yaml:11: error: model_providers\[0\]\.retry_polcy: unknown key; did you mean "retry_policy"\?/,
      /broken\.yaml:14: error: model_providers\[1\]\.default: /,
      /broken\.yaml:16: error: model_providers\[1\]\.retry_policy\.fallback_models\[0\]: .*nope\/none/,
      /broken\.yaml:18: error: model_providers\[1\]\.retry_policy\.on_status_codes\[0\]\.codes\[0\]: .*504-502/,
      /broken\.yaml:24: error: model_providers\[1\]\.retry_policy\.backoff\.max_ms: .*greater than base_ms/,
      /broken\.yaml:27: error: model_aliases\.fast\.target: .*missing-model/,
    ]) {
      assert.match(lines, expected);
    }
    assert.match(lines, /invalid \(\d+ errors\)/);
  });

  it('validate accepts a good file and exits 0', async () => {
    const file = configFile(dir, 12345, upstream.url);
    const run = runCli(['validate', file], { env: { CLI_TEST_KEY: 'k' } });
    assert.equal(await run.exited, 0);
    assert.match(run.stdout, /valid — listener 127\.0\.0\.1:12345, 1 model provider/);
  });

  it('up --foreground serves, answers /healthz, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const file = configFile(dir, port, upstream.url);
    const run = runCli(['up', file, '--foreground'], { env: { CLI_TEST_KEY: 'sk-cli-secret' } });
    try {
      await waitForHealthy(`http://127.0.0.1:${port}/healthz`);
      const res = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }),
      });
      assert.equal(res.status, 200);
      assert.equal(upstream.requests.at(-1)?.headers['authorization'], 'Bearer sk-cli-secret');
    } finally {
      run.child.kill('SIGTERM');
    }
    assert.equal(await run.exited, 0);
    assert.doesNotMatch(run.stdout + run.stderr, /sk-cli-secret/);
  });

  it('up without a file uses ./config.yaml from the working directory', async () => {
    const port = await freePort();
    configFile(dir, port, upstream.url);
    const run = runCli(['up', '--foreground'], { cwd: dir, env: { CLI_TEST_KEY: 'k' } });
    try {
      await waitForHealthy(`http://127.0.0.1:${port}/healthz`);
    } finally {
      run.child.kill('SIGINT');
    }
    assert.equal(await run.exited, 0);
  });

  it('up with no config and no provider keys exits 2 and says which variables it looked for', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'switchyard-empty-'));
    try {
      const run = runCli(['up', '--foreground'], { cwd: empty });
      assert.equal(await run.exited, 2);
      assert.match(run.stderr, /OPENAI_API_KEY/);
      assert.match(run.stderr, /ANTHROPIC_API_KEY/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('a config error stops up with exit code 2', async () => {
    const file = join(dir, 'broken-up.yaml');
    writeFileSync(file, BROKEN);
    const run = runCli(['up', file, '--foreground']);
    assert.equal(await run.exited, 2);
    assert.match(run.stderr, /not starting/);
  });

  it('up in the background writes a pid file and log, and down stops it', async () => {
    const port = await freePort();
    const file = configFile(dir, port, upstream.url);
    const home = join(dir, 'home');
    const env = { CLI_TEST_KEY: 'k', SWITCHYARD_HOME: home };
    const up = runCli(['up', file], { env });
    assert.equal(await up.exited, 0, up.stderr);
    assert.match(up.stdout, new RegExp(`switchyard is up at http://127\\.0\\.0\\.1:${port}`));
    const pidFile = join(home, 'run', 'switchyard.pid');
    assert.ok(existsSync(pidFile));
    const pid = Number(readFileSync(pidFile, 'utf8'));
    assert.ok(pid > 0);
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(res.status, 200);
    const down = runCli(['down'], { env });
    assert.equal(await down.exited, 0, down.stderr);
    assert.match(down.stdout, /stopped/);
    assert.ok(!existsSync(pidFile));
    await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`));
    assert.ok(existsSync(join(home, 'run', 'switchyard.log')));
  });

  it('exposes switchyard and planoai as the same executable', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    assert.equal(pkg.bin['switchyard'], pkg.bin['planoai']);
    assert.ok(existsSync(join(REPO_ROOT, pkg.bin['switchyard']!)));
  });

  it('demo serves a chat completion from its simulated providers', async () => {
    const port = await freePort();
    const run = runCli(['demo', '--port', String(port)]);
    try {
      await waitForHealthy(`http://127.0.0.1:${port}/healthz`);
      assert.match(run.stdout, /curl -s http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions/);
      const res = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Hello!' }] }),
      });
      assert.equal(res.status, 200);
      const json = (await res.json()) as { choices: { message: { content: string } }[] };
      assert.match(json.choices[0]!.message.content, /You said: "Hello!"/);
    } finally {
      run.child.kill('SIGINT');
    }
    assert.equal(await run.exited, 0);
  });
});
