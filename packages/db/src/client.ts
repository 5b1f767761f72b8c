import { createHash } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { resolveDatabaseUrl } from './database-url.ts';
import { Prisma, PrismaClient } from './generated/prisma/client.ts';

export type Db = PrismaClient;

/** Connection settings shared by Prisma and raw pg pools. */
export function poolConfig(url: string, max = 10): pg.PoolConfig {
  return {
    connectionString: url,
    max,
    // Fail fast when the database is down instead of hanging a request: users get a clear error in seconds.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  };
}

const PREPARED_MARK = '/* clearance:prepared */';

/**
 * Opens a raw statement that createDb keeps prepared on each PostgreSQL connection, named by its text:
 * the server parses it once per connection and, once its generic plan is no worse than a custom one,
 * stops planning it. For hot statements only (search), whose text is fixed and whose values are all
 * bound: every distinct text stays in the server session's memory for the connection's life.
 */
export const PREPARED = Prisma.raw(`${PREPARED_MARK}\n`);

/** What createDb keeps beside a client for withRowSecurityQueries: its pool and the server's kind. */
export type DbPool = { pool: pg.Pool; isPostgres: () => boolean };
const pools = new WeakMap<Db, DbPool>();

/** The pool under a client made by createDb (undefined for any other client). */
export function poolOf(db: Db): DbPool | undefined {
  return pools.get(db);
}

const names = new Map<string, string>();

/**
 * The name a statement is kept prepared under, or '' (the protocol's unnamed statement, parsed and planned
 * afresh on every run) for statements not marked PREPARED and on PGlite, whose socket connections share
 * one session, where one connection's statement names collide with another's.
 */
export function statementName(sql: string, isPostgres: boolean): string {
  if (!isPostgres || !sql.startsWith(PREPARED_MARK)) return '';
  let name = names.get(sql);
  if (!name) {
    name = `clearance_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;
    names.set(sql, name);
  }
  return name;
}

/** A Prisma client over node-postgres for `url` (the embedded server or any PostgreSQL 15+ with pgvector). */
export function createDb(url: string, options: { max?: number } = {}): Db {
  // Decided on the pool's first connection, before any statement runs on it.
  let isPostgres = false;
  const pool = new pg.Pool({
    ...poolConfig(url, options.max),
    onConnect: async (client: pg.ClientBase) => {
      const { rows } = await client.query<{ version: string }>('SELECT version() AS version');
      isPostgres = !rows[0]?.version.includes('PGlite');
    },
    // withRowSecurityQueries may use the pool before Prisma ever connects (and then $disconnect has
    // nothing to dispose): idle connections must not keep a finished process alive.
    allowExitOnIdle: true,
  });
  // An idle connection's error (a restarted server, a terminated backend) only drops it from the pool;
  // unhandled, it would crash the process. Queries on a checked-out connection still get their error.
  pool.on('error', () => {});
  const adapter = new PrismaPg(pool, {
    disposeExternalPool: true,
    statementNameGenerator: ({ sql }) => statementName(sql, isPostgres),
  });
  const db = new PrismaClient({ adapter });
  pools.set(db, { pool, isPostgres: () => isPostgres });
  return db;
}

// Prisma driver-adapter error kinds that mean "no usable connection", not "this query is wrong".
const UNAVAILABLE_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
]);
// Prisma's own codes for the same: can't reach, timed out, server closed the connection, pool timeout.
const UNAVAILABLE_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1017', 'P2024']);
// SQLSTATE class 57 (operator intervention: shutdown, crash, still starting) and 08 (connection exception).
const UNAVAILABLE_SQLSTATE = /^(57P0[1-3]|08...)$/;
const UNAVAILABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE']);
// node-postgres says these in plain Error messages (no code) when the server goes away or never answers.
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Can't reach database server/;

type ErrorShape = {
  code?: unknown;
  kind?: unknown;
  message?: unknown;
  cause?: unknown;
  meta?: { driverAdapterError?: { cause?: { kind?: unknown; code?: unknown } } };
};

/**
 * Whether `error` (from Prisma, its pg adapter or node-postgres) means the database is down, restarting
 * or unreachable, as opposed to a failing query: callers answer these with "try again" (503), not a bug.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const shape = current as ErrorShape;
    const adapterCause = shape.meta?.driverAdapterError?.cause;
    const kind = adapterCause?.kind ?? shape.kind;
    const sqlState = adapterCause?.code ?? shape.code;
    if (typeof kind === 'string' && UNAVAILABLE_KINDS.has(kind)) return true;
    if (typeof sqlState === 'string' && UNAVAILABLE_SQLSTATE.test(sqlState)) return true;
    if (typeof shape.code === 'string' && UNAVAILABLE_PRISMA_CODES.has(shape.code)) return true;
    if (typeof shape.code === 'string' && UNAVAILABLE_SOCKET_CODES.has(shape.code)) return true;
    if (typeof shape.message === 'string' && UNAVAILABLE_MESSAGES.test(shape.message)) return true;
    current = shape.cause;
  }
  return false;
}

const globalForDb = globalThis as unknown as { clearanceDb?: Db };

/**
 * The process-wide client, created on first use from DATABASE_URL or the embedded server. Cached on
 * globalThis so Next.js dev reloads don't open a new pool per reload.
 */
export function getDb(): Db {
  globalForDb.clearanceDb ??= createDb(resolveDatabaseUrl());
  return globalForDb.clearanceDb;
}
