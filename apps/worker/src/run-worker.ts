import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '@clearance/db';
import {
  createPublishQueue,
  INGEST_QUEUE,
  purgeUnsearchableChunks,
  vacuumSearchTables,
} from '@clearance/retrieval';
import { markVersionFailed } from './pipeline/version-status.ts';
import { claimJob, reclaimExpiredJobs } from './queue/jobs.ts';
import { type JobContext, type JobResult, runIngestJob } from './run-ingest-job.ts';

export type WorkerOptions = Omit<JobContext, 'workerId' | 'shutdown'> & {
  workerId?: string;
  concurrency: number;
  pollMs: number;
  /** Stops claiming; in-flight jobs are released. */
  signal?: AbortSignal;
  log?: (line: string) => void;
  /** Called after each job (heartbeat counters, benchmarks). */
  onJob?: (result: JobResult, ms: number) => void;
  /**
   * On the embedded database (no autovacuum): run vacuumSearchTables once the queue is idle after this
   * many chunks were published since the last run. Undefined: never (a server's autovacuum does it).
   */
  vacuumAfterChunks?: number;
};

const PURGE_EVERY_MS = 60_000;

/** hostname:pid, the worker's id in jobs.locked_by and worker_heartbeats. */
export function createWorkerId(): string {
  return `${hostname()}:${process.pid}`;
}

/** Fails the versions of jobs whose every attempt was cut short by a crashed worker. */
export async function reclaimJobs(db: Db): Promise<void> {
  const { exhausted } = await reclaimExpiredJobs(db, INGEST_QUEUE);
  for (const job of exhausted) {
    const versionId = (job.payload as { versionId?: string } | null)?.versionId;
    if (versionId) {
      await markVersionFailed(
        db,
        versionId,
        `The worker stopped while processing this document ${job.attempts} times (it may crash the parser or exhaust memory).`,
      );
    }
  }
}

function describe(result: JobResult): string {
  switch (result.status) {
    case 'done':
      return result.result.outcome === 'published'
        ? `ready chunks=${result.result.chunkCount} parse=${Math.round(result.result.timings.parseMs)}ms embed=${Math.round(result.result.timings.embedMs)}ms index=${Math.round(result.result.timings.indexMs)}ms (staging ${Math.round(result.result.timings.stageMs)}ms)`
        : `skipped (${result.result.reason})`;
    case 'retry':
    case 'failed':
      return `${result.status}: ${result.error}`;
    default:
      return result.status;
  }
}

/**
 * The worker loop: `concurrency` slots each claim, run and settle ingestion jobs, polling every
 * `pollMs` when the queue is empty; one slot also requeues jobs of crashed workers. Resolves when
 * `signal` aborts and every in-flight job is settled or released.
 */
export async function runWorker(db: Db, options: WorkerOptions): Promise<void> {
  const workerId = options.workerId ?? createWorkerId();
  const log = options.log ?? (() => {});
  // Slots publish through one queue: versions staged while another publishes go in its next transaction.
  const ctx: JobContext = {
    publishQueue: createPublishQueue(db),
    ...options,
    workerId,
    shutdown: options.signal,
  };
  let lastReclaim = 0;
  let lastPurge = 0;
  let publishedSinceVacuum = 0;
  const slot = async (index: number) => {
    while (!options.signal?.aborted) {
      try {
        if (index === 0 && Date.now() - lastReclaim > Math.min(5_000, options.leaseMs)) {
          lastReclaim = Date.now();
          await reclaimJobs(db);
        }
        // Rows a crash left between unpublishing a version and deleting its chunks (see publishVersion).
        if (index === 0 && Date.now() - lastPurge > PURGE_EVERY_MS) {
          lastPurge = Date.now();
          const purged = await purgeUnsearchableChunks(db);
          if (purged > 0) log(`purged ${purged} chunks of unsearchable versions`);
        }
        const job = await claimJob(db, { queue: INGEST_QUEUE, workerId, leaseMs: options.leaseMs });
        if (!job) {
          // Idle after a batch of publishes: refresh the planner's statistics before the next searches.
          const threshold = options.vacuumAfterChunks;
          if (index === 0 && threshold !== undefined && publishedSinceVacuum >= threshold) {
            const started = performance.now();
            const chunks = publishedSinceVacuum;
            publishedSinceVacuum = 0;
            await vacuumSearchTables(db);
            log(
              `vacuumed the search tables after ${chunks} new chunks (${Math.round(performance.now() - started)} ms)`,
            );
          }
          await sleep(options.pollMs, undefined, { signal: options.signal }).catch(() => {});
          continue;
        }
        const started = performance.now();
        const result = await runIngestJob(ctx, job);
        const ms = performance.now() - started;
        log(
          `job ${job.id} version ${result.versionId ?? '-'} attempt ${job.attempts}: ${describe(result)} (${Math.round(ms)} ms)`,
        );
        if (result.status === 'done' && result.result.outcome === 'published') {
          publishedSinceVacuum += result.result.chunkCount;
        }
        options.onJob?.(result, ms);
      } catch (error) {
        // The database went away or a bug: log, back off, keep the worker alive.
        log(`worker error: ${error instanceof Error ? error.message : String(error)}`);
        await sleep(Math.max(1_000, options.pollMs), undefined, { signal: options.signal }).catch(() => {});
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, i) => slot(i)));
}
