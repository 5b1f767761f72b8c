import 'server-only';
import { type AccessScope, requireAdmin, withManage } from '@clearance/auth';
import { type Db, isEmbeddedDatabase } from '@clearance/db';
import { describeModels, getInferenceEnv, type ModelDescription } from '@clearance/inference';
import { readWebEnv } from '../../../server/env.ts';

export type AdminSystem = {
  database: {
    kind: 'embedded' | 'external';
    serverVersion: string;
    sizeBytes: number;
    pgvector: string | null;
  };
  models: ModelDescription[];
  modelsError: string | null;
  embedder: string | null;
  generator: string;
  workers: {
    id: string;
    hostname: string;
    pid: number;
    startedAt: string;
    beatAt: string;
    isAlive: boolean;
  }[];
  queue: { queue: string; status: string; count: number }[];
  failedJobs: {
    id: string;
    queue: string;
    attempts: number;
    lastError: string | null;
    finishedAt: string | null;
  }[];
  index: { embedderId: string; vectors: number }[];
  chunks: number;
};

// The worker beats every few seconds; 30 s without one means it is down or stuck (as /api/health).
const HEARTBEAT_STALE_MS = 30_000;

/** The console's System page: database, models, workers and queue (admin only). */
export async function getAdminSystem(db: Db, actor: AccessScope): Promise<AdminSystem> {
  requireAdmin(actor);
  const [database] = await db.$queryRaw<{ version: string; size: bigint; pgvector: string | null }[]>`
    SELECT current_setting('server_version') AS version, pg_database_size(current_database()) AS size,
      (SELECT extversion FROM pg_extension WHERE extname = 'vector') AS pgvector`;
  const workers = await db.workerHeartbeat.findMany({ orderBy: { beatAt: 'desc' }, take: 20 });
  const queue = await db.$queryRaw<{ queue: string; status: string; count: number }[]>`
    SELECT queue, status::text AS status, count(*)::int AS count FROM jobs GROUP BY queue, status ORDER BY queue, status`;
  const failedJobs = await db.job.findMany({
    where: { status: 'failed' },
    orderBy: { id: 'desc' },
    take: 10,
    select: { id: true, queue: true, attempts: true, lastError: true, finishedAt: true },
  });
  const { index, chunks } = await withManage(db, async (tx) => ({
    index: await tx.$queryRaw<{ embedder_id: string; vectors: number }[]>`
      SELECT embedder_id, count(*)::int AS vectors FROM chunk_embeddings GROUP BY embedder_id ORDER BY embedder_id`,
    chunks: await tx.chunk.count(),
  }));
  let models: ModelDescription[] = [];
  let modelsError: string | null = null;
  let embedder: string | null = null;
  try {
    models = await describeModels();
    embedder = getInferenceEnv().embedder;
  } catch (error) {
    console.error('admin system: model description failed:', error instanceof Error ? error.message : error);
    modelsError = 'The model configuration is invalid; see the server log.';
  }
  let kind: 'embedded' | 'external' = 'external';
  try {
    kind = isEmbeddedDatabase() ? 'embedded' : 'external';
  } catch {
    // Invalid settings would not have let us query; keep the default.
  }
  const now = Date.now();
  return {
    database: {
      kind,
      serverVersion: database?.version ?? 'unknown',
      sizeBytes: Number(database?.size ?? 0),
      pgvector: database?.pgvector ?? null,
    },
    models,
    modelsError,
    embedder,
    generator: readWebEnv().generatorSpec,
    workers: workers.map((worker) => ({
      id: worker.id,
      hostname: worker.hostname,
      pid: worker.pid,
      startedAt: worker.startedAt.toISOString(),
      beatAt: worker.beatAt.toISOString(),
      isAlive: now - worker.beatAt.getTime() <= HEARTBEAT_STALE_MS,
    })),
    queue,
    failedJobs: failedJobs.map((job) => ({
      id: job.id.toString(),
      queue: job.queue,
      attempts: job.attempts,
      lastError: job.lastError,
      finishedAt: job.finishedAt?.toISOString() ?? null,
    })),
    index: index.map((row) => ({ embedderId: row.embedder_id, vectors: row.vectors })),
    chunks,
  };
}
