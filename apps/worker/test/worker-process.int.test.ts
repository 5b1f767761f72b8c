import type { Db } from '@clearance/db';
import { createTestDb } from '@clearance/db/testing';
import { loadEmbedder } from '@clearance/inference';
import {
  type BlobStore,
  chunkDocument,
  createDocumentUpload,
  createPostgresBlobStore,
  runManaged,
} from '@clearance/retrieval';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getWorkerEnv } from '../src/env.ts';
import { parseDocument } from '../src/pipeline/parse/parse-document.ts';
import { buildMarkdown } from './fixtures.ts';
import {
  countChunks,
  createDataDir,
  createRole,
  getVersion,
  MODELS_DIR,
  spawnWorker,
  waitFor,
} from './helpers.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);
let db: Db;
let blobStore: BlobStore;
let roleId: string;
const dataDir = createDataDir();

beforeAll(async () => {
  db = createTestDb();
  // The store every host shares (the default whenever DATABASE_URL is set, as it is for the spawned workers).
  blobStore = createPostgresBlobStore(db);
  roleId = await createRole(db, 'worker');
});
afterAll(async () => {
  await db.$disconnect();
});

function upload(bytes: Uint8Array, filename: string) {
  return createDocumentUpload(db, { actorId: null, bytes, filename, roleIds: [roleId] }, { blobStore });
}

describe('worker processes', () => {
  it('a worker killed with SIGKILL mid-ingestion, then restarted, leaves exactly the right chunks', async () => {
    const markdown = buildMarkdown(`Crash ${Math.random()}`, 6000);
    const bytes = utf8(markdown);
    const embedder = await loadEmbedder({ modelsDir: MODELS_DIR });
    const env = getWorkerEnv();
    const expected = chunkDocument(await parseDocument(bytes, 'markdown'), {
      countTokens: (text) => embedder.countTokens(text),
      targetTokens: env.chunkTargetTokens,
      overlapTokens: env.chunkOverlapTokens,
    }).chunks.length;
    const { versionId } = await upload(bytes, 'crash.md');

    const first = spawnWorker(dataDir);
    const stageAtKill = await waitFor(
      async () => {
        const version = await getVersion(db, versionId);
        return version.status === 'processing' && version.stage !== 'parsing' ? version.stage : undefined;
      },
      90_000,
      'the first worker to get past parsing',
    );
    first.child.kill('SIGKILL');
    await first.exited;
    expect(['chunking', 'embedding', 'indexing']).toContain(stageAtKill);
    expect((await getVersion(db, versionId)).status).not.toBe('ready');

    const second = spawnWorker(dataDir);
    try {
      await waitFor(
        async () => (await getVersion(db, versionId)).status === 'ready',
        120_000,
        'the restarted worker',
      );
      // The job is settled just after the publishing transaction commits.
      await waitFor(
        async () => {
          const [job] = await db.$queryRaw<{ status: string }[]>`
            SELECT status::text FROM jobs WHERE payload->>'versionId' = ${versionId}`;
          return job?.status === 'done';
        },
        30_000,
        'the job to be marked done',
      );
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
    const version = await getVersion(db, versionId);
    const counts = await countChunks(db, versionId);
    expect(version.chunk_count).toBe(expected);
    expect(counts).toEqual({ chunks: expected, ordinals: expected, max: expected - 1 });
    const jobs = await db.$queryRaw<{ status: string; attempts: number }[]>`
      SELECT status::text, attempts FROM jobs WHERE payload->>'versionId' = ${versionId}`;
    expect(jobs).toEqual([{ status: 'done', attempts: 2 }]);
  });

  // Also on the embedded server: packages/db runs each connection's protocol batch as one unit there.
  it('two workers share one queue without processing a job twice', { timeout: 180_000 }, async () => {
    const uploads = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        upload(utf8(buildMarkdown(`Shared ${i} ${Math.random()}`, 40)), `s${i}.md`),
      ),
    );
    // A longer lease: on a busy 2-core machine a 2 s lease can lapse while the parser child starts.
    const workers = [
      spawnWorker(dataDir, { WORKER_LEASE_MS: '15000' }),
      spawnWorker(dataDir, { WORKER_LEASE_MS: '15000' }),
    ];
    try {
      await waitFor(
        async () => {
          for (const u of uploads) if ((await getVersion(db, u.versionId)).status !== 'ready') return false;
          return true;
        },
        90_000,
        'both workers to finish the queue',
      ).catch((error) => {
        console.log(workers.map((worker) => worker.lines.join('\n')).join('\n---\n'));
        throw error;
      });
      // Heartbeats name each live worker.
      const beats = await db.workerHeartbeat.findMany({
        where: { pid: { in: workers.map((w) => w.child.pid!) } },
      });
      expect(beats).toHaveLength(2);
    } finally {
      for (const worker of workers) worker.child.kill('SIGTERM');
      await Promise.all(workers.map((worker) => worker.exited));
    }
    for (const u of uploads) {
      const counts = await countChunks(db, u.versionId);
      expect(counts.chunks).toBe((await getVersion(db, u.versionId)).chunk_count);
      expect(counts.ordinals).toBe(counts.chunks);
    }
    const jobLines = workers.flatMap((worker) =>
      worker.lines.filter((line) => / job \d+ version /.test(line)),
    );
    const handled = uploads.map((u) => jobLines.filter((line) => line.includes(u.versionId)).length);
    expect(handled).toEqual(uploads.map(() => 1));
    const settled = await runManaged(
      db,
      (tx) =>
        tx.$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM jobs WHERE payload->>'versionId' = ANY(${uploads.map((u) => u.versionId)}::text[])
          AND status = 'done' AND attempts = 1`,
    );
    expect(settled[0]!.n).toBe(uploads.length);
  });
});
