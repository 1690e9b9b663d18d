// The Redis names one fleet uses, all under its key_prefix. The channel also
// names the database, because Redis pub/sub ignores databases: two fleets on
// db 0 and db 1 with one prefix must not hear each other.

export interface FleetKeys {
  /** Hash: block key → {"u": until ms, "r": reason}. */
  readonly blocks: string;
  /** Hash: entry name → the circuit's state (see scripts.ts). */
  readonly circuits: string;
  /** Set once per dataset: a Redis that lost its data gets a new one, and circuit generations restart. */
  readonly epoch: string;
  /** Counter: each circuit change takes the next generation, so a stale message is recognised. */
  readonly circuitGen: string;
  /** Sorted set: one member per retry in flight, scored by its lease's end (Redis time, ms). */
  readonly retryLeases: string;
  /** Sorted set: the replicas alive, scored by when their heartbeat lapses (Redis time, ms). */
  readonly replicas: string;
  /** Sorted set per block key: recent latency events, scored by time. */
  latency(blockKey: string): string;
  /** Pub/sub channel every change is announced on. */
  readonly channel: string;
}

export function fleetKeys(prefix: string, db: number): FleetKeys {
  return {
    blocks: `${prefix}blocks`,
    circuits: `${prefix}circuits`,
    circuitGen: `${prefix}circuit-gen`,
    epoch: `${prefix}epoch`,
    retryLeases: `${prefix}retry-leases`,
    replicas: `${prefix}replicas`,
    latency: (blockKey) => `${prefix}latency:${blockKey}`,
    channel: `${prefix}events:db${db}`,
  };
}
