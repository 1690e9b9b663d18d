// The seed scenario (../shared/seed/test_failover_exploration.py) in
// TypeScript: the real CLI in a child process with tests/config_failover.yaml,
// the seed's two providers on their fixed ports (8082 always 429, 8083 200),
// and the seed's request. The only test here that uses fixed ports, because
// the seed's config names them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, get, type Server } from 'node:http';
import { CLI_MAIN, REPO_ROOT } from '../../support/paths.js';
import { post } from './support.js';

const RATE_LIMITED = '{"error": {"message": "Rate limit reached", "type": "requests", "code": "429"}}';
const ANSWER = JSON.stringify({
  id: 'chatcmpl-exploration',
  object: 'chat.completion',
  created: 1677652288,
  model: 'gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Exploration test response' }, finish_reason: 'stop' }],
});

function seedProvider(port: number, status: number, body: string): Promise<Server> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

function healthy(): Promise<boolean> {
  return new Promise((resolve) => {
    get('http://127.0.0.1:12000/healthz', (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    }).on('error', () => resolve(false));
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

describe('seed: test_failover_exploration', () => {
  it('the CLI with tests/config_failover.yaml fails a 429 over and answers 200 with choices, then exits 0 on SIGTERM', async () => {
    const primary = await seedProvider(8082, 429, RATE_LIMITED);
    const secondary = await seedProvider(8083, 200, ANSWER);
    const child = spawn(process.execPath, [CLI_MAIN, 'up', 'tests/config_failover.yaml', '--foreground'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = exitOf(child);
    try {
      const until = Date.now() + 15_000;
      while (!(await healthy())) {
        assert.equal(child.exitCode, null, `the CLI exited early: ${stderr}`);
        assert.ok(Date.now() < until, `no /healthz on 12000 within 15 s: ${stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const r = await post(
        'http://127.0.0.1:12000',
        JSON.stringify({ model: 'openai/gpt-4', messages: [{ role: 'user', content: 'Test routing header' }] }),
      );
      assert.notEqual(r.status, 400, r.text);
      assert.equal(r.status, 200, r.text);
      const body = r.json<{ choices?: unknown[] }>();
      assert.ok(Array.isArray(body.choices) && body.choices.length > 0, 'the answer has choices');
      assert.equal(r.headers['x-switchyard-model'], 'openai/gpt-4o-mini');

      child.kill('SIGTERM');
      assert.equal(await exited, 0, stderr);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
      await Promise.all([primary, secondary].map((s) => new Promise((r) => s.close(r))));
    }
  });
});
