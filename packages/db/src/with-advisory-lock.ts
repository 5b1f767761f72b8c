import pg from 'pg';

/**
 * Runs `fn` while holding a PostgreSQL session advisory lock named `name`, on a connection of its own:
 * replicas that start at the same moment do start-up work (seeding, one-off repairs) one at a time, and
 * the lock goes with the connection if the holder dies. `fn` uses its own connections; the lock only orders.
 */
export async function withAdvisoryLock<T>(url: string, name: string, fn: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [name]);
    return await fn();
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [name]).catch(() => {});
    await client.end();
  }
}
