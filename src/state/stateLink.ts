// Where the shared state lives and whether the fleet can be reached: read by
// start-up, /readyz, shutdown and (later) status and metrics.

/** The longest a request ever waits on Redis; past it, the replica decides from its own state. */
export const SHARED_STATE_WAIT_MS = 100;

/** The subset of a pino logger the state layer writes to. */
export interface StateLog {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export type SharedStateHealth =
  | { readonly type: 'memory' }
  | {
      readonly type: 'redis';
      /** host:port/db; never the password. */
      readonly endpoint: string;
      /** This replica's name in the fleet. */
      readonly replica: string;
      /** connected: reads mirror the fleet and writes reach it; otherwise this replica decides alone. */
      readonly status: 'connecting' | 'connected' | 'unavailable';
      /** When the status last changed (ms since the epoch). */
      readonly sinceMs: number;
      /** Why the fleet is unreachable, while it is. */
      readonly problem: string | undefined;
    };

export interface StateLink {
  health(): SharedStateHealth;
  /**
   * Resolves once the fleet's state is loaded, or Redis has failed to answer,
   * or `timeoutMs` has passed: a replica never waits on Redis to serve.
   */
  whenSynced(timeoutMs: number): Promise<void>;
  /** Gives back what this replica holds in the fleet (retry slots) and disconnects. */
  close(): Promise<void>;
}

/** The link of a process that shares nothing. */
export const MEMORY_LINK: StateLink = {
  health: () => ({ type: 'memory' }),
  whenSynced: () => Promise.resolve(),
  close: () => Promise.resolve(),
};
