import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { type Db, findRepoRoot } from '@clearance/db';
import { testDatabaseUrl, uniqueSuffix } from '@clearance/db/testing';
import { runManaged } from '@clearance/retrieval';

export const WORKER_DIR = fileURLToPath(new URL('..', import.meta.url));
export const MODELS_DIR = process.env.MODELS_DIR ?? path.join(findRepoRoot(), '.clearance', 'models');

/** A DATA_DIR for one test file; the blob store lives in <dir>/blobs like the worker's. */
export function createDataDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'clearance-worker-test-'));
}

export async function createRole(db: Db, prefix: string): Promise<string> {
  const role = await db.role.create({ data: { name: `${prefix}-${uniqueSuffix()}` }, select: { id: true } });
  return role.id;
}

export type VersionRow = {
  status: string;
  stage: string;
  error: string | null;
  chunk_count: number;
  attempts: number;
};

export async function getVersion(db: Db, versionId: string): Promise<VersionRow> {
  const rows = await runManaged(
    db,
    (tx) =>
      tx.$queryRaw<VersionRow[]>`
      SELECT status::text, stage::text, error, chunk_count, attempts FROM document_versions WHERE id = ${versionId}::uuid`,
  );
  return rows[0]!;
}

/** Chunk count and distinct ordinals of a version (equal when there are no duplicates). */
export async function countChunks(
  db: Db,
  versionId: string,
): Promise<{ chunks: number; ordinals: number; max: number }> {
  const rows = await runManaged(
    db,
    (tx) =>
      tx.$queryRaw<{ chunks: number; ordinals: number; max: number }[]>`
      SELECT count(*)::int AS chunks, count(DISTINCT ordinal)::int AS ordinals, COALESCE(max(ordinal), -1)::int AS max
      FROM chunks WHERE version_id = ${versionId}::uuid`,
  );
  return rows[0]!;
}

/** Starts a worker process (tsx src/main.ts) against the test database. */
export function spawnWorker(dataDir: string, extraEnv: Record<string, string> = {}) {
  const lines: string[] = [];
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: WORKER_DIR,
    env: {
      ...process.env,
      DATABASE_URL: testDatabaseUrl(),
      DATA_DIR: dataDir,
      MODELS_DIR,
      WORKER_LEASE_MS: '2000',
      WORKER_POLL_MS: '100',
      WORKER_RETRY_BASE_MS: '0',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (data: Buffer) => lines.push(...data.toString().split('\n').filter(Boolean)));
  child.stderr?.on('data', (data: Buffer) => lines.push(...data.toString().split('\n').filter(Boolean)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, lines, exited };
}

/** Polls until `check` returns a value or the timeout passes. */
export async function waitFor<T>(
  check: () => Promise<T | undefined | null | false>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
