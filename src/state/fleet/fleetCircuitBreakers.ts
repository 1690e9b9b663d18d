// Circuit breakers shared by a fleet. Redis holds each circuit's counters and
// phase; every change takes a generation number and is announced, and each
// replica's mirror (a MemoryCircuitBreakers) applies changes newer than the
// one it holds. So:
// - admit reads the mirror: a closed or still-open circuit answers at once;
// - verdicts are batched for a few milliseconds and counted in Redis, so
//   failures on every replica add up towards failure_threshold. A success is
//   sent only while the fleet counts a failure streak (or a failure_ratio
//   needs every attempt): a healthy fleet sends Redis nothing per request;
// - the single probe after the open period is claimed in Redis (one replica
//   wins; the others steer around the entry), and only the holder reports it.
// While Redis is unreachable the mirror counts and decides alone, as in
// memory; a circuit opened then is offered to the fleet on re-sync.
import type { Redis } from 'ioredis';
import type { CircuitBreakerPolicy, ModelProvider } from '../../config/types.js';
import { PROBE_LEASE_MS, type CircuitBreakers, type CircuitPhase, type CircuitTransition, type CircuitVerdict } from '../circuitBreakers.js';
import type { MemoryCircuitBreakers } from '../memoryCircuitBreakers.js';
import type { StateLog } from '../stateLink.js';
import type { FleetKeys } from './keys.js';
import type { FleetLink } from './link.js';
import { decodeAnnouncement, decodeClaim, decodeRecordReply, decodeStoredCircuit, decodeStoredStreak, type FleetCircuit, type FleetStreak } from './messages.js';
import { CIRCUIT_ADOPT_SCRIPT, CIRCUIT_CLAIM_SCRIPT, CIRCUIT_PROBE_SCRIPT, CIRCUIT_RECORD_SCRIPT } from './scripts.js';

/** Verdicts are gathered this long before one script counts them: one round trip per entry, not per attempt. */
const BATCH_MS = 5;

interface Batch {
  policy: CircuitBreakerPolicy;
  /** Failures since the last ok in the batch (all of them when there was no ok). */
  trailing: number;
  sawOk: boolean;
  failures: number;
  attempts: number;
}

export class FleetCircuitBreakers implements CircuitBreakers {
  /** The generation of the change each mirrored circuit last applied. */
  private readonly gens = new Map<string, number>();
  /** Whether the fleet counts failures in a row on each entry, and the generation that said so. */
  private readonly streaks = new Map<string, { failing: boolean; gen: number }>();
  /** Entries whose probe this replica holds: its next verdict on them is the probe's result. */
  private readonly probing = new Set<string>();
  /** Entries this replica opened while Redis was unreachable. */
  private readonly openedAlone = new Set<string>();
  private readonly batches = new Map<string, Batch>();
  private flushTimer: NodeJS.Timeout | undefined;
  /** Which Redis dataset the generations belong to. */
  private epoch: string | null = null;

  constructor(
    private readonly mirror: MemoryCircuitBreakers,
    private readonly link: FleetLink,
    private readonly keys: FleetKeys,
    private readonly log: StateLog,
    private readonly now: () => number = Date.now,
  ) {}

  admit(target: ModelProvider, policy: CircuitBreakerPolicy, nowMs: number, atMs = nowMs): boolean | Promise<boolean> {
    if (!policy.enabled) return true;
    const c = this.mirror.state(target.name);
    if (!this.link.connected) {
      const admitted = this.mirror.admit(target, policy, nowMs, atMs);
      if (admitted && c.phase !== 'closed') this.probing.add(target.name);
      return admitted;
    }
    if (c.phase === 'closed') return true;
    if (c.phase === 'open' && atMs < c.untilMs) return false;
    if (c.phase === 'half-open' && nowMs < c.probeUntilMs) return false;
    return this.claim(target.name, c.openMs, nowMs);
  }

  record(target: ModelProvider, policy: CircuitBreakerPolicy, verdict: CircuitVerdict, nowMs: number): CircuitTransition | undefined {
    if (!policy.enabled) return undefined;
    const name = target.name;
    if (this.probing.delete(name)) {
      this.reportProbe(target, policy, verdict, nowMs);
      return undefined;
    }
    if (!this.link.connected) {
      const transition = this.mirror.record(target, policy, verdict, nowMs);
      if (transition === 'opened') this.openedAlone.add(name);
      return transition;
    }
    if (verdict === 'neutral') return undefined;
    const pending = this.batches.get(name);
    // A success only matters to the fleet when it breaks a streak of failures (or a ratio counts it).
    if (verdict === 'ok' && policy.failureRatio === undefined && this.streaks.get(name)?.failing !== true && (pending?.failures ?? 0) === 0) return undefined;
    const batch = pending ?? { policy, trailing: 0, sawOk: false, failures: 0, attempts: 0 };
    this.batches.set(name, batch);
    batch.policy = policy;
    batch.attempts++;
    if (verdict === 'failure') {
      batch.failures++;
      batch.trailing++;
    } else {
      batch.sawOk = true;
      batch.trailing = 0;
    }
    this.flushTimer ??= setTimeout(() => { this.flush(); }, BATCH_MS);
    // Redis decides whether this verdict opens or closes the circuit; the change arrives on the channel.
    return undefined;
  }

  phase(target: ModelProvider): CircuitPhase {
    return this.mirror.phase(target);
  }

  /** A change another replica (or a script run for this one) announced; older ones are ignored. */
  apply(circuit: FleetCircuit): void {
    if (circuit.gen <= (this.gens.get(circuit.name) ?? 0)) return;
    this.gens.set(circuit.name, circuit.gen);
    this.mirror.force(circuit.name, circuit.state);
    // Opening or closing starts the count afresh.
    this.applyStreak({ name: circuit.name, gen: circuit.gen, failing: false });
  }

  /** A failure streak started or ended; older news is ignored. */
  applyStreak(streak: FleetStreak): void {
    if (streak.gen < (this.streaks.get(streak.name)?.gen ?? 0)) return;
    this.streaks.set(streak.name, { failing: streak.failing, gen: streak.gen });
  }

  /**
   * Loads every circuit the fleet knows; a newer generation wins, as for a
   * message. Offers the fleet the circuits this replica opened while apart,
   * and those it holds open that the fleet has forgotten (Redis restarted
   * without persistence).
   */
  async resync(redis: Redis): Promise<{ circuitsLoaded: number; circuitsPushed: number }> {
    // Generations count from 1 again in a Redis that lost its data: the epoch tells.
    await redis.set(this.keys.epoch, this.link.replica, 'NX');
    const epoch = await redis.get(this.keys.epoch);
    if (epoch !== this.epoch) {
      this.gens.clear();
      this.streaks.clear();
      this.epoch = epoch;
    }
    const stored = await redis.hgetall(this.keys.circuits);
    const nowMs = this.now();
    const fleet = new Map<string, FleetCircuit>();
    for (const [name, text] of Object.entries(stored)) {
      const circuit = decodeStoredCircuit(name, text);
      if (circuit !== undefined) fleet.set(name, circuit);
      const streak = decodeStoredStreak(name, text);
      if (streak !== undefined) this.applyStreak(streak);
    }
    const offers = new Map<string, { untilMs: number; openMs: number }>();
    for (const [name, state] of this.mirror.unclosed()) {
      const known = fleet.get(name);
      const overruled = known?.state.phase === 'closed' && this.openedAlone.has(name);
      if (state.phase === 'open' && state.untilMs > nowMs && (known === undefined || overruled)) offers.set(name, state);
      else if (known === undefined) this.mirror.force(name, { phase: 'closed' });
    }
    this.openedAlone.clear();
    for (const circuit of fleet.values()) if (!offers.has(circuit.name)) this.apply(circuit);
    for (const [name, { untilMs, openMs }] of offers) {
      const text = await CIRCUIT_ADOPT_SCRIPT.run(redis, [this.keys.circuits, this.keys.circuitGen], [name, nowMs, untilMs, openMs, this.link.replica, this.keys.channel]);
      const adopted = decodeAnnouncement(text);
      if (adopted !== undefined) this.apply(adopted);
    }
    return { circuitsLoaded: fleet.size, circuitsPushed: offers.size };
  }

  /** Asks the fleet for the probe. Meanwhile this replica's other requests steer around the entry. */
  private async claim(name: string, openMs: number, nowMs: number): Promise<boolean> {
    this.mirror.force(name, { phase: 'half-open', probeUntilMs: nowMs + PROBE_LEASE_MS, openMs });
    const asked = await this.link.ask(
      (redis) => CIRCUIT_CLAIM_SCRIPT.run(redis, [this.keys.circuits, this.keys.circuitGen], [name, nowMs, PROBE_LEASE_MS, this.link.replica, this.keys.channel]),
      (late) => {
        const claim = decodeClaim(late);
        if (claim !== undefined) this.apply(claim.circuit);
      },
    );
    const claim = asked.ok ? decodeClaim(asked.value) : undefined;
    // Redis could not answer in time: this replica probes on its own, as a lone process would.
    if (claim === undefined) {
      this.log.debug({ replica: this.link.replica, model: name, why: asked.ok ? 'unreadable answer' : asked.why }, 'shared state: circuit probe decided alone');
      this.probing.add(name);
      return true;
    }
    // The answer replaces the claim's placeholder, unless a newer change has arrived meanwhile.
    if (claim.circuit.gen >= (this.gens.get(name) ?? 0)) {
      this.gens.set(name, claim.circuit.gen);
      this.mirror.force(name, claim.circuit.state);
    }
    if (claim.claimed) this.probing.add(name);
    // Closed meanwhile (another replica's probe succeeded): no probe is needed.
    return claim.claimed || claim.circuit.state.phase === 'closed';
  }

  private reportProbe(target: ModelProvider, policy: CircuitBreakerPolicy, verdict: CircuitVerdict, nowMs: number): void {
    const alone = (): void => {
      if (this.mirror.record(target, policy, verdict, nowMs) === 'opened') this.openedAlone.add(target.name);
    };
    const sent = this.link.tell(
      (redis) =>
        CIRCUIT_PROBE_SCRIPT.run(redis, [this.keys.circuits, this.keys.circuitGen], [target.name, nowMs, verdict, this.link.replica, policy.maxOpenMs, this.keys.channel]),
      (text) => {
        const result = decodeAnnouncement(text);
        // Not the fleet's probe (claimed alone while Redis was slow): this replica's mirror still learns from it.
        if (result === undefined) alone();
        else this.apply(result);
      },
    );
    if (!sent) alone();
  }

  private flush(): void {
    this.flushTimer = undefined;
    const nowMs = this.now();
    for (const [name, b] of this.batches) {
      const p = b.policy;
      const args = [name, nowMs, b.trailing, b.sawOk ? 1 : 0, b.failures, b.attempts, p.failureThreshold, p.failureRatio ?? -1, p.minRequests, p.windowMs, p.openMs, this.keys.channel, this.link.replica];
      // Lost with the link: a few milliseconds of verdicts, which the mirror then counts afresh.
      this.link.tell(
        (redis) => CIRCUIT_RECORD_SCRIPT.run(redis, [this.keys.circuits, this.keys.circuitGen], args),
        (reply) => {
          const result = decodeRecordReply(name, reply);
          if (result === undefined) return;
          if ('opened' in result) this.apply(result.opened);
          else this.applyStreak(result.streak);
        },
      );
    }
    this.batches.clear();
  }
}
