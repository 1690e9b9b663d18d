// Conversations in Postgres (state_storage type postgres): they survive a
// restart and every replica sees them. Reached through node-postgres's pool.
//
// A database that is down never takes the gateway with it. The store tracks
// its health: the first operation that cannot reach the database marks it
// unavailable, requests that need it are then answered 503 at once (the
// handler asks health() before calling any provider), and a probe every
// second brings it back (applying any pending migration first). Operations
// time out rather than hang on a frozen server.
import pg from 'pg';
import { migrate } from './migrations.js';
import { found, type ConversationStore, type StoreHealth, type StoreResult, type StoredResponse } from './record.js';

/** How long one operation may take, connecting included. */
const OPERATION_TIMEOUT_MS = 5_000;
const CONNECT_TIMEOUT_MS = 2_000;
const PROBE_INTERVAL_MS = 1_000;
/** Expired rows are deleted at most this often. */
const SWEEP_INTERVAL_MS = 60_000;
/** A chain longer than this is not followed (it would be a loop or an abuse). */
const MAX_CHAIN = 10_000;

interface Row {
  id: string;
  tenant: string;
  previous_id: string | null;
  input: unknown[];
  response: StoredResponse['response'];
  created_at_ms: string;
  expires_at_ms: string;
}

/** The subset of a pino logger used here. */
export interface StoreLog {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

const COLUMNS = 'id, tenant, previous_id, input, response, created_at_ms, expires_at_ms';

const CHAIN_SQL = `
  WITH RECURSIVE chain AS (
    SELECT ${COLUMNS}, 1 AS depth FROM switchyard_responses WHERE id = $1
    UNION ALL
    SELECT r.id, r.tenant, r.previous_id, r.input, r.response, r.created_at_ms, r.expires_at_ms, c.depth + 1
      FROM switchyard_responses r JOIN chain c ON r.id = c.previous_id
     WHERE c.depth < ${MAX_CHAIN}
  )
  SELECT ${COLUMNS} FROM chain ORDER BY depth DESC`;

function toRecord(row: Row): StoredResponse {
  return { id: row.id, tenant: row.tenant, previousId: row.previous_id, input: row.input, response: row.response, createdAtMs: Number(row.created_at_ms) };
}

export class PostgresConversationStore implements ConversationStore {
  readonly type = 'postgres';
  private readonly pool: pg.Pool;
  private state: StoreHealth | 'connecting' = 'connecting';
  private probing: NodeJS.Timeout | undefined;
  private lastSweepMs = 0;
  private closed = false;

  constructor(
    connectionString: string,
    private readonly ttlMs: number,
    private readonly log: StoreLog,
  ) {
    this.pool = new pg.Pool({
      connectionString,
      max: 10,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      query_timeout: OPERATION_TIMEOUT_MS,
      idleTimeoutMillis: 30_000,
    });
    // An idle client that loses its server must not crash the process.
    this.pool.on('error', (err) => { this.down(err); });
  }

  /** Connects and migrates; resolves either way (a database that is down is probed until it comes). */
  async open(): Promise<void> {
    if (await this.connect()) return;
    this.startProbing();
  }

  health(): StoreHealth {
    return this.state === 'ok' ? 'ok' : 'unavailable';
  }

  async chain(id: string, tenant: string, nowMs: number): Promise<StoreResult<readonly StoredResponse[] | undefined>> {
    return this.run(async () => {
      const rows = (await this.pool.query<Row>(CHAIN_SQL, [id])).rows;
      const complete = rows.length > 0 && rows[0]?.previous_id === null;
      if (!complete || rows.some((r) => r.tenant !== tenant || Number(r.expires_at_ms) <= nowMs)) return undefined;
      // Reading a conversation keeps it alive: every link lives another TTL.
      await this.pool.query('UPDATE switchyard_responses SET expires_at_ms = GREATEST(expires_at_ms, $2) WHERE id = ANY($1)', [rows.map((r) => r.id), nowMs + this.ttlMs]);
      return rows.map(toRecord);
    });
  }

  async get(id: string, tenant: string, nowMs: number): Promise<StoreResult<StoredResponse | undefined>> {
    return this.run(async () => {
      const row = (await this.pool.query<Row>(`SELECT ${COLUMNS} FROM switchyard_responses WHERE id = $1 AND tenant = $2 AND expires_at_ms > $3`, [id, tenant, nowMs])).rows[0];
      return row === undefined ? undefined : toRecord(row);
    });
  }

  async save(record: StoredResponse, ancestors: readonly string[], nowMs: number): Promise<StoreResult<true>> {
    const expires = nowMs + this.ttlMs;
    const result = await this.run(async () => {
      await this.pool.query(
        `INSERT INTO switchyard_responses (${COLUMNS}) VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7)`,
        [record.id, record.tenant, record.previousId, JSON.stringify(record.input), JSON.stringify(record.response), record.createdAtMs, expires],
      );
      if (ancestors.length > 0) {
        await this.pool.query('UPDATE switchyard_responses SET expires_at_ms = GREATEST(expires_at_ms, $2) WHERE id = ANY($1)', [ancestors, expires]);
      }
      return true as const;
    });
    if (result.ok && nowMs - this.lastSweepMs > SWEEP_INTERVAL_MS) {
      this.lastSweepMs = nowMs;
      void this.run(() => this.pool.query('DELETE FROM switchyard_responses WHERE expires_at_ms <= $1', [nowMs]));
    }
    return result;
  }

  async delete(id: string, tenant: string, nowMs: number): Promise<StoreResult<boolean>> {
    return this.run(async () => {
      const r = await this.pool.query('DELETE FROM switchyard_responses WHERE id = $1 AND tenant = $2 AND expires_at_ms > $3', [id, tenant, nowMs]);
      return (r.rowCount ?? 0) > 0;
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.probing);
    await this.pool.end();
  }

  /** Runs one operation; a failure to reach the database marks the store unavailable. */
  private async run<T>(op: () => Promise<T>): Promise<StoreResult<T>> {
    try {
      return found(await op());
    } catch (err) {
      this.down(err);
      return { ok: false, message: 'the conversation state storage (Postgres) is unavailable' };
    }
  }

  private down(err: unknown): void {
    if (this.state !== 'unavailable') this.log.warn({ err: (err as Error).message }, 'state storage unavailable');
    this.state = 'unavailable';
    this.startProbing();
  }

  private async connect(): Promise<boolean> {
    try {
      const client = await this.pool.connect();
      try {
        const applied = await migrate(client);
        if (applied.length > 0) this.log.info({ applied }, 'state storage migrated');
      } finally {
        client.release();
      }
      if (this.state !== 'ok') this.log.info({}, 'state storage connected');
      this.state = 'ok';
      return true;
    } catch (err) {
      this.down(err);
      return false;
    }
  }

  private startProbing(): void {
    if (this.probing !== undefined || this.closed) return;
    const probe = (): void => {
      this.probing = setTimeout(() => {
        void this.connect().then((ok) => {
          this.probing = undefined;
          if (!ok && !this.closed) probe();
        });
      }, PROBE_INTERVAL_MS);
      this.probing.unref();
    };
    probe();
  }
}
