// A wrong Redis is a logged fallback to local state, as docs/fleet.md says:
// the replica starts, serves and stays ready, names the problem once, and
// keeps trying with backoff. Never a crash loop. One `switchyard up` each.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import type { ChildGateway } from '../../../bench/soak/gatewayProcess.js';
import { freePort, runCli } from '../../support/process.js';
import { answeredBy, chat, fleetHead, logsWith, readyz, sleep, startCountingMock, startRedis, startReplica, type CountingMock, type RedisServer } from './support.js';

function replicaYaml(url: string, failing: CountingMock, fallback: CountingMock): (port: number) => string {
  return (port) => `${fleetHead(port)}  - model: openai/primary
    base_url: ${failing.url}
    access_key: sk-bad-redis-key
    retry_policy:
      fallback_models: [mistral/fallback]
  - model: mistral/fallback
    base_url: ${fallback.url}
    access_key: sk-bad-redis-key
switchyard:
  shared_state:
    type: redis
    url: ${url}
`;
}

async function listen(server: Server | ReturnType<typeof createHttpServer>): Promise<number> {
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => { resolve(); }));
  return port;
}

/** Only the lines at warn level or above, for the assertion messages. */
const loud = (r: ChildGateway): Record<string, unknown>[] => r.logs.filter((l) => (l['level'] as number) >= 40);

// The cases are independent (one replica each) and mostly wait, so two run side by side; more would
// starve each other's start-up (about 1.5 CPU seconds each) on a busy 2-core machine.
describe('a replica given a wrong Redis', { concurrency: 2 }, () => {
  let redis: RedisServer;
  let failing: CountingMock;
  let fallback: CountingMock;
  let notRedis: ReturnType<typeof createHttpServer>;
  let silent: Server;
  const silentSockets = new Set<Socket>();
  let notRedisPort: number;
  let silentPort: number;
  let chatty: Server;
  let chattyPort: number;

  before(async () => {
    redis = await startRedis(['--requirepass', 'the-right-password']);
    failing = await startCountingMock(() => ({ kind: 'error', status: 500 }));
    fallback = await startCountingMock(() => ({ kind: 'ok' }));
    notRedis = createHttpServer((_req, res) => res.end('hello'));
    notRedisPort = await listen(notRedis);
    silent = createTcpServer((s) => {
      silentSockets.add(s);
      s.on('error', () => undefined); // the gateway gives up on it
      s.on('close', () => silentSockets.delete(s));
    });
    silentPort = await listen(silent);
    chatty = createTcpServer((sock) => {
      silentSockets.add(sock);
      sock.on('error', () => undefined);
      sock.on('close', () => silentSockets.delete(sock));
      sock.on('data', () => sock.write('SSH-2.0-OpenSSH_9.2\r\n'));
    });
    chattyPort = await listen(chatty);
  });
  after(async () => {
    for (const s of silentSockets) s.destroy();
    notRedis.closeAllConnections();
    await Promise.all([new Promise((r) => notRedis.close(r)), new Promise((r) => silent.close(r)), new Promise((r) => chatty.close(r)), failing.close(), fallback.close(), redis.dispose()]);
  });

  /** Starts one replica, checks it serves and stays ready, and returns its one loud line. */
  async function fallsBackToLocal(url: string): Promise<Record<string, unknown>> {
    const started = performance.now();
    const replica = await startReplica(replicaYaml(url, failing, fallback));
    try {
      // Start-up waits for Redis at most 3 s (FLEET_SYNC_WAIT_MS); on a saturated machine Node itself takes longer.
      const startupMs = performance.now() - started;
      const ready = await readyz(replica);
      assert.deepEqual([ready.status, ready.body['shared_state']], [200, 'unavailable']);
      // A retry needs the gate, which decides alone.
      const reply = await chat(replica, 'openai/primary');
      assert.equal(reply.status, 200);
      assert.equal(answeredBy(reply), 'mistral/fallback');
      // Reconnection attempts go on, quietly: still one line, still running.
      await sleep(1_500);
      assert.equal(replica.logs.filter((l) => l['msg'] === 'stopped').length, 0);
      assert.equal(loud(replica).length, 1, JSON.stringify(loud(replica)));
      assert.equal((await readyz(replica)).status, 200);
      replica.signal('SIGTERM');
      assert.deepEqual(await replica.exited, { code: 0, signal: null }, 'exits cleanly, without hanging on Redis');
      return { ...loud(replica)[0]!, startupMs };
    } finally {
      await replica.dispose();
    }
  }

  it('a wrong password: one error naming it', async () => {
    const line = await fallsBackToLocal(redis.url(0, 'a-wrong-password'));
    assert.equal(line['level'], 50);
    assert.match(String(line['reason']), /WRONGPASS/);
    assert.match(String(line['hint']), /shared_state\.url/);
    assert.equal(line['redis'], `127.0.0.1:${redis.port}/0`);
    assert.ok(!JSON.stringify(line).includes('a-wrong-password'), 'the password is never logged');
  });

  it('a database the server does not have: one error naming it', async () => {
    const line = await fallsBackToLocal(redis.url(99, 'the-right-password'));
    assert.equal(line['level'], 50);
    assert.match(String(line['reason']), /DB index is out of range/);
  });

  it('an HTTP server on the port: one error saying it may not be Redis', async () => {
    const line = await fallsBackToLocal(`redis://127.0.0.1:${notRedisPort}/0`);
    assert.equal(line['level'], 50, JSON.stringify(line));
    // It answers 400 and hangs up: whichever the client notices first, the reply or the hang-up.
    assert.match(String(line['reason']), /does not speak Redis|is this port a Redis server/);
  });

  it('a server that answers in another protocol and keeps the connection: one error saying so', async () => {
    const line = await fallsBackToLocal(`redis://127.0.0.1:${chattyPort}/0`);
    assert.equal(line['level'], 50, JSON.stringify(line));
    assert.match(String(line['reason']), /does not speak Redis/);
  });

  it('a port that accepts and never answers: one error after the handshake wait', async () => {
    const line = await fallsBackToLocal(`redis://127.0.0.1:${silentPort}/0`);
    assert.equal(line['level'], 50);
    assert.match(String(line['reason']), /handshake/);
  });

  it('no Redis yet: a warning, then it joins when Redis comes', async () => {
    const port = await freePort();
    const replica = await startReplica(replicaYaml(`redis://127.0.0.1:${port}/0`, failing, fallback));
    let late: RedisServer | undefined;
    try {
      const line = await replica.waitForLog((l) => l['msg'] === 'shared state unavailable at start-up; serving from local state until Redis answers');
      assert.match(String(line['reason']), /ECONNREFUSED/);
      assert.equal((await chat(replica, 'openai/primary')).status, 200);
      late = await startRedis(['--port', String(port)]);
      await replica.waitForLog((l) => l['msg'] === 'shared state reconnected; re-synced', 10_000);
      assert.equal((await readyz(replica)).body['shared_state'], 'connected');
      assert.equal(logsWith(replica, 'shared state unavailable at start-up; serving from local state until Redis answers').length, 1);
    } finally {
      await replica.dispose();
      await late?.dispose();
    }
  });

  it('a malformed URL is a config error naming the field, before anything starts', async () => {
    const file = `${process.env['TMPDIR'] ?? '/tmp'}/bad-redis-url-${process.pid}.yaml`;
    const { writeFileSync, rmSync } = await import('node:fs');
    writeFileSync(file, replicaYaml('redis://cache:6379/zero', failing, fallback)(12000));
    try {
      const validate = runCli(['validate', file]);
      assert.equal(await validate.exited, 2);
      assert.match(validate.stdout + validate.stderr, /switchyard\.shared_state\.url: the path must be a database number/);
    } finally {
      rmSync(file, { force: true });
    }
  });
});
