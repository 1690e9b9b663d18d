// One stored response: the gateway's own record of a turn, in the Responses
// API's item form, whichever provider answered it. A conversation is the
// chain of records linked by previousId; the history a later turn is sent is
// rebuilt from it (history.ts), never from a provider's stored state.
import type { ResponsesObject } from '../../dialects/index.js';

export interface StoredResponse {
  /** The gateway's id: the one the client was given. */
  readonly id: string;
  /** Who may read it: the client key's digest ('' when no client keys are configured). */
  readonly tenant: string;
  /** The turn this one continued, or null for the first. */
  readonly previousId: string | null;
  /** This turn's own input items (a string input stored as the user message it stands for). */
  readonly input: readonly unknown[];
  /** The Response the client received, output items included. */
  readonly response: ResponsesObject;
  readonly createdAtMs: number;
}

/** Why a store could not answer; a missing record is not an error but an empty answer. */
export interface StoreUnavailable {
  readonly ok: false;
  readonly message: string;
}

export type StoreResult<T> = { readonly ok: true; readonly value: T } | StoreUnavailable;

export const found = <T>(value: T): StoreResult<T> => ({ ok: true, value });

export type StoreHealth = 'ok' | 'unavailable';

/**
 * Where conversations are kept. Every read answers "not found" alike for an id
 * that was never stored, that expired, that was deleted, or that belongs to
 * another tenant, so an answer never reveals that another tenant's exists.
 */
export interface ConversationStore {
  readonly type: 'memory' | 'postgres';
  /**
   * The conversation ending at `id`, oldest first, or undefined when any link
   * is missing (a partial history would silently change the conversation).
   * Reading it keeps every link alive for another TTL.
   */
  chain(id: string, tenant: string, nowMs: number): Promise<StoreResult<readonly StoredResponse[] | undefined>>;
  get(id: string, tenant: string, nowMs: number): Promise<StoreResult<StoredResponse | undefined>>;
  /** Stores a turn; `ancestors` (its chain's ids) live at least as long as it. */
  save(record: StoredResponse, ancestors: readonly string[], nowMs: number): Promise<StoreResult<true>>;
  /** Whether a record was deleted. */
  delete(id: string, tenant: string, nowMs: number): Promise<StoreResult<boolean>>;
  /** What the last operation (or probe) found: a store known to be down is not asked. */
  health(): StoreHealth;
  close(): Promise<void>;
}
