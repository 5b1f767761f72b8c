import pg from 'pg';

export type DatabaseInfo = { serverVersion: string; pgvector: string | null; sizeBytes: number };

/**
 * Connects once and reads what the product depends on. Throws one clear line when the database is
 * unreachable or lacks pgvector 0.8+, so start-up can stop with a fix instead of a stack trace.
 */
export async function checkDatabase(url: string): Promise<DatabaseInfo> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `Cannot reach the database at ${redactUrl(url)}: ${(error as Error).message}. Check DATABASE_URL and that the server is running.`,
    );
  }
  try {
    const { rows } = await client.query<{ server_version: string; size: string }>(
      "SELECT current_setting('server_version') AS server_version, pg_database_size(current_database())::text AS size",
    );
    const extension = await client.query<{ installed: string | null; available: string | null }>(
      `SELECT (SELECT extversion FROM pg_extension WHERE extname = 'vector') AS installed,
              (SELECT default_version FROM pg_available_extensions WHERE name = 'vector') AS available`,
    );
    const version = extension.rows[0]?.installed ?? extension.rows[0]?.available ?? null;
    if (!version) {
      throw new Error(
        `The database at ${redactUrl(url)} has no pgvector extension. Install pgvector 0.8+ on the server (see README, "External PostgreSQL").`,
      );
    }
    const [major = 0, minor = 0] = version.split('.').map(Number);
    if (major === 0 && minor < 8) {
      throw new Error(
        `pgvector ${version} is too old at ${redactUrl(url)}: Clearance needs 0.8+ (iterative index scans).`,
      );
    }
    return { serverVersion: rows[0]!.server_version, pgvector: version, sizeBytes: Number(rows[0]!.size) };
  } finally {
    await client.end().catch(() => {});
  }
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<invalid url>';
  }
}
