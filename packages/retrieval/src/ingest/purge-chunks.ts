import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '@clearance/db';

// Rows per DELETE: each statement (with its cascade to chunk_embeddings and their HNSW entries) takes
// tens of milliseconds on the embedded database, so requests queued behind it wait no longer than that.
const PURGE_BATCH = 250;

/** A pause between batches, so statements other connections queued meanwhile run first (PGlite is FIFO). */
export const yieldToOthers = () => sleep(5);

/**
 * Deletes the chunks (and, by cascade, vectors) of versions that are no longer searchable, in small
 * batches, each its own statement. Callers have already made the versions unsearchable (retired,
 * cancelled, failed, or of a deleted document) and removed their BM25 postings in the transaction that
 * did so; this is only reclaiming space, so it may be interrupted and resumed (purgeUnsearchableChunks).
 */
export async function purgeVersionChunks(db: Db, versionIds: string[]): Promise<number> {
  if (versionIds.length === 0) return 0;
  let total = 0;
  for (;;) {
    const deleted = await db.$executeRaw`
      DELETE FROM chunks WHERE id IN (
        SELECT id FROM chunks WHERE version_id = ANY(${versionIds}::uuid[]) LIMIT ${PURGE_BATCH})`;
    total += deleted;
    if (deleted < PURGE_BATCH) return total;
    await yieldToOthers();
  }
}

/**
 * Finds versions that can't be searched but still have chunks (a worker or a deletion that stopped
 * between making a version unsearchable and purging it) and purges them. Cheap when there is nothing to
 * do: one index probe per finished version.
 */
export async function purgeUnsearchableChunks(db: Db): Promise<number> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT v.id::text AS id FROM document_versions v
    WHERE (v.status IN ('retired', 'cancelled', 'failed')
        OR EXISTS (SELECT 1 FROM documents d WHERE d.id = v.document_id AND d.deleted_at IS NOT NULL))
      AND EXISTS (SELECT 1 FROM chunks c WHERE c.version_id = v.id)
    LIMIT 100`;
  if (rows.length === 0) return 0;
  const ids = rows.map((row) => row.id);
  // Postings exist only for searchable versions; a crash can't leave any here, but be certain.
  await db.$executeRaw`DELETE FROM chunk_terms WHERE version_id = ANY(${ids}::uuid[])`;
  return purgeVersionChunks(db, ids);
}
