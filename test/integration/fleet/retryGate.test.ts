// max_concurrent_retries across a fleet: three `switchyard up` processes and
// one redis-server. The fallback counts the retries in flight at once; a
// replica killed while holding retries gives its slots back within the lease.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import type { ChildGateway } from '../../../bench/soak/gatewayProcess.js';
import { answeredBy, chat, disposeAll, fleetHead, sleep, startCountingMock, startRedis, startReplicas, type CountingMock, type RedisServer } from './support.js';
import { Teardown } from '../../support/teardown.js';

const LEASE_SECONDS = 2;
/** Rounds of the burst, to find one that no starved scheduler disturbed. */
const GATE_ROUNDS = 3;

function fleetYaml(redis: RedisServer, failing: CountingMock, fallback: CountingMock): (port: number) => string {
  return (port) => `${fleetHead(port, '60s')}  - model: openai/primary
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
  let raw: Redis;
  const teardown = new Teardown();
  let holdMs = 400;

  before(async () => {
    redis = teardown.add(await startRedis(), (r) => r.dispose());
    failing = teardown.add(await startCountingMock(() => ({ kind: 'error', status: 500 })), (m) => m.close());
    fallback = teardown.add(await startCountingMock(() => ({ kind: 'ok', delayMs: holdMs })), (m) => m.close());
    replicas = teardown.add(await startReplicas(fleetYaml(redis, failing, fallback)), disposeAll);
    // To read the fleet's leases as Redis holds them.
    raw = teardown.add(new Redis(redis.url()), (r) => r.quit());
  });
  // However far `before` got (a replica that never joined), what it started is stopped.
  after(() => teardown.run());

  it('holds at most max_concurrent_retries in flight across three replicas under an all-failing primary', async (t) => {
    // Each round: 60 requests at once, 20 per replica; each fails on the primary and needs a retry,
    // which holds its slot for a while at the fallback. The gate does not queue: a refused retry
    // returns the primary's error at once.
    holdMs = 1_500;
    const seen: string[] = [];
    let undisturbed: { peak: number; served: number } | undefined;
    for (let round = 1; round <= GATE_ROUNDS && undisturbed === undefined; round++) {
      const logsBefore = replicas.map((r) => r.logs.length);
      const primaryBefore = failing.count('primary');
      fallback.resetPeak();
      const replies = await Promise.all(Array.from({ length: 60 }, (_, i) => chat(replicas[i % 3]!, 'openai/primary')));
      const served = replies.filter((r) => r.status === 200);
      // Redis did not answer an ask within 100 ms (a starved machine): that replica decided alone, and
      // a slot it granted so is the one allowed excess over the cap.
      const lone = replicas.flatMap((r, k) => r.logs.slice(logsBefore[k]).filter((l) => l['msg'] === 'shared state: retry slot decided alone'));
      const grantedAlone = lone.filter((l) => l['granted'] === true).length;
      const peak = fallback.peakInFlight;
      seen.push(`round ${round}: peak ${peak}, served ${served.length}, refused ${replies.length - served.length}, decided alone ${lone.length} (granted ${grantedAlone})`);
      assert.ok(peak <= 10 + grantedAlone, `at most 10 retries in flight fleet-wide (peak ${peak}, ${grantedAlone} granted alone)`);
      for (const r of served) assert.equal(answeredBy(r), 'mistral/fallback');
      for (const r of replies.filter((x) => x.status !== 200)) {
        assert.equal(r.status, 500, 'a refused retry returns the last upstream error');
        assert.match(r.text, /retry_exhausted/);
      }
      assert.equal(failing.count('primary') - primaryBefore, 60);
      if (lone.length === 0) undisturbed = { peak, served: served.length };
    }
    t.diagnostic(seen.join('; '));
    // When every ask was answered, the fleet used its ten slots (the cap is a cap, not a throttle).
    // A machine so loaded that no round went undisturbed leaves only the upper bound checked.
    if (undisturbed === undefined) t.diagnostic(`every round had decisions made without Redis; the lower bound was not checked`);
    else assert.ok(undisturbed.peak >= 8, `the gate let the fleet use its slots (peak ${undisturbed.peak})`);
  });

  it('a replica killed with SIGKILL while holding retries frees them within the lease time', async (t) => {
    const [a, b] = replicas as [ChildGateway, ChildGateway];
    holdMs = 30_000; // retries that never finish while A lives
    // Leases as Redis holds them: one per retry in flight, scored by when it lapses (Redis's clock).
    const LEASES = 'gate-test:retry-leases';
    const liveLeases = async (): Promise<number> => {
      const [seconds, micros] = await raw.time();
      return raw.zcount(LEASES, `(${Number(seconds) * 1000 + Math.floor(Number(micros) / 1000)}`, '+inf');
    };
    // One request at a time until A holds the fleet's ten slots: a burst could see asks time out on a
    // starved machine, and a slot granted alone holds no lease. Bounded, so a broken gate fails here.
    const held: Promise<unknown>[] = [];
    let unsettled = 0;
    const filledBy = performance.now() + 20_000;
    // Both counts: a lease is taken before its retry reaches the fallback.
    while ((await liveLeases()) < 10 || fallback.inFlight < 10) {
      assert.ok(performance.now() < filledBy, `A took the fleet's slots (leases: ${await liveLeases()}, at the fallback: ${fallback.inFlight})`);
      // The next request once the last one reached the fallback (or was refused).
      if (unsettled === fallback.inFlight) {
        unsettled++;
        held.push(chat(a, 'openai/primary').then(() => { unsettled--; }, () => { unsettled--; }));
      }
      await sleep(20);
    }
    // The fleet's ten slots are all A's.
    const refused = await chat(b, 'openai/primary');
    assert.equal(refused.status, 500, 'B may not retry while A holds every slot');
    holdMs = 0;
    a.signal('SIGKILL');
    const killedAt = performance.now();
    await a.exited;
    // Freed: every lease of A lapsed, by Redis's clock (independent of how long a request takes here).
    let freedAfterMs: number | undefined;
    while (performance.now() - killedAt < (LEASE_SECONDS + 5) * 1000) {
      if ((await liveLeases()) === 0) {
        freedAfterMs = performance.now() - killedAt;
        break;
      }
      await sleep(20);
    }
    await Promise.all(held);
    t.diagnostic(`A's leases lapsed ${freedAfterMs?.toFixed(0)} ms after it was killed (lease ${LEASE_SECONDS} s, renewed every ${((LEASE_SECONDS * 1000) / 3).toFixed(0)} ms)`);
    assert.ok(freedAfterMs !== undefined, 'the slots came back');
    // A lease lapses at most one lease after its last renewal; 500 ms for polling on a busy machine.
    assert.ok(freedAfterMs <= LEASE_SECONDS * 1000 + 500, `within the lease time (${freedAfterMs.toFixed(0)} ms)`);
    // And B may retry again.
    const served = await chat(b, 'openai/primary');
    assert.equal(served.status, 200);
    assert.equal(answeredBy(served), 'mistral/fallback');
  });
});
