import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { testDatabaseUrl } from './testing/index.ts';

const pool = new pg.Pool({ connectionString: testDatabaseUrl(), max: 10 });
afterAll(() => pool.end());

it('answers concurrent queries and transactions from many connections, each with its own result', async () => {
  // Transactions on some connections while others run statements with different parameter counts: on
  // the embedded server's single backend, interleaved protocol messages either fail (a Bind meets
  // another connection's Parse) or wedge the queue; measured: the unpatched pglite-socket hangs here.
  const work = Array.from({ length: 10 }, (_, worker) =>
    (async () => {
      for (let round = 0; round < 30; round++) {
        if (worker % 2 === 0) {
          const client = await pool.connect();
          try {
            await client.query('BEGIN');
            const { rows } = await client.query('SELECT $1::int + $2::int AS total', [worker, round]);
            expect(rows[0].total).toBe(worker + round);
            await client.query('COMMIT');
          } finally {
            client.release();
          }
        } else {
          const { rows } = await pool.query('SELECT $1::text || $2::text || $3::text AS label', [
            'w',
            worker,
            round,
          ]);
          expect(rows[0].label).toBe(`w${worker}${round}`);
        }
      }
    })(),
  );
  await Promise.all(work);
}, 20_000);

it('keeps serving after a failed statement', async () => {
  await expect(pool.query('SELECT $1::int AS n', ['not a number'])).rejects.toThrow();
  const { rows } = await pool.query('SELECT $1::int AS n', [7]);
  expect(rows[0].n).toBe(7);
});

it('keeps the files the running database creates private to its owner', async () => {
  const { mkdtempSync, readdirSync, statSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const path = await import('node:path');
  const { startEmbeddedServer } = await import('./embedded-server.ts');
  const { secureDataDir } = await import('./secure-data-dir.ts');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'clearance-modes-'));
  secureDataDir(dataDir);
  const server = await startEmbeddedServer({ dataDir, role: 'command' });
  const client = new pg.Client({ connectionString: server.url });
  try {
    await client.connect();
    // New relation files while it runs: PGlite chmods each to 0666 unless confined.
    await client.query('CREATE TABLE created_while_running (id int PRIMARY KEY, note text)');
    await client.query("INSERT INTO created_while_running SELECT g, 'x' FROM generate_series(1, 100) g");
    const open: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if ((statSync(full).mode & 0o077) !== 0) open.push(full);
        if (entry.isDirectory()) walk(full);
      }
    };
    walk(dataDir);
    expect(open).toEqual([]);
  } finally {
    await client.end();
    await server.stop();
  }
}, 60_000);
