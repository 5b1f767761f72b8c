// Several hosts on one PostgreSQL, as an operator runs them: two `npm start`s with separate DATA_DIRs
// (two machines' disks) against one database, started at the same moment. Uploaded bytes must be
// readable by every host's worker (blob store in PostgreSQL), migrations and the demo seed must happen
// once, and when one host dies mid-ingestion the other finishes its jobs. Needs a PostgreSQL server with
// pgvector: TEST_DATABASE_URL (a superuser URL; .ci/run starts one); skipped without it.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { uniqueSuffix } from '../../fixtures/cli.ts';
import { REPO_ROOT } from '../../fixtures/environment.ts';
import { createReader, Host, parseQueued, writeMarkedDocuments } from '../../fixtures/host.ts';
import { expect, test } from '../../fixtures/test.ts';

const adminUrl = process.env.TEST_DATABASE_URL;
test.skip(!adminUrl, 'needs TEST_DATABASE_URL (a PostgreSQL server with pgvector)');
test.describe.configure({ mode: 'serial', timeout: 600_000 });

const hosts: Host[] = [];
let database: string;
let databaseUrl: string;
let sql: pg.Client;

test.beforeAll(async () => {
  database = `clearance_e2e_hosts_${uniqueSuffix()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const url = new URL(adminUrl!);
  url.pathname = `/${database}`;
  databaseUrl = url.toString();
  sql = new pg.Client({ connectionString: databaseUrl });
});

test.afterAll(async () => {
  await Promise.all(hosts.map((host) => host.stop()));
  await sql?.end().catch(() => {});
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();
});

// biome-ignore lint/correctness/noEmptyPattern: Playwright reads a test's fixtures from this pattern.
test('two hosts started together share one PostgreSQL; documents added on A are found through B', async ({}, testInfo) => {
  for (const name of ['a', 'b']) {
    hosts.push(
      await Host.create({
        dir: testInfo.outputPath(`host-${name}`),
        databaseUrl,
        // A short lease: a killed host's jobs go back to the queue within seconds.
        env: { SEED_DEMO: 'true', WORKER_LEASE_MS: '8000' },
      }),
    );
  }
  const [a, b] = hosts as [Host, Host];
  // The same moment: both migrate, both try to seed.
  a.start();
  b.start();
  await Promise.all([a.waitUntilHealthy(), b.waitUntilHealthy()]);
  await sql.connect();

  // Migrations and the demo seed happened once.
  // What prisma/seed.ts uploads: every file in each role's folder.
  const seedDir = path.join(REPO_ROOT, 'prisma/seed/documents');
  const seedFiles = readdirSync(seedDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .reduce((sum, entry) => sum + readdirSync(path.join(seedDir, entry.name)).length, 0);
  const { rows: seeded } = await sql.query<{ documents: number; versions: number }>(
    'SELECT count(DISTINCT d.id)::int AS documents, count(v.id)::int AS versions FROM documents d JOIN document_versions v ON v.document_id = d.id',
  );
  expect(seeded[0]).toEqual({ documents: seedFiles, versions: seedFiles });
  const { rows: migrations } = await sql.query<{ n: number; distinct: number }>(
    'SELECT count(*)::int AS n, count(DISTINCT migration_name)::int AS distinct FROM "_prisma_migrations"',
  );
  expect(migrations[0]!.n).toBe(migrations[0]!.distinct);

  const { role, key } = await createReader(a);

  // 20 documents through host A, in one bulk import; both hosts' workers take jobs.
  const first = writeMarkedDocuments(testInfo.outputPath('batch-1'), 20);
  const firstIds = parseQueued(await a.admin(['document', 'add', first.folder, '--roles', role]));
  expect(firstIds.size).toBe(20);

  // Every one is found through host B's API.
  for (const { name, marker } of first.files) {
    await expect
      .poll(() => b.searchDocumentIds(key, marker), { timeout: 180_000, intervals: [1_000] })
      .toContain(firstIds.get(name));
  }
  const { rows: versions } = await sql.query<{ status: string; n: number }>(
    'SELECT status::text, count(*)::int AS n FROM document_versions GROUP BY status',
  );
  expect(versions.filter((row) => row.status === 'failed')).toEqual([]);
  const { rows: workers } = await sql.query<{ id: string }>('SELECT id FROM worker_heartbeats');
  expect(workers.length).toBeGreaterThanOrEqual(2);

  // Fault: host B dies (SIGKILL of its whole process group) while it holds jobs; A finishes them all.
  // Enough documents that B is still holding one when it is killed: a small document now publishes in
  // ~0.1 s, and with 12 host A had finished them all before B's worker was seen holding any.
  const second = writeMarkedDocuments(testInfo.outputPath('batch-2'), 60);
  const secondIds = parseQueued(await a.admin(['document', 'add', second.folder, '--roles', role]));
  expect(secondIds.size).toBe(60);
  const bWorkers = async () => {
    const { rows } = await sql.query<{ locked_by: string }>(
      "SELECT locked_by FROM jobs WHERE status = 'running' AND locked_by IS NOT NULL",
    );
    // Worker ids are hostname:pid; B's worker is in B's process group.
    return rows.filter((row) => isInProcessGroup(Number(row.locked_by.split(':').at(-1)), b.pid!)).length;
  };
  await expect.poll(bWorkers, { timeout: 60_000, intervals: [100] }).toBeGreaterThan(0);
  await b.kill();
  for (const { name, marker } of second.files) {
    await expect
      .poll(() => a.searchDocumentIds(key, marker), { timeout: 240_000, intervals: [1_000] })
      .toContain(secondIds.get(name));
  }
  const { rows: failed } = await sql.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM document_versions WHERE status = 'failed'",
  );
  expect(failed[0]!.n).toBe(0);
});

/** Whether `pid` is in the process group `group` (Linux /proc). */
function isInProcessGroup(pid: number, group: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name: state ppid pgrp ...
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) === group;
  } catch {
    return false;
  }
}
