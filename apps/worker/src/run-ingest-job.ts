import { type IngestOutcome, ingestVersion, type PipelineContext } from './pipeline/ingest-version.ts';
import { ParseError } from './pipeline/parse/parse-error.ts';
import { markVersionFailed, markVersionQueued } from './pipeline/version-status.ts';
import { type ClaimedJob, completeJob, failJob, releaseJob, renewLease } from './queue/jobs.ts';

export type JobContext = PipelineContext & {
  workerId: string;
  leaseMs: number;
  retryBaseMs: number;
  /** Aborted when the worker shuts down: the job is released, not failed. */
  shutdown?: AbortSignal;
};

export type JobResult =
  | { status: 'done'; versionId: string; result: IngestOutcome }
  | { status: 'retry' | 'failed'; versionId: string | null; error: string }
  | { status: 'lost' | 'released'; versionId: string | null };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

class JobLostError extends Error {
  override name = 'JobLostError';
}

/**
 * Runs one claimed ingestion job: renews its lease while working (losing the lease, e.g. to an admin's
 * cancel, stops the work), and settles it: done, retried with backoff, failed with a readable reason on
 * the version, or released on shutdown.
 */
export async function runIngestJob(ctx: JobContext, job: ClaimedJob): Promise<JobResult> {
  const { db, workerId } = ctx;
  const versionId = (job.payload as { versionId?: unknown } | null)?.versionId;
  if (typeof versionId !== 'string' || !UUID.test(versionId)) {
    await failJob(db, job, workerId, { error: 'invalid job payload', permanent: true, retryBaseMs: 0 });
    return { status: 'failed', versionId: null, error: 'invalid job payload' };
  }
  const controller = new AbortController();
  const onShutdown = () => controller.abort(ctx.shutdown?.reason ?? new Error('worker shutting down'));
  ctx.shutdown?.addEventListener('abort', onShutdown, { once: true });
  const renewal = setInterval(
    () => {
      renewLease(db, job.id, workerId, ctx.leaseMs)
        .then((ours) => {
          if (!ours) controller.abort(new JobLostError('the job was cancelled or taken over'));
        })
        .catch(() => {
          // A failed renewal is retried at the next tick; the lease leaves room for a few misses.
        });
    },
    Math.max(250, Math.floor(ctx.leaseMs / 3)),
  );
  try {
    const result = await ingestVersion(ctx, versionId, { attempt: job.attempts, signal: controller.signal });
    await completeJob(db, job.id, workerId);
    return { status: 'done', versionId, result };
  } catch (error) {
    if (controller.signal.reason instanceof JobLostError) return { status: 'lost', versionId };
    if (ctx.shutdown?.aborted) {
      await releaseJob(db, job.id, workerId);
      await markVersionQueued(db, versionId, null);
      return { status: 'released', versionId };
    }
    const permanent = error instanceof ParseError;
    const message = error instanceof Error ? error.message : String(error);
    const { retry } = await failJob(db, job, workerId, {
      error: message,
      permanent,
      retryBaseMs: ctx.retryBaseMs,
    });
    if (retry) {
      await markVersionQueued(
        db,
        versionId,
        `Attempt ${job.attempts} of ${job.maxAttempts} failed (${message}); retrying.`,
      );
      return { status: 'retry', versionId, error: message };
    }
    const reason = permanent ? message : `Failed after ${job.attempts} attempts: ${message}`;
    await markVersionFailed(db, versionId, reason);
    return { status: 'failed', versionId, error: reason };
  } finally {
    clearInterval(renewal);
    ctx.shutdown?.removeEventListener('abort', onShutdown);
  }
}
