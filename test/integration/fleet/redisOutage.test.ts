// Redis is never a single point of failure: three `switchyard up` processes
// under steady load while their redis-server is frozen (SIGSTOP), then killed
// (SIGKILL) and started again, empty. Every request is answered; each replica
// warns once per outage, reconnects, re-syncs, and lessons spread again.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildGateway } from '../../../bench/soak/gatewayProcess.js';
import {
  answeredBy,
  chat,
  disposeAll,
  distribution,
  logsWith,
  readyz,
  sleep,
  startCountingMock,
  startRedis,
  startReplicas,
  type CountingMock,
  type RedisServer,
} from './support.js';

/**
 * No request may wait on Redis longer than 100 ms (test/state/fleet checks that bound closely). Here
 * the rest is margin for a saturated 2-core machine, and Redis stays frozen and down for longer than
 * this bound: a request that waited for Redis would exceed it.
 */
const REQUEST_BOUND_MS = 2_000;
const OUTAGE_MS = 2_500;

function fleetYaml(redis: RedisServer, failing: CountingMock, limited: CountingMock, fallback: CountingMock): (port: number) => string {
  return (port) => `version: v0.4.0
listeners:
  - type: model
    name: fleet
    address: 127.0.0.1
    port: ${port}
    timeout: 30s
model_providers:
  - model: openai/primary
    base_url: ${failing.url}
    access_key: sk-fleet-outage-key
    retry_policy:
      fallback_models: [mistral/fallback]
      default_strategy: different_provider
      default_max_attempts: 1
      circuit_breaker: { failure_threshold: 1000000 }
  - model: openai/limited
    base_url: ${limited.url}
    access_key: sk-fleet-outage-key
    retry_policy:
      fallback_models: [mistral/fallback]
      on_status_codes:
        - codes: [429]
          strategy: different_provider
          max_attempts: 1
  - model: mistral/fallback
    base_url: ${fallback.url}
    access_key: sk-fleet-fallback-key
switchyard:
  log_level: debug
  max_concurrent_retries: 50
  shared_state:
    type: redis
    url: ${redis.url()}
    key_prefix: "outage-test:"
`;
}

interface Sample {
  readonly phase: string;
  readonly status: number;
  readonly ms: number;
}

describe('a fleet when Redis fails', () => {
  let redis: RedisServer;
  let failing: CountingMock;
  let limited: CountingMock;
  let fallback: CountingMock;
  let replicas: ChildGateway[];

  before(async () => {
    redis = await startRedis();
    failing = await startCountingMock(() => ({ kind: 'error', status: 500 }));
    limited = await startCountingMock(() => ({ kind: 'error', status: 429, retryAfterSeconds: 30 }));
    fallback = await startCountingMock(() => ({ kind: 'ok' }));
    replicas = await startReplicas(fleetYaml(redis, failing, limited, fallback));
  });
  after(async () => {
    await disposeAll(replicas);
    await Promise.all([failing.close(), limited.close(), fallback.close()]);
    await redis.dispose();
  });

  const statuses = async (): Promise<string[]> => Promise.all(replicas.map(async (r) => String((await readyz(r)).body['shared_state'])));
  const until = async (want: string, withinMs: number): Promise<void> => {
    const started = performance.now();
    while ((await statuses()).some((s) => s !== want)) {
      if (performance.now() - started > withinMs) throw new Error(`replicas not ${want} within ${withinMs} ms: ${JSON.stringify(await statuses())}`);
      await sleep(50);
    }
  };

  it('under steady load, a frozen and then a killed Redis cost no request, and /readyz stays 200', async (t) => {
    // Every request fails on the primary and retries, so every one asks Redis for a retry slot.
    let phase = 'connected';
    // An object, so the load loop reads the flag the test sets.
    const traffic = { running: true };
    const samples: Promise<Sample>[] = [];
    const load = (async () => {
      for (let tick = 0; traffic.running; tick++) {
        const sentIn = phase;
        samples.push(chat(replicas[tick % 3]!, 'openai/primary').then((r) => ({ phase: sentIn, status: r.status, ms: r.elapsedMs }), () => ({ phase: sentIn, status: 0, ms: 0 })));
        await sleep(10);
      }
    })();
    try {
      await sleep(1000);

      phase = 'frozen';
      redis.pause();
      const frozenAt = performance.now();
      await until('unavailable', 5_000);
      for (const r of replicas) assert.equal((await readyz(r)).status, 200, 'ready while Redis is frozen');
      await sleep(Math.max(0, frozenAt + OUTAGE_MS - performance.now()));
      phase = 'resumed';
      redis.resume();
      await until('connected', 10_000);
      await sleep(500);

      phase = 'killed';
      await redis.stop('SIGKILL');
      const killedAt = performance.now();
      await until('unavailable', 5_000);
      for (const r of replicas) assert.equal((await readyz(r)).status, 200, 'ready while Redis is down');
      await sleep(Math.max(0, killedAt + OUTAGE_MS - performance.now()));
      phase = 'restarted';
      await redis.start();
      await until('connected', 10_000);
      await sleep(500);
    } finally {
      traffic.running = false;
      await load;
    }

    const all = await Promise.all(samples);
    const byPhase = new Map<string, number[]>();
    for (const s of all) byPhase.set(s.phase, [...(byPhase.get(s.phase) ?? []), s.ms]);
    t.diagnostic(`latency by phase (ms): ${JSON.stringify(Object.fromEntries([...byPhase].map(([p, ms]) => [p, distribution(ms)])))}`);
    const failed = all.filter((s) => s.status !== 200);
    assert.deepEqual(failed, [], 'every request answered by the fallback, none failed because of Redis');
    const slowest = Math.max(...all.map((s) => s.ms));
    assert.ok(slowest < REQUEST_BOUND_MS, `no request slower than ${REQUEST_BOUND_MS} ms (slowest ${slowest.toFixed(0)} ms)`);
    for (const r of replicas) {
      const warnings = r.logs.filter((l) => (l['level'] as number) >= 40);
      assert.equal(warnings.length, 2, `one warning per outage, not one per request: ${JSON.stringify(warnings)}`);
      assert.equal(logsWith(r, 'shared state unavailable; serving from local state until Redis answers').length, 2);
      assert.equal(logsWith(r, 'shared state reconnected; re-synced').length, 2);
    }
  });

  it('after Redis restarted, a new block spreads again', async (t) => {
    const [a, b, c] = replicas as [ChildGateway, ChildGateway, ChildGateway];
    const first = chat(a, 'openai/limited');
    while (limited.arrivals[0]?.answeredAtMs === undefined) await sleep(1);
    // 100 ms plus margin for a saturated machine, as in spread.test.ts.
    await sleep(Math.max(0, limited.arrivals[0].answeredAtMs + 240 - performance.now()));
    const others = await Promise.all([b, c, b, c].map((r) => chat(r, 'openai/limited')));
    assert.equal((await first).status, 200);
    for (const r of others) {
      assert.equal(r.status, 200);
      assert.equal(answeredBy(r), 'mistral/fallback');
    }
    assert.equal(limited.count('limited'), 1, 'the primary was called once across the fleet');
    const lags = [b, c].flatMap((r) => logsWith(r, 'shared block received').map((l) => l['lagMs'] as number));
    t.diagnostic(`propagation after the restart (ms): ${JSON.stringify(lags)}`);
    assert.ok(lags.length === 2 && Math.max(...lags) < 250);
  });
});
