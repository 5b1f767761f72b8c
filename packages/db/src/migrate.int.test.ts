import pg from 'pg';
import { expect, inject, it } from 'vitest';
import { migrate, readMigrations } from './migrate.ts';
import { testDatabaseUrl } from './testing/index.ts';

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
