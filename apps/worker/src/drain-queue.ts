import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '@clearance/db';
import { type BlobStore, createBlobStore, createPublishQueue, INGEST_QUEUE } from '@clearance/retrieval';
import { getWorkerEnv } from './env.ts';
import type { IngestEmbedder } from './pipeline/ingest-version.ts';
import { claimJob } from './queue/jobs.ts';
import { type JobResult, runIngestJob } from './run-ingest-job.ts';
import { createWorkerId, reclaimJobs } from './run-worker.ts';

export type DrainOptions = {
  embedder: IngestEmbedder;
  blobStore?: BlobStore;
  /** Called after each job, e.g. for progress output. */
  onJob?: (result: JobResult, ms: number) => void;
  /** Retry delay base (default WORKER_RETRY_BASE_MS); tests pass 0 to retry at once. */
  retryBaseMs?: number;
  /** Jobs run at once (default 1), their versions published together (createPublishQueue). */
  concurrency?: number;
};

export type DrainSummary = { jobs: number; done: number; failed: number; results: JobResult[] };

/**
 * Processes ingestion jobs in this process, `concurrency` at a time, until the queue has none left
 * (waiting out retry backoff), then returns. Used in-process by the eval command, the benchmark and tests; jobs another worker holds
 * are left to it.
 */
export async function drainQueue(db: Db, options: DrainOptions): Promise<DrainSummary> {
  const env = getWorkerEnv();
  const workerId = `drain:${createWorkerId()}`;
  const ctx = {
    db,
    embedder: options.embedder,
    blobStore: options.blobStore ?? createBlobStore(db),
    parseLimits: { timeoutMs: env.parseTimeoutMs, maxMemoryMb: env.parseMaxMemoryMb },
    chunkTargetTokens: env.chunkTargetTokens,
    chunkOverlapTokens: env.chunkOverlapTokens,
    workerId,
    leaseMs: env.leaseMs,
    retryBaseMs: options.retryBaseMs ?? env.retryBaseMs,
    publishQueue: createPublishQueue(db),
  };
  const summary: DrainSummary = { jobs: 0, done: 0, failed: 0, results: [] };
  const slot = async () => {
    for (;;) {
      await reclaimJobs(db);
      const job = await claimJob(db, { queue: INGEST_QUEUE, workerId, leaseMs: env.leaseMs });
      if (!job) {
        const [pending] = await db.$queryRaw<{ next: Date | null }[]>`
          SELECT min(run_at) AS next FROM jobs WHERE queue = ${INGEST_QUEUE} AND status = 'queued'`;
        if (!pending?.next) return;
        await sleep(Math.max(50, Math.min(5_000, pending.next.getTime() - Date.now())));
        continue;
      }
      const started = performance.now();
      const result = await runIngestJob(ctx, job);
      summary.jobs++;
      if (result.status === 'done') summary.done++;
      if (result.status === 'failed') summary.failed++;
      summary.results.push(result);
      options.onJob?.(result, performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 1) }, () => slot()));
  return summary;
}
