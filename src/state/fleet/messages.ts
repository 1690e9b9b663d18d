// What replicas tell each other on the channel, and what Redis stores. Every
// text from Redis is read as untrusted: another version of Switchyard, or
// anything else with access to the database, may have written it. A shape
// that does not check out is dropped, never half-applied.
import type { BlockEntry, BlockReason } from '../blockStore.js';
import type { CircuitState } from '../memoryCircuitBreakers.js';

const VERSION = 1;

/** A circuit's state as the fleet last wrote it; `gen` orders the changes. */
export interface FleetCircuit {
  readonly name: string;
  readonly gen: number;
  readonly state: CircuitState;
}

/** Whether the fleet counts consecutive failures on an entry; `gen` orders these as it orders circuits. */
export interface FleetStreak {
  readonly name: string;
  readonly gen: number;
  readonly failing: boolean;
}

export type FleetMessage =
  | { readonly kind: 'block'; readonly origin: string; readonly sentAtMs: number; readonly key: string; readonly entry: BlockEntry }
  | { readonly kind: 'circuit'; readonly origin: string; readonly sentAtMs: number; readonly circuit: FleetCircuit }
  | { readonly kind: 'streak'; readonly origin: string; readonly sentAtMs: number; readonly streak: FleetStreak };

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

function parse(text: string): Json | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Only Retry-After and latency blocks travel; a circuit travels as its own state. */
function readReason(v: unknown): BlockReason | undefined {
  if (!isObject(v)) return undefined;
  if (v['cause'] === 'high-latency') return { cause: 'high-latency' };
  if (v['cause'] === 'retry-after' && typeof v['status'] === 'number' && Number.isInteger(v['status'])) {
    return { cause: 'retry-after', status: v['status'] };
  }
  return undefined;
}

/** The value stored under a block's key. */
export function encodeStoredBlock(entry: BlockEntry): string {
  return JSON.stringify({ u: entry.untilMs, r: entry.reason });
}

export function decodeStoredBlock(text: string): BlockEntry | undefined {
  const v = parse(text);
  const reason = readReason(v?.['r']);
  return v !== undefined && isTime(v['u']) && reason !== undefined ? { untilMs: v['u'], reason } : undefined;
}

export function encodeBlockMessage(origin: string, sentAtMs: number, key: string, entry: BlockEntry): string {
  return JSON.stringify({ v: VERSION, k: 'block', o: origin, t: sentAtMs, key, u: entry.untilMs, r: entry.reason });
}

/** A phase with its times: `u` is the open period's end, or the probe lease's end when half-open. */
function readCircuitState(phase: unknown, until: unknown, openMs: unknown): CircuitState | undefined {
  if (phase === 'closed') return { phase: 'closed' };
  if (!isTime(until) || !isTime(openMs)) return undefined;
  if (phase === 'open') return { phase: 'open', untilMs: until, openMs };
  if (phase === 'half-open') return { phase: 'half-open', probeUntilMs: until, openMs };
  return undefined;
}

/** A circuit as a script announces it (`{n, g, p, u, om}`), or undefined. */
export function decodeCircuit(v: Json): FleetCircuit | undefined {
  const state = readCircuitState(v['p'], v['u'], v['om']);
  const name = v['n'];
  const gen = v['g'];
  if (state === undefined || typeof name !== 'string' || !isTime(gen)) return undefined;
  return { name, gen, state };
}

/** A circuit as stored in the circuits hash (`{g, p, u, o}`). */
export function decodeStoredCircuit(name: string, text: string): FleetCircuit | undefined {
  const v = parse(text);
  if (v === undefined) return undefined;
  const state = readCircuitState(v['p'], v['u'], v['o'] ?? 0);
  const gen = v['g'] ?? 0;
  return state === undefined || !isTime(gen) ? undefined : { name, gen, state };
}

/** A claim's answer: the circuit, and whether this replica now holds its probe. */
export function decodeClaim(text: unknown): { readonly claimed: boolean; readonly circuit: FleetCircuit } | undefined {
  const v = typeof text === 'string' ? parse(text) : undefined;
  const circuit = v === undefined ? undefined : decodeCircuit(v);
  return circuit === undefined || v === undefined ? undefined : { claimed: v['claimed'] === 1, circuit };
}

/** A script's announcement (or nil: nothing changed). */
export function decodeAnnouncement(text: unknown): FleetCircuit | undefined {
  const v = typeof text === 'string' ? parse(text) : undefined;
  return v === undefined ? undefined : decodeCircuit(v);
}

export function decodeMessage(text: string): FleetMessage | undefined {
  const v = parse(text);
  if (v === undefined || v['v'] !== VERSION || typeof v['o'] !== 'string' || !isTime(v['t'])) return undefined;
  const origin = v['o'];
  const sentAtMs = v['t'];
  if (v['k'] === 'block') {
    const reason = readReason(v['r']);
    if (typeof v['key'] !== 'string' || !isTime(v['u']) || reason === undefined) return undefined;
    return { kind: 'block', origin, sentAtMs, key: v['key'], entry: { untilMs: v['u'], reason } };
  }
  if (v['k'] === 'circuit') {
    const circuit = decodeCircuit(v);
    return circuit === undefined ? undefined : { kind: 'circuit', origin, sentAtMs, circuit };
  }
  if (v['k'] === 'streak') {
    if (typeof v['n'] !== 'string' || !isTime(v['g']) || (v['s'] !== 0 && v['s'] !== 1)) return undefined;
    return { kind: 'streak', origin, sentAtMs, streak: { name: v['n'], gen: v['g'], failing: v['s'] === 1 } };
  }
  return undefined;
}

/** The streak a stored circuit holds (a closed circuit with consecutive failures counted). */
export function decodeStoredStreak(name: string, text: string): FleetStreak | undefined {
  const v = parse(text);
  if (v === undefined || typeof v['c'] !== 'number') return undefined;
  const gen = v['sg'] ?? 0;
  return isTime(gen) ? { name, gen, failing: v['c'] > 0 } : undefined;
}

/** What a batch of verdicts came to: an announcement (the circuit opened), the streak, or nothing. */
export function decodeRecordReply(name: string, reply: unknown): { readonly opened: FleetCircuit } | { readonly streak: FleetStreak } | undefined {
  if (Array.isArray(reply) && typeof reply[0] === 'number' && isTime(reply[1])) return { streak: { name, gen: reply[1], failing: reply[0] > 0 } };
  const opened = decodeAnnouncement(reply);
  return opened === undefined ? undefined : { opened };
}
