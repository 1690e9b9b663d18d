// The seed scenario (test/fixtures/seed/test_failover_exploration.py) in
// TypeScript: the real CLI in a child process with tests/config_failover.yaml,
// the seed's two providers on their fixed ports (8082 always 429, 8083 200),
// and the seed's request. The only test here that uses fixed ports, because
// the seed's config names them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { REPO_ROOT } from '../../support/paths.js';
import { runCli, waitForHealthy } from '../../support/process.js';
import { post } from './support.js';

const RATE_LIMITED = '{"error": {"message": "Rate limit reached", "type": "requests", "code": "429"}}';
const ANSWER = JSON.stringify({
  id: 'chatcmpl-exploration',
  object: 'chat.completion',
  created: 1677652288,
  model: 'gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Exploration test response' }, finish_reason: 'stop' }],
});

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * One of the seed's providers on its fixed port. Another checkout running this
 * test at the same moment holds the port for under a second, so a busy port is
 * waited for; holding 8082 first also keeps two runs from sharing port 12000.
 */
async function seedProvider(port: number, status: number, body: string): Promise<Server> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    });
  });
  const until = Date.now() + 30_000;
  for (;;) {
    try {
      await listen(server, port);
      return server;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

describe('seed: test_failover_exploration', () => {
  it('the CLI with tests/config_failover.yaml fails a 429 over and answers 200 with choices, then exits 0 on SIGTERM', async () => {
    const primary = await seedProvider(8082, 429, RATE_LIMITED);
    const secondary = await seedProvider(8083, 200, ANSWER);
    const cli = runCli(['up', 'tests/config_failover.yaml', '--foreground'], { cwd: REPO_ROOT });
    try {
      const early = cli.exited.then((code) => `the CLI exited early with ${code}: ${cli.stderr}`);
      const problem = await Promise.race([waitForHealthy('http://127.0.0.1:12000/healthz').then(() => undefined), early]);
      assert.equal(problem, undefined);
      const r = await post(
        'http://127.0.0.1:12000',
        JSON.stringify({ model: 'openai/gpt-4', messages: [{ role: 'user', content: 'Test routing header' }] }),
      );
      assert.notEqual(r.status, 400, r.text);
      assert.equal(r.status, 200, r.text);
      const body = r.json() as { choices?: unknown[] };
      assert.ok(Array.isArray(body.choices) && body.choices.length > 0, 'the answer has choices');
      assert.equal(r.headers['x-switchyard-model'], 'openai/gpt-4o-mini');

      cli.child.kill('SIGTERM');
      assert.equal(await cli.exited, 0, cli.stderr);
    } finally {
      if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
      await cli.exited;
      await Promise.all([primary, secondary].map((s) => new Promise((r) => s.close(r))));
    }
  });
});
