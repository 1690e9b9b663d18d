// max_concurrent_retries across a fleet: three `switchyard up` processes and
// one redis-server. The fallback counts the retries in flight at once; a
// replica killed while holding retries gives its slots back within the lease.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildGateway } from '../../../bench/soak/gatewayProcess.js';
import { answeredBy, chat, disposeAll, logsWith, sleep, startCountingMock, startRedis, startReplicas, type CountingMock, type RedisServer } from './support.js';

const LEASE_SECONDS = 2;

function fleetYaml(redis: RedisServer, failing: CountingMock, fallback: CountingMock): (port: number) => string {
  return (port) => `version: v0.4.0
listeners:
  - type: model
    name: fleet
    address: 127.0.0.1
    port: ${port}
    timeout: 60s
model_providers:
  - model: openai/primary
    base_url: ${failing.url}
    access_key: sk-fleet-gate-key
    retry_policy:
      fallback_models: [mistral/fallback]
      default_strategy: different_provider
      default_max_attempts: 1
  - model: mistral/fallback
    base_url: ${fallback.url}
    access_key: sk-fleet-fallback-key
switchyard:
  log_level: debug
  max_concurrent_retries: 10
  shared_state:
    type: redis
    url: ${redis.url()}
    key_prefix: "gate-test:"
    retry_lease_seconds: ${LEASE_SECONDS}
`;
}

describe('the retry gate of a fleet', () => {
  let redis: RedisServer;
  let failing: CountingMock;
  let fallback: CountingMock;
  let replicas: ChildGateway[];
  let holdMs = 400;

  before(async () => {
    redis = await startRedis();
    failing = await startCountingMock(() => ({ kind: 'error', status: 500 }));
    fallback = await startCountingMock(() => ({ kind: 'ok', delayMs: holdMs }));
    replicas = await startReplicas(fleetYaml(redis, failing, fallback));
  });
  after(async () => {
    await disposeAll(replicas);
    await Promise.all([failing.close(), fallback.close()]);
    await redis.dispose();
  });

  it('holds at most max_concurrent_retries in flight across three replicas under an all-failing primary', async (t) => {
    // 60 requests at once, 20 per replica: each fails on the primary and needs a retry.
    const replies = await Promise.all(Array.from({ length: 60 }, (_, i) => chat(replicas[i % 3]!, 'openai/primary')));
    const served = replies.filter((r) => r.status === 200);
    // A slot granted without Redis (it did not answer within 100 ms: a starved machine) is the one allowed excess.
    const alone = replicas.reduce((n, r) => n + logsWith(r, 'shared state: retry slot decided alone').length, 0);
    t.diagnostic(`peak retries in flight at the fallback: ${fallback.peakInFlight}; served by a retry: ${served.length}; refused by the gate: ${replies.length - served.length}; slots granted without Redis: ${alone}`);
    assert.ok(fallback.peakInFlight <= 10 + alone, `at most 10 retries in flight fleet-wide (peak ${fallback.peakInFlight}, ${alone} granted alone)`);
    assert.ok(fallback.peakInFlight >= 8, `the gate let the fleet use its slots (peak ${fallback.peakInFlight})`);
    for (const r of served) assert.equal(answeredBy(r), 'mistral/fallback');
    for (const r of replies.filter((x) => x.status !== 200)) {
      assert.equal(r.status, 500, 'a refused retry returns the last upstream error');
      assert.match(r.text, /retry_exhausted/);
    }
    assert.equal(failing.count('primary'), 60);
  });

  it('a replica killed with SIGKILL while holding retries frees them within the lease time', async (t) => {
    const [a, b] = replicas as [ChildGateway, ChildGateway];
    holdMs = 30_000; // retries that never finish while A lives
    const held = Array.from({ length: 10 }, () => chat(a, 'openai/primary').catch(() => undefined));
    while (fallback.inFlight < 10) await sleep(10);
    // The fleet's ten slots are all A's.
    const refused = await chat(b, 'openai/primary');
    assert.equal(refused.status, 500, 'B may not retry while A holds every slot');
    holdMs = 0;
    a.signal('SIGKILL');
    const killedAt = performance.now();
    await a.exited;
    let freedAfterMs: number | undefined;
    while (performance.now() - killedAt < (LEASE_SECONDS + 3) * 1000) {
      const r = await chat(b, 'openai/primary');
      if (r.status === 200) {
        freedAfterMs = performance.now() - killedAt;
        break;
      }
      await sleep(50);
    }
    await Promise.all(held);
    t.diagnostic(`B got a retry slot ${freedAfterMs?.toFixed(0)} ms after A was killed (lease ${LEASE_SECONDS} s, renewed every ${(LEASE_SECONDS * 1000) / 3} ms)`);
    assert.ok(freedAfterMs !== undefined, 'the slots came back');
    // A lease lapses at most one lease after its last renewal; 500 ms for polling and a busy machine.
    assert.ok(freedAfterMs <= LEASE_SECONDS * 1000 + 500, `within the lease time (${freedAfterMs.toFixed(0)} ms)`);
  });
});
