// The Postgres schema for stored responses, as numbered migrations applied in
// order at start-up (and when a database that was down comes back). Each runs
// in its own transaction under an advisory lock, so replicas starting together
// apply each migration once. A migration is never edited once released: a
// change is a new one at the end.
import type { PoolClient } from 'pg';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'responses',
    sql: `
      CREATE TABLE switchyard_responses (
        id            text PRIMARY KEY,
        tenant        text NOT NULL,
        previous_id   text,
        input         jsonb NOT NULL,
        response      jsonb NOT NULL,
        created_at_ms bigint NOT NULL,
        expires_at_ms bigint NOT NULL
      );
      CREATE INDEX switchyard_responses_expiry ON switchyard_responses (expires_at_ms);
    `,
  },
];

/** Any constant: it only has to differ from other applications' advisory locks on the same database. */
const MIGRATION_LOCK = 0x5717c4;

/** Applies the migrations the database lacks; returns the versions applied. */
export async function migrate(client: PoolClient): Promise<number[]> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    await client.query('CREATE TABLE IF NOT EXISTS switchyard_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    const done = await client.query<{ version: number }>('SELECT version FROM switchyard_migrations');
    const have = new Set(done.rows.map((r) => r.version));
    const applied: number[] = [];
    for (const m of MIGRATIONS) {
      if (have.has(m.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO switchyard_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
      applied.push(m.version);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  }
}
