import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedServer } from '../embedded-server.ts';
import { migrate } from '../migrate.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    databaseKind: 'embedded' | 'postgres';
  }
}

/**
 * Vitest global setup for integration tests: a freshly migrated database per test run. By default the
 * embedded PGlite server in a temporary DATA_DIR; with CLEARANCE_TEST_TARGET=postgres, a new database
 * created on the server at TEST_DATABASE_URL and dropped afterwards.
 */
export default async function setup(project: TestProject) {
  if (process.env.CLEARANCE_TEST_TARGET === 'postgres') {
    const adminUrl = process.env.TEST_DATABASE_URL;
    if (!adminUrl) throw new Error('CLEARANCE_TEST_TARGET=postgres needs TEST_DATABASE_URL');
    const name = `clearance_test_${process.pid}_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    await migrate(url.toString());
    project.provide('databaseUrl', url.toString());
    project.provide('databaseKind', 'postgres');
    return async () => {
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    };
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'clearance-test-'));
  const server = await startEmbeddedServer({ dataDir });
  await migrate(server.url);
  project.provide('databaseUrl', server.url);
  project.provide('databaseKind', 'embedded');
  return async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
