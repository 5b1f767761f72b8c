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
