// Conversations in this process's memory: state_storage type memory, the
// default. Bounded two ways: at most maxEntries responses (the least recently
// used goes first), and each forgotten ttl after its last use (a turn that
// continues a conversation renews every link of it). Lost on restart.
import type { ConversationStore, StoreResult, StoredResponse } from './record.js';
import { found } from './record.js';

interface Entry {
  readonly record: StoredResponse;
  expiresAtMs: number;
}

export class MemoryConversationStore implements ConversationStore {
  readonly type = 'memory';
  /** Insertion order is recency order: a use moves an entry to the end. */
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  /** The live entry of this tenant, renewed; undefined otherwise. */
  private use(id: string, tenant: string, nowMs: number): Entry | undefined {
    const entry = this.entries.get(id);
    if (entry === undefined) return undefined;
    if (entry.expiresAtMs <= nowMs) {
      this.entries.delete(id);
      return undefined;
    }
    if (entry.record.tenant !== tenant) return undefined;
    this.entries.delete(id);
    this.entries.set(id, entry);
    entry.expiresAtMs = Math.max(entry.expiresAtMs, nowMs + this.ttlMs);
    return entry;
  }

  chain(id: string, tenant: string, nowMs: number): Promise<StoreResult<readonly StoredResponse[] | undefined>> {
    const chain: StoredResponse[] = [];
    const seen = new Set<string>();
    for (let at: string | null = id; at !== null; ) {
      if (seen.has(at)) return Promise.resolve(found(undefined));
      seen.add(at);
      const entry = this.use(at, tenant, nowMs);
      if (entry === undefined) return Promise.resolve(found(undefined));
      chain.push(entry.record);
      at = entry.record.previousId;
    }
    return Promise.resolve(found(chain.reverse()));
  }

  get(id: string, tenant: string, nowMs: number): Promise<StoreResult<StoredResponse | undefined>> {
    return Promise.resolve(found(this.use(id, tenant, nowMs)?.record));
  }

  save(record: StoredResponse, ancestors: readonly string[], nowMs: number): Promise<StoreResult<true>> {
    const expiresAtMs = nowMs + this.ttlMs;
    for (const id of ancestors) {
      const entry = this.entries.get(id);
      if (entry !== undefined) entry.expiresAtMs = Math.max(entry.expiresAtMs, expiresAtMs);
    }
    this.entries.delete(record.id);
    this.entries.set(record.id, { record, expiresAtMs });
    this.evict(nowMs);
    return Promise.resolve(found(true));
  }

  delete(id: string, tenant: string, nowMs: number): Promise<StoreResult<boolean>> {
    const entry = this.use(id, tenant, nowMs);
    if (entry !== undefined) this.entries.delete(id);
    return Promise.resolve(found(entry !== undefined));
  }

  health(): 'ok' {
    return 'ok';
  }

  close(): Promise<void> {
    this.entries.clear();
    return Promise.resolve();
  }

  /** Responses held now. */
  get size(): number {
    return this.entries.size;
  }

  private evict(nowMs: number): void {
    for (const [id, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && entry.expiresAtMs > nowMs) break;
      this.entries.delete(id);
    }
  }
}
