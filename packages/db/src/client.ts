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

const globalForDb = globalThis as unknown as { clearanceDb?: Db };

/**
 * The process-wide client, created on first use from DATABASE_URL or the embedded server. Cached on
 * globalThis so Next.js dev reloads don't open a new pool per reload.
 */
export function getDb(): Db {
  globalForDb.clearanceDb ??= createDb(resolveDatabaseUrl());
  return globalForDb.clearanceDb;
}
