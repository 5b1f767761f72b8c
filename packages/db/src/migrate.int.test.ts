import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { MigrationDriftError, migrate, readMigrations } from './migrate.ts';
import { testDatabaseUrl, uniqueSuffix } from './testing/index.ts';

// Replicas started at the same moment against one PostgreSQL all migrate at start-up. (The embedded
// database has one process by construction: its data directory lock.)
it.runIf(inject('databaseKind') === 'postgres')(
  'applies each migration once when several hosts migrate a fresh database at the same moment',
  async () => {
    const name = `clearance_migrate_${process.pid}_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: testDatabaseUrl() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(testDatabaseUrl());
    url.pathname = `/${name}`;
    try {
      const results = await Promise.all(Array.from({ length: 4 }, () => migrate(url.toString())));
      const migrations = readMigrations();
      expect(results.reduce((sum, result) => sum + result.applied.length, 0)).toBe(migrations.length);
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      const { rows } = await client.query<{ migration_name: string; finished: boolean }>(
        'SELECT migration_name, finished_at IS NOT NULL AS finished FROM "_prisma_migrations" ORDER BY migration_name',
      );
      await client.end();
      expect(rows).toEqual(migrations.map((m) => ({ migration_name: m.name, finished: true })));
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  },
  60_000,
);

describe('an applied migration edited afterwards', () => {
  // Each test migrates its own one-file folder: the test database's real migrations stay untouched.
  async function appliedMigration(): Promise<{ dir: string; file: string; name: string }> {
    const dir = mkdtempSync(path.join(tmpdir(), 'clearance-migrations-'));
    const name = `20990101000000_drift_${uniqueSuffix()}`;
    mkdirSync(path.join(dir, name));
    const file = path.join(dir, name, 'migration.sql');
    writeFileSync(file, 'SELECT 1;\n');
    await migrate(testDatabaseUrl(), { dir });
    return { dir, file, name };
  }

  async function forget(name: string, dir: string): Promise<void> {
    rmSync(dir, { recursive: true, force: true });
    const client = new pg.Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    await client.query('DELETE FROM "_prisma_migrations" WHERE migration_name = $1', [name]);
    await client.end();
  }

  it('stops db:migrate with one line naming the migration and the fix', async () => {
    const { dir, file, name } = await appliedMigration();
    try {
      writeFileSync(file, 'SELECT 2;\n');
      const attempt = migrate(testDatabaseUrl(), { dir });
      await expect(attempt).rejects.toBeInstanceOf(MigrationDriftError);
      await expect(attempt).rejects.toThrow(
        new RegExp(`^migration ${name} was edited after this database applied it .*new migration\\.$`),
      );
      // Restored as applied, it migrates again.
      writeFileSync(file, 'SELECT 1;\n');
      await expect(migrate(testDatabaseUrl(), { dir })).resolves.toMatchObject({ applied: [] });
    } finally {
      await forget(name, dir);
    }
  });

  it('accepts the first version of cheap_read_policies, which read_policies_in_from repairs', async () => {
    // Development and eval databases applied that file before it was edited; they must keep migrating.
    const client = new pg.Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    const name = '20261128151000_cheap_read_policies';
    const { rows } = await client.query<{ checksum: string }>(
      'SELECT checksum FROM "_prisma_migrations" WHERE migration_name = $1',
      [name],
    );
    const current = rows[0]!.checksum;
    try {
      await client.query('UPDATE "_prisma_migrations" SET checksum = $2 WHERE migration_name = $1', [
        name,
        'a1d506d16af7b71e1ab42ae567e489d9e4df3a46f908670fb37e90b1926511eb',
      ]);
      await expect(migrate(testDatabaseUrl())).resolves.toMatchObject({ applied: [] });
    } finally {
      await client.query('UPDATE "_prisma_migrations" SET checksum = $2 WHERE migration_name = $1', [
        name,
        current,
      ]);
      await client.end();
    }
  });
});
