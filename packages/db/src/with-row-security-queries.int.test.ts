import { randomUUID } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import { createTestDb } from './testing/index.ts';
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
