import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { findRepoRoot } from './repo-root.ts';

export type MigrationFile = { name: string; sql: string; checksum: string };

// Prisma serialises `migrate deploy` on this advisory lock key; using the same one means our runner and
// Prisma's never apply migrations at the same time.
const PRISMA_MIGRATE_LOCK = 72707369;

/** The migrations in Prisma's layout, ordered by their timestamped folder names. */
export function readMigrations(dir = path.join(findRepoRoot(), 'prisma', 'migrations')): MigrationFile[] {
  // The migrations folder is read at run time; the comment keeps Turbopack from tracing the whole repository.
  return readdirSync(/*turbopackIgnore: true*/ dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      // Prisma's checksum: sha256 hex of the migration file's bytes.
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

export type MigrateResult = { applied: string[]; alreadyApplied: number };

// Checksums a database may have recorded for a migration file that was later edited, each accepted only
// because a later migration brings such a database to what the edited file creates. No other edit is
// accepted: the SQL a database ran would no longer be the SQL in the repository, and nothing would say so.
const SUPERSEDED_CHECKSUMS: Record<string, string[]> = {
  // Edited to call the readable-set functions in FROM; 20261128170000_read_policies_in_from re-creates
  // the policies that way on databases that applied this first version.
  '20261128151000_cheap_read_policies': ['a1d506d16af7b71e1ab42ae567e489d9e4df3a46f908670fb37e90b1926511eb'],
};

function isSameMigration(migration: MigrationFile, recordedChecksum: string): boolean {
  return (
    recordedChecksum === migration.checksum ||
    (SUPERSEDED_CHECKSUMS[migration.name] ?? []).includes(recordedChecksum)
  );
}

/**
 * An applied migration's file no longer matches what the database recorded: the schema is not what the
 * repository describes, so migrating on would build on an unknown base.
 */
export class MigrationDriftError extends Error {
  override name = 'MigrationDriftError';

  constructor(
    readonly migrationName: string,
    readonly recordedChecksum: string,
    readonly fileChecksum: string,
  ) {
    super(
      `migration ${migrationName} was edited after this database applied it (recorded checksum ` +
        `${recordedChecksum.slice(0, 12)}, file ${fileChecksum.slice(0, 12)}): restore ` +
        `prisma/migrations/${migrationName}/migration.sql as it was applied and put the change in a new migration.`,
    );
  }
}

/**
 * Applies pending migrations and records each in `_prisma_migrations` exactly as Prisma does, so that
 * `prisma migrate deploy` and `prisma migrate status` keep working against the same database. Each
 * migration runs in its own transaction; a failure leaves a row with `finished_at` NULL and the error in
 * `logs`, which is how Prisma marks a failed migration. Throws MigrationDriftError, before applying
 * anything, when an applied migration's file was edited since.
 */
export async function migrate(
  url: string,
  options: { log?: (line: string) => void; dir?: string } = {},
): Promise<MigrateResult> {
  const log = options.log ?? (() => {});
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0
    )`);
    const { rows } = await client.query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
    }>('SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL');
    const done = new Map(rows.map((row) => [row.migration_name, row]));
    const applied: string[] = [];
    for (const migration of readMigrations(options.dir)) {
      const previous = done.get(migration.name);
      if (previous?.finished_at) {
        if (!isSameMigration(migration, previous.checksum)) {
          throw new MigrationDriftError(migration.name, previous.checksum, migration.checksum);
        }
        continue;
      }
      if (previous) {
        throw new Error(
          `Migration ${migration.name} failed earlier and is recorded as unfinished; fix the database, then mark it rolled back (prisma migrate resolve --rolled-back ${migration.name}).`,
        );
      }
      const id = randomUUID();
      await client.query(
        'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())',
        [id, migration.checksum, migration.name],
      );
      try {
        await client.query('BEGIN');
        await client.query(migration.sql);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        await client.query('UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1', [id, String(error)]);
        throw new Error(`Migration ${migration.name} failed: ${(error as Error).message}`);
      }
      await client.query(
        'UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1',
        [id],
      );
      applied.push(migration.name);
      log(`applied ${migration.name}`);
    }
    return { applied, alreadyApplied: rows.length };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK]).catch(() => {});
    await client.end();
  }
}
