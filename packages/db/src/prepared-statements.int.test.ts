import { afterAll, expect, it } from 'vitest';
import { PREPARED } from './client.ts';
import { Prisma } from './generated/prisma/client.ts';
import { createTestDb } from './testing/index.ts';

const db = createTestDb();
afterAll(() => db.$disconnect());

type Prepared = { name: string; statement: string };

/** The statement, then the session's prepared statements, on one connection (one transaction). */
function runAndList(value: number, sql: (value: number) => Prisma.Sql) {
  return db.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ value: number }[]>(sql(value));
    const prepared = await tx.$queryRaw<Prepared[]>`
      SELECT name, statement FROM pg_prepared_statements WHERE statement LIKE '%clearance_prepared_probe%'`;
    return { value: row?.value, prepared };
  });
}

it('keeps a PREPARED statement prepared by name on PostgreSQL, and every statement unnamed on PGlite', async () => {
  const [server] = await db.$queryRaw<{ version: string }[]>`SELECT version() AS version`;
  const marked = (value: number) =>
    Prisma.sql`${PREPARED}SELECT ${value}::int AS value, 'clearance_prepared_probe'`;
  const unmarked = (value: number) =>
    Prisma.sql`SELECT ${value}::int + 0 AS value, 'clearance_prepared_probe'`;
  // Concurrent transactions hold different connections: on PGlite they share one session, where the same
  // statement name from two connections would collide ("prepared statement already exists").
  const runs = await Promise.all([1, 2, 3, 4].map((value) => runAndList(value, marked)));
  expect(runs.map((run) => run.value)).toEqual([1, 2, 3, 4]);
  const plain = await runAndList(5, unmarked);
  expect(plain.value).toBe(5);
  const named = plain.prepared.filter((p) => p.name.startsWith('clearance_'));
  if (server?.version.includes('PGlite')) {
    expect(runs.flatMap((run) => run.prepared)).toEqual([]);
  } else {
    for (const run of runs) {
      expect(run.prepared.map((p) => p.statement)).toContainEqual(expect.stringContaining('::int AS value'));
    }
    // Only the marked text is kept; the unmarked one stays the protocol's unnamed statement.
    expect(named.every((p) => p.statement.includes('::int AS value'))).toBe(true);
  }
});
