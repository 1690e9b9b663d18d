// One replica's connection to the fleet: a command connection and a
// subscriber connection to Redis, and the rules that keep Redis from ever
// being a single point of failure:
// - `ask` (a retry slot, a probe claim) answers within SHARED_STATE_WAIT_MS,
//   with the value or with why not; the caller then decides alone. After one
//   such timeout, asks fail at once until Redis answers a ping quickly again.
// - `tell` (every other write) never waits; while Redis is unreachable the
//   write stays in the local mirror, to be pushed when the link re-syncs.
// - Redis silent for SLOW_LIMIT_MS, or a connection lost, makes the link
//   unavailable: one warning, reconnection with backoff, then a re-sync
//   (load the fleet's state, push what was learned alone), then one info line.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Redis, type RedisOptions } from 'ioredis';
import type { RedisSharedState } from '../../config/types.js';
import { SHARED_STATE_WAIT_MS, type SharedStateHealth, type StateLog } from '../stateLink.js';
import { reconnectDelayMs } from './reconnectDelay.js';

/** What an ask came to: Redis's answer, or why there is none (the caller then decides alone). */
export type Asked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly why: 'unavailable' | 'timeout' | 'error' };

export interface LinkHandlers {
  /** A message on the fleet's channel (this replica's own included). */
  onMessage(text: string, receivedAtMs: number): void;
  /** Load the fleet's state into the mirrors and push what this replica learned alone; a summary for the log. */
  resync(redis: Redis): Promise<Record<string, number>>;
}

/** A handshake (AUTH, SELECT, INFO) that takes longer than this is given up: the port may not be Redis at all. */
const HANDSHAKE_WAIT_MS = 2_000;
/** A command unanswered this long makes the link unavailable. */
const SLOW_LIMIT_MS = 1_000;
const RESYNC_WAIT_MS = 5_000;
/** Pings a (re)connecting link may try before it calls Redis slow. */
const READY_PINGS = 3;
/** A wait timer this late says more about this process's event loop than about Redis. */
const LATE_TIMER_MS = 50;

const UNAVAILABLE = Object.freeze({ ok: false, why: 'unavailable' } as const);
const TIMED_OUT = Object.freeze({ ok: false, why: 'timeout' } as const);
const FAILED = Object.freeze({ ok: false, why: 'error' } as const);

// How ioredis fails the commands of a connection that went away.
const CONNECTION_LOST = /Connection is closed|Stream isn't writeable|enableOfflineQueue|max retries per request|ECONNRESET|EPIPE/;

// Problems that waiting will not fix: the operator has to change the URL or the server.
const MISCONFIGURED = /WRONGPASS|NOAUTH|NOPERM|DB index|not speak Redis|handshake/;

function describe(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.startsWith('Unknown RESP type') ? `the server does not speak Redis (${message})` : message;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

/** Rejects when `p` has not settled within ms. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => { reject(new Error(`${what}: no answer within ${ms} ms`)); }, ms);
  });
  return Promise.race([p, late]).finally(() => { clearTimeout(timer); });
}

function redisOptions(replica: string): RedisOptions {
  return {
    lazyConnect: true,
    // A command while disconnected fails at once rather than queueing: its caller decides alone.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    connectTimeout: HANDSHAKE_WAIT_MS,
    retryStrategy: (attempt: number) => reconnectDelayMs(attempt),
    connectionName: `switchyard:${replica}`,
  };
}

export class FleetLink {
  /** This replica's name in the fleet: host, pid and a random tag, so a restarted process is a new replica. */
  readonly replica = `${hostname()}#${process.pid}#${randomBytes(3).toString('hex')}`;
  private status: 'connecting' | 'connected' | 'unavailable' = 'connecting';
  private sinceMs: number;
  private problem: string | undefined;
  /** The last error a connection reported since it was last ready; a 'close' alone says less. */
  private lastError: string | undefined;
  private readonly logged = new Set<string>();
  private wary = false;
  private closed = false;
  private recovering = false;
  private wake: (() => void) | undefined;
  private syncedWaiters: (() => void)[] = [];
  private readonly cmd: Redis;
  private readonly sub: Redis;

  constructor(
    private readonly settings: RedisSharedState,
    private readonly channel: string,
    private readonly log: StateLog,
    private readonly now: () => number = Date.now,
  ) {
    this.sinceMs = now();
    this.cmd = new Redis(settings.url, redisOptions(this.replica));
    this.sub = new Redis(settings.url, redisOptions(this.replica));
  }

  start(handlers: LinkHandlers): void {
    for (const client of [this.cmd, this.sub]) {
      client.on('error', (err: unknown) => {
        let reason = describe(err);
        // Connected, then dropped before the handshake finished: not a Redis, or one that wants TLS.
        if (client.status === 'connect' && /ECONNRESET|EPIPE/.test(reason)) {
          reason = `the server closed the connection during the handshake (${reason}): is this port a Redis server, and does it need rediss://?`;
        }
        // A diagnosis (wrong password, not Redis) is kept over the socket errors that follow it.
        if (this.lastError === undefined || !MISCONFIGURED.test(this.lastError)) this.lastError = reason;
      });
      client.on('close', () => {
        this.lost(this.lastError ?? 'the connection to Redis closed');
      });
      // A server that accepts and then says nothing would leave the handshake waiting forever.
      let handshake: NodeJS.Timeout | undefined;
      client.on('connect', () => {
        clearTimeout(handshake);
        handshake = setTimeout(() => {
          if (client.status !== 'connect') return;
          this.lastError = `no answer to the handshake within ${HANDSHAKE_WAIT_MS} ms: is this port a Redis server?`;
          // Closed at once (disconnect() would wait for a goodbye this server never sends); ioredis reconnects.
          client.stream.destroy();
        }, HANDSHAKE_WAIT_MS);
        handshake.unref();
      });
      client.on('ready', () => {
        clearTimeout(handshake);
        this.lastError = undefined;
        this.wake?.();
      });
    }
    this.sub.on('message', (channel: string, text: string) => {
      if (channel === this.channel) handlers.onMessage(text, this.now());
    });
    for (const client of [this.cmd, this.sub]) client.connect().catch(() => undefined); // retried by ioredis; 'error' says why
    void this.recover(handlers);
  }

  get connected(): boolean {
    return this.status === 'connected';
  }

  health(): SharedStateHealth {
    return { type: 'redis', endpoint: this.settings.endpoint, replica: this.replica, status: this.status, sinceMs: this.sinceMs, problem: this.problem };
  }

  whenSynced(timeoutMs: number): Promise<void> {
    if (this.status !== 'connecting') return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.syncedWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /**
   * Sends a command whose answer a request waits for, at most
   * SHARED_STATE_WAIT_MS. An answer that comes later goes to `late`, so the
   * caller can undo what it no longer wants (a retry slot it did not use).
   */
  ask<T>(send: (redis: Redis) => Promise<T>, late?: (value: T) => void): Promise<Asked<T>> {
    if (this.status !== 'connected' || this.wary) return Promise.resolve(UNAVAILABLE);
    return new Promise((resolve) => {
      let waiting = true;
      const due = performance.now() + SHARED_STATE_WAIT_MS;
      const timer = setTimeout(() => {
        // The answer may already be in the socket, unread because this process was busy:
        // it is read before setImmediate runs, so only an answer that has not come times out.
        setImmediate(() => {
          if (!waiting) return;
          waiting = false;
          resolve(TIMED_OUT);
          // A timer that fired late means this process was busy, not that Redis was slow.
          if (performance.now() - due < LATE_TIMER_MS) this.becomeWary();
        });
      }, SHARED_STATE_WAIT_MS);
      send(this.cmd).then(
        (value) => {
          clearTimeout(timer);
          if (waiting) {
            waiting = false;
            resolve({ ok: true, value });
          } else {
            late?.(value);
          }
        },
        (err: unknown) => {
          clearTimeout(timer);
          if (waiting) {
            waiting = false;
            resolve(FAILED);
          }
          this.commandFailed(err);
        },
      );
    });
  }

  /**
   * Sends a write nobody waits for; `then` gets its answer. Returns false
   * when the link is not connected and nothing was sent.
   */
  tell<T>(send: (redis: Redis) => Promise<T>, then?: (value: T) => void): boolean {
    if (this.status !== 'connected') return false;
    // A write Redis leaves unanswered is how a frozen server shows when nobody asks.
    const timer = setTimeout(() => { this.becomeWary(); }, SLOW_LIMIT_MS).unref();
    send(this.cmd).then(
      (value) => {
        clearTimeout(timer);
        then?.(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        this.commandFailed(err);
      },
    );
    return true;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    await Promise.race([Promise.allSettled([this.cmd.quit(), this.sub.quit()]), sleep(500)]);
    this.cmd.disconnect();
    this.sub.disconnect();
  }

  /** An ask timed out: asks fail at once until a ping comes back quickly, or the link is declared unavailable. */
  private becomeWary(): void {
    if (this.wary || this.status !== 'connected') return;
    this.wary = true;
    this.log.debug({ redis: this.settings.endpoint }, 'shared state: Redis is slow; requests stop waiting for it');
    void (async () => {
      while (this.wary && this.status === 'connected' && !this.closed) {
        const sent = this.now();
        try {
          await within(this.cmd.ping(), SLOW_LIMIT_MS, 'PING');
        } catch (err) {
          this.lost(err instanceof Error && err.message.includes('no answer') ? `Redis did not answer for ${SLOW_LIMIT_MS} ms` : describe(err));
          return;
        }
        if (this.now() - sent <= SHARED_STATE_WAIT_MS) this.wary = false;
        else await sleep(50);
      }
    })();
  }

  private commandFailed(err: unknown): void {
    const reason = describe(err);
    // A connection that went away reports through 'close' (its pending commands fail after it); anything else is worth one line.
    if (this.status !== 'connected' || CONNECTION_LOST.test(reason) || this.logged.has(reason)) return;
    this.logged.add(reason);
    this.log.warn({ redis: this.settings.endpoint, err: reason }, 'a shared-state command failed');
  }

  /** The fleet became unreachable (or never was): decide alone, say so once, and start reconnecting. */
  private lost(reason: string): void {
    if (this.closed) return;
    if (this.status === 'unavailable') {
      if (reason !== this.problem) this.log.debug({ redis: this.settings.endpoint, reason }, 'shared state still unavailable');
      this.problem = reason;
      return;
    }
    const first = this.status === 'connecting';
    this.status = 'unavailable';
    this.sinceMs = this.now();
    this.problem = reason;
    this.wary = false;
    const fields = { redis: this.settings.endpoint, replica: this.replica, reason };
    const what = first ? 'shared state unavailable at start-up' : 'shared state unavailable';
    if (MISCONFIGURED.test(reason)) this.log.error({ ...fields, hint: 'check switchyard.shared_state.url and the server' }, `${what}; serving from local state`);
    else this.log.warn(fields, `${what}; serving from local state until Redis answers`);
    this.releaseWaiters();
    this.wake?.();
  }

  private connectedNow(summary: Record<string, number>): void {
    const offlineMs = this.now() - this.sinceMs;
    const first = this.status === 'connecting';
    this.status = 'connected';
    this.sinceMs = this.now();
    this.problem = undefined;
    this.lastError = undefined;
    this.wary = false;
    const fields = { redis: this.settings.endpoint, replica: this.replica, ...summary };
    if (first) this.log.info(fields, 'shared state connected');
    else this.log.info({ ...fields, offlineMs }, 'shared state reconnected; re-synced');
    this.releaseWaiters();
  }

  private releaseWaiters(): void {
    const waiters = this.syncedWaiters;
    this.syncedWaiters = [];
    for (const w of waiters) w();
  }

  /** Until connected: wait for both connections, check the server, subscribe, re-sync. */
  private async recover(handlers: LinkHandlers): Promise<void> {
    if (this.recovering) return;
    this.recovering = true;
    try {
      for (let attempt = 1; !this.closed; attempt++) {
        if (this.status !== 'connected') {
          const problem = await this.trySync(handlers);
          if (problem === undefined) attempt = 0;
          else if (problem !== '') this.lost(problem);
        }
        // Sleeps until the next try, or until a connection becomes ready or is lost.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.status === 'connected' ? 60_000 : reconnectDelayMs(attempt));
          timer.unref();
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = undefined;
      }
    } finally {
      this.recovering = false;
    }
  }

  /**
   * undefined when one of a few pings comes back within SHARED_STATE_WAIT_MS; else the quickest
   * round trip. One slow ping may be this process or a busy host rather than Redis.
   */
  private async quickestPing(): Promise<number | undefined> {
    let quickest = Infinity;
    for (let i = 0; i < READY_PINGS; i++) {
      const sent = this.now();
      await within(this.cmd.ping(), SLOW_LIMIT_MS, 'PING');
      quickest = Math.min(quickest, this.now() - sent);
      if (quickest <= SHARED_STATE_WAIT_MS) return undefined;
    }
    return quickest;
  }

  /** undefined: connected; '': not ready yet (ioredis is reconnecting); else what is wrong. */
  private async trySync(handlers: LinkHandlers): Promise<string | undefined> {
    if (this.cmd.status !== 'ready' || this.sub.status !== 'ready') return '';
    try {
      // ioredis reports a failed SELECT as an event and carries on in db 0: check it here.
      await within(this.cmd.select(this.settings.db), SLOW_LIMIT_MS, 'SELECT');
      const slowest = await this.quickestPing();
      if (slowest !== undefined) return `Redis answers slowly (${slowest} ms)`;
      // Subscribed before loading, so no change made in between is missed.
      await within(this.sub.subscribe(this.channel), RESYNC_WAIT_MS, 'SUBSCRIBE');
      const summary = await within(handlers.resync(this.cmd), RESYNC_WAIT_MS, 'loading the fleet state');
      this.connectedNow(summary);
      return undefined;
    } catch (err) {
      return describe(err);
    }
  }
}
