import { inject } from 'vitest';
import { createDb, type Db } from '../client.ts';

/** The database URL the global setup prepared for this test run. */
export function testDatabaseUrl(): string {
  return inject('databaseUrl');
}

/** A Prisma client on the test database; call `$disconnect()` in afterAll. */
export function createTestDb(): Db {
  return createDb(testDatabaseUrl(), { max: 4 });
}

/** A short random suffix so each test's rows (role names, emails) never collide with another test's. */
export function uniqueSuffix(): string {
  return Math.random().toString(36).slice(2, 10);
}
