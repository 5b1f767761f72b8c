import type { Db } from '@clearance/db';

/** A claimed job row. */
export type ClaimedJob = {
  id: bigint;
  queue: string;
  payload: unknown;
  attempts: number;
  maxAttempts: number;
};

type JobRow = { id: bigint; queue: string; payload: unknown; attempts: number; max_attempts: number };

/**
 * Claims the oldest runnable job of `queue` for `workerId`: SKIP LOCKED lets any number of workers
 * claim concurrently without blocking or double-claiming; the lease (locked_until) is how others know
 * the job is still being worked on. attempts counts claims, including those of crashed workers.
 */
export async function claimJob(
  db: Db,
  { queue, workerId, leaseMs }: { queue: string; workerId: string; leaseMs: number },
): Promise<ClaimedJob | null> {
  const rows = await db.$queryRaw<JobRow[]>`
    UPDATE jobs SET status = 'running', locked_by = ${workerId},
      locked_until = now() + make_interval(secs => ${leaseMs / 1000}), attempts = attempts + 1
    WHERE id = (
      SELECT id FROM jobs WHERE queue = ${queue} AND status = 'queued' AND run_at <= now()
      ORDER BY run_at FOR UPDATE SKIP LOCKED LIMIT 1)
    RETURNING id, queue, payload, attempts, max_attempts`;
  const row = rows[0];
  return row
    ? {
        id: row.id,
        queue: row.queue,
        payload: row.payload,
        attempts: row.attempts,
        maxAttempts: row.max_attempts,
      }
    : null;
}

/**
 * Extends our lease. False when the job is no longer ours to run: cancelled by an admin, or the lease
 * expired and another worker reclaimed it; the caller must then stop without publishing.
 */
export async function renewLease(db: Db, jobId: bigint, workerId: string, leaseMs: number): Promise<boolean> {
  const count = await db.$executeRaw`
    UPDATE jobs SET locked_until = now() + make_interval(secs => ${leaseMs / 1000})
    WHERE id = ${jobId} AND status = 'running' AND locked_by = ${workerId}`;
  return count === 1;
}

/** Marks the job done (only if we still hold it). */
export async function completeJob(db: Db, jobId: bigint, workerId: string): Promise<void> {
  await db.$executeRaw`
    UPDATE jobs SET status = 'done', finished_at = now(), locked_by = NULL, locked_until = NULL, last_error = NULL
    WHERE id = ${jobId} AND locked_by = ${workerId} AND status = 'running'`;
}

/**
 * Records a failed attempt. Retries with exponential backoff (base × 2^(attempt-1)) until max attempts;
 * a permanent failure or the last attempt ends the job `failed`. Returns whether it will be retried.
 */
export async function failJob(
  db: Db,
  job: ClaimedJob,
  workerId: string,
  { error, permanent, retryBaseMs }: { error: string; permanent: boolean; retryBaseMs: number },
): Promise<{ retry: boolean }> {
  const retry = !permanent && job.attempts < job.maxAttempts;
  const delayMs = retryBaseMs * 2 ** Math.max(0, job.attempts - 1);
  if (retry) {
    await db.$executeRaw`
      UPDATE jobs SET status = 'queued', run_at = now() + make_interval(secs => ${delayMs / 1000}),
        locked_by = NULL, locked_until = NULL, last_error = ${error}
      WHERE id = ${job.id} AND locked_by = ${workerId} AND status = 'running'`;
  } else {
    await db.$executeRaw`
      UPDATE jobs SET status = 'failed', finished_at = now(), locked_by = NULL, locked_until = NULL,
        last_error = ${error}
      WHERE id = ${job.id} AND locked_by = ${workerId} AND status = 'running'`;
  }
  return { retry };
}

/** Gives a job back untouched (clean shutdown mid-job): the claim does not count as an attempt. */
export async function releaseJob(db: Db, jobId: bigint, workerId: string): Promise<void> {
  await db.$executeRaw`
    UPDATE jobs SET status = 'queued', attempts = GREATEST(attempts - 1, 0), locked_by = NULL, locked_until = NULL
    WHERE id = ${jobId} AND locked_by = ${workerId} AND status = 'running'`;
}

/**
 * Requeues jobs whose lease expired (their worker crashed or was killed): they run again from the start,
 * which is safe because publishing is one transaction. Jobs that already used every attempt end failed
 * and are returned so the caller can fail their versions with a reason.
 */
export async function reclaimExpiredJobs(
  db: Db,
  queue: string,
): Promise<{ requeued: number; exhausted: ClaimedJob[] }> {
  const exhausted = await db.$queryRaw<JobRow[]>`
    UPDATE jobs SET status = 'failed', finished_at = now(), locked_by = NULL, locked_until = NULL,
      last_error = 'The worker stopped while processing this document on every attempt.'
    WHERE queue = ${queue} AND status = 'running' AND locked_until < now() AND attempts >= max_attempts
    RETURNING id, queue, payload, attempts, max_attempts`;
  const requeued = await db.$executeRaw`
    UPDATE jobs SET status = 'queued', locked_by = NULL, locked_until = NULL,
      last_error = 'The worker stopped while processing this document; retrying.'
    WHERE queue = ${queue} AND status = 'running' AND locked_until < now()`;
  return {
    requeued,
    exhausted: exhausted.map((row) => ({
      id: row.id,
      queue: row.queue,
      payload: row.payload,
      attempts: row.attempts,
      maxAttempts: row.max_attempts,
    })),
  };
}
