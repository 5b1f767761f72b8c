import type { Db } from '@clearance/db';
import { runManaged } from '@clearance/retrieval';

export type IngestStageName = 'queued' | 'parsing' | 'chunking' | 'embedding' | 'indexing';

/** Writes stage/progress of a processing version (no-op once it is cancelled, failed or published). */
export async function writeProgress(
  db: Db,
  versionId: string,
  stage: IngestStageName,
  progress: number,
): Promise<void> {
  const value = Math.max(0, Math.min(99, Math.round(progress)));
  await runManaged(db, async (tx) => {
    await tx.$executeRaw`
      UPDATE document_versions SET stage = ${stage}::ingest_stage, progress = ${value}
      WHERE id = ${versionId}::uuid AND status = 'processing'`;
  });
}

/**
 * A progress writer throttled to one database write per `intervalMs` (stage changes always write), so
 * the admin UI's bar moves live without a write per embedding batch.
 */
export function createProgressReporter(db: Db, versionId: string, intervalMs = 500) {
  let lastWrite = 0;
  let lastStage: IngestStageName | undefined;
  return async (stage: IngestStageName, progress: number): Promise<void> => {
    const now = Date.now();
    if (stage === lastStage && now - lastWrite < intervalMs) return;
    lastWrite = now;
    lastStage = stage;
    await writeProgress(db, versionId, stage, progress);
  };
}

/** The version failed for good: admins see `reason` in the console. */
export async function markVersionFailed(db: Db, versionId: string, reason: string): Promise<void> {
  await runManaged(db, async (tx) => {
    await tx.$executeRaw`
      UPDATE document_versions SET status = 'failed', stage = 'failed', error = ${reason.slice(0, 2000)},
        finished_at = now()
      WHERE id = ${versionId}::uuid AND status IN ('queued', 'processing')`;
  });
}

/** The attempt failed but will be retried: back to queued, with the reason visible meanwhile. */
export async function markVersionQueued(db: Db, versionId: string, note: string | null): Promise<void> {
  await runManaged(db, async (tx) => {
    await tx.$executeRaw`
      UPDATE document_versions SET status = 'queued', stage = 'queued', progress = 0, error = ${note}
      WHERE id = ${versionId}::uuid AND status = 'processing'`;
  });
}
