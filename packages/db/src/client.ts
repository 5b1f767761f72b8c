import { PrismaPg } from '@prisma/adapter-pg';
import type pg from 'pg';
import { resolveDatabaseUrl } from './database-url.ts';
import { PrismaClient } from './generated/prisma/client.ts';

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

/** A Prisma client over node-postgres for `url` (the embedded server or any PostgreSQL 15+ with pgvector). */
export function createDb(url: string, options: { max?: number } = {}): Db {
  const adapter = new PrismaPg(poolConfig(url, options.max));
  return new PrismaClient({ adapter });
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
