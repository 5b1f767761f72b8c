import { randomUUID } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import { createDb } from './client.ts';
import { createTestDb, testDatabaseUrl } from './testing/index.ts';
import { type RawQueryClient, withRowSecurityQueries } from './with-row-security.ts';

const db = createTestDb();
afterAll(() => db.$disconnect());

type Session = { user: string; mode: string | null; roles: string | null; jit: string };
const readSession = async (tx: RawQueryClient) =>
  tx.$queryRaw<Session[]>`
    SELECT current_user AS user, current_setting('clearance.mode', true) AS mode,
      current_setting('clearance.role_ids', true) AS roles, current_setting('jit') AS jit`;

it('runs as the application role with the scope, only for the transaction, and rolls back on error', async () => {
  const roleIds = [randomUUID(), randomUUID()];
  const [inside] = await withRowSecurityQueries(db, { mode: 'read', roleIds }, readSession, {
    settings: { jit: 'off' },
  });
  expect(inside).toEqual({
    user: 'clearance_app',
    mode: 'read',
    roles: `{${roleIds.join(',')}}`,
    jit: 'off',
  });
  // Row security in read mode: no document is granted to made-up roles.
  const [visible] = await withRowSecurityQueries(
    db,
    { mode: 'read', roleIds },
    async (tx) => tx.$queryRaw<{ n: number }[]>`SELECT COUNT(*)::int AS n FROM documents`,
  );
  expect(visible?.n).toBe(0);

  await expect(
    withRowSecurityQueries(db, { mode: 'read', roleIds }, async (tx) => tx.$queryRaw`SELECT 1 / 0`),
  ).rejects.toThrow(/division by zero/);
  // After the error the pool's connections are usable and carry nothing of the scope.
  const after = await Promise.all(
    [1, 2, 3].map(
      () => db.$queryRaw<Session[]>`
      SELECT current_user AS user, NULLIF(current_setting('clearance.mode', true), '') AS mode,
        NULLIF(current_setting('clearance.role_ids', true), '') AS roles, current_setting('jit') AS jit`,
    ),
  );
  for (const [session] of after) expect(session).toMatchObject({ mode: null, roles: null });
  expect(after.every(([session]) => session?.user !== 'clearance_app')).toBe(true);
});

it('writes the scope as a literal: quotes in a role id cannot end the statement', async () => {
  const roleIds = ["x', true); DROP TABLE documents; --"];
  const [inside] = await withRowSecurityQueries(db, { mode: 'read', roleIds }, readSession);
  expect(inside?.roles).toBe(`{${roleIds[0]}}`);
  expect(await db.$queryRaw`SELECT COUNT(*)::int AS n FROM documents`).toHaveLength(1);
});

it('survives the server ending its idle connections, before Prisma ever connected', async () => {
  // withRowSecurityQueries uses the pool directly: no Prisma query has run on this client.
  const fresh = createDb(testDatabaseUrl(), { max: 2 });
  try {
    const [own] = await withRowSecurityQueries(
      fresh,
      { mode: 'read', roleIds: [] },
      async (tx) =>
        tx.$queryRaw<
          { pid: number; version: string }[]
        >`SELECT pg_backend_pid() AS pid, version() AS version`,
    );
    if (own?.version.includes('PGlite')) return; // One shared backend: nothing to terminate.
    await db.$queryRaw`SELECT pg_terminate_backend(${own?.pid}::int)`;
    await new Promise((resolve) => setTimeout(resolve, 200));
    const [after] = await withRowSecurityQueries(
      fresh,
      { mode: 'read', roleIds: [] },
      async (tx) => tx.$queryRaw<{ mode: string }[]>`SELECT current_setting('clearance.mode') AS mode`,
    );
    expect(after?.mode).toBe('read');
  } finally {
    await fresh.$disconnect();
  }
});
