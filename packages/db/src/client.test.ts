import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createDb, isDatabaseUnavailable } from './client.ts';
import { type EmbeddedServer, startEmbeddedServer } from './embedded-server.ts';

// Its own embedded server (not the shared test database): this test stops and restarts it.
const dataDir = mkdtempSync(path.join(tmpdir(), 'clearance-client-'));
let server: EmbeddedServer | undefined;
afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the query to fail');
}

it('tells a stopped database from a failing query, and the same client works once it is back', async () => {
  server = await startEmbeddedServer({ dataDir });
  const { port, url } = server;
  const db = createDb(url, { max: 2 });
  try {
    expect(await db.$queryRaw`SELECT 1 AS one`).toEqual([{ one: 1 }]);
    const badQuery = await errorOf(db.$queryRawUnsafe('SELECT * FROM no_such_table'));
    expect(isDatabaseUnavailable(badQuery)).toBe(false);

    await server.stop();
    // Both shapes Prisma throws: raw queries (P2010 with the adapter's cause) and model queries (P1001).
    for (const query of [db.$queryRaw`SELECT 1`, db.role.findFirst()]) {
      const down = await errorOf(query);
      expect(isDatabaseUnavailable(down), String(down)).toBe(true);
    }

    server = await startEmbeddedServer({ dataDir, port });
    expect(await db.$queryRaw`SELECT 1 AS one`).toEqual([{ one: 1 }]);
  } finally {
    await db.$disconnect();
  }
}, 60_000);
