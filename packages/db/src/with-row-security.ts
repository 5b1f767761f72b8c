import pg from 'pg';
import { type Db, poolOf, statementName } from './client.ts';
import { Prisma } from './generated/prisma/client.ts';

/** Who a transaction reads for: 'read' sees documents granted to `roleIds`; 'manage' sees everything. */
export type RowSecurity = { mode: 'read' | 'manage'; roleIds: readonly string[] };

export type RowSecurityOptions = {
  /** Milliseconds before the transaction is aborted (default 10 s). Keep it short on the embedded
   * database: an open transaction blocks every other connection. Never hold one while a model generates. */
  timeout?: number;
  /** Milliseconds to wait for a connection to start the transaction (default 10 s). */
  maxWait?: number;
  /**
   * More transaction-local settings (name to value), made in the same round trip as the scope, before
   * `fn`'s first statement is planned (e.g. jit off for statements the planner costs high but runs fast).
   */
  settings?: Readonly<Record<string, string>>;
};

/**
 * The transaction-local settings of a governed transaction, in order: the application role (superusers
 * and owners would bypass the policies; setting 'role' is SET LOCAL ROLE, with the same membership check),
 * then the scope the policies read, then the caller's own.
 */
function scopeSettings(security: RowSecurity, options: RowSecurityOptions): [string, string][] {
  return [
    ['role', 'clearance_app'],
    ['clearance.mode', security.mode],
    ['clearance.role_ids', `{${security.roleIds.join(',')}}`],
    ...Object.entries(options.settings ?? {}),
  ];
}

/**
 * Runs `fn` in a transaction under the row-level-security policies of the governance migration: as the
 * application role with the scope in transaction-local settings. The one place those settings are
 * written; auth's withScope/withManage and retrieval build on it.
 */
export function withRowSecurity<T>(
  db: Db,
  security: RowSecurity,
  fn: (tx: Prisma.TransactionClient) => Promise<T>,
  options: RowSecurityOptions = {},
): Promise<T> {
  return db.$transaction(
    async (tx) => {
      // set_config(..., true) is SET LOCAL with bound parameters: the values can't inject SQL. All in one
      // round trip: a search's statements are ~1 ms each, so every round trip saved counts (bench:retrieval).
      const assignments = scopeSettings(security, options).map(
        ([name, value]) => Prisma.sql`set_config(${name}, ${value}, true)`,
      );
      await tx.$queryRaw`SELECT ${Prisma.join(assignments)}`;
      return fn(tx);
    },
    { timeout: options.timeout ?? 10_000, maxWait: options.maxWait ?? 10_000 },
  );
}

/** Raw statements in a governed transaction: Prisma's tagged template in, rows as node-postgres parses them. */
export type RawQueryClient = {
  $queryRaw<T = unknown>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): PromiseLike<T>;
};

/**
 * withRowSecurity for a transaction of raw statements only (`$queryRaw`), run on createDb's pool without
 * Prisma's transaction machinery: a search's seven round trips cost ~4.5 ms through Prisma against ~1 ms
 * on the driver (p50; p95 19 vs 9 ms on a loaded machine), and BEGIN goes with the scope settings in one
 * message. The same settings, the same policies: only the client differs. `timeout` bounds each statement
 * (statement_timeout); falls back to withRowSecurity for a client createDb did not make, or one
 * disconnected since.
 */
export async function withRowSecurityQueries<T>(
  db: Db,
  security: RowSecurity,
  fn: (tx: RawQueryClient) => Promise<T>,
  options: RowSecurityOptions = {},
): Promise<T> {
  const raw = poolOf(db);
  // After $disconnect (which ends the pool Prisma connected through) Prisma opens a pool of its own.
  if (!raw || raw.pool.ending) return withRowSecurity(db, security, fn, options);
  const client = await raw.pool.connect();
  let broken = false;
  try {
    const settings = { ...options.settings, statement_timeout: String(options.timeout ?? 10_000) };
    // A simple-protocol message may hold several statements; the values are escaped by the driver.
    const assignments = scopeSettings(security, { settings }).map(
      ([name, value]) => `set_config(${pg.escapeLiteral(name)}, ${pg.escapeLiteral(value)}, true)`,
    );
    await client.query(`BEGIN; SELECT ${assignments.join(', ')}`);
    const result = await fn({
      $queryRaw: async <R>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) => {
        const sql = query instanceof Prisma.Sql ? query : Prisma.sql(query, ...values);
        const name = statementName(sql.text, raw.isPostgres());
        const { rows } = await client.query({ name: name || undefined, text: sql.text, values: sql.values });
        return rows as R;
      },
    });
    await client.query('COMMIT');
    return result;
  } catch (error) {
    // A connection that cannot even roll back is discarded rather than returned to the pool.
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}
