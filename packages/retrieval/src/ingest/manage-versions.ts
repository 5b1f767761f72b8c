import type { Db, Prisma } from '@clearance/db';
import { AppError } from '@clearance/errors';
import { updateLexicalStats } from '../lexical/update-lexical-stats.ts';
import { INGEST_QUEUE } from './create-document-upload.ts';
import { purgeVersionChunks } from './purge-chunks.ts';
import { runManaged } from './run-managed.ts';

type Tx = Prisma.TransactionClient;
export type VersionAction = { actorId: string | null };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function requireUuid(id: string, what: 'document' | 'version'): void {
  if (!UUID.test(id)) throw new AppError('not_found:document', `That ${what} does not exist.`);
}

async function enqueue(tx: Tx, versionId: string): Promise<string> {
  const job = await tx.job.create({
    data: { queue: INGEST_QUEUE, payload: { versionId } },
    select: { id: true },
  });
  return job.id.toString();
}

/** Cancels the version's queued or running jobs (a running worker notices at its next lease renewal). */
async function cancelJobs(tx: Tx, versionIds: string[]): Promise<void> {
  if (versionIds.length === 0) return;
  await tx.$executeRaw`
    UPDATE jobs SET status = 'cancelled', finished_at = now(), locked_by = NULL, locked_until = NULL
    WHERE queue = ${INGEST_QUEUE} AND status IN ('queued', 'running')
      AND payload->>'versionId' = ANY(${versionIds}::text[])`;
}

/**
 * Queues a failed or cancelled version again from scratch (attempts reset). Returns the new job id.
 * Throws not_found for an unknown version or deleted document, conflict when it is not failed/cancelled.
 */
export async function retryVersion(
  db: Db,
  { actorId, versionId }: VersionAction & { versionId: string },
): Promise<{ versionId: string; jobId: string }> {
  requireUuid(versionId, 'version');
  return runManaged(db, async (tx) => {
    const rows = await tx.$queryRaw<{ status: string; document_id: string; deleted_at: Date | null }[]>`
      SELECT v.status::text AS status, v.document_id, d.deleted_at
      FROM document_versions v JOIN documents d ON d.id = v.document_id
      WHERE v.id = ${versionId}::uuid FOR UPDATE OF d, v`;
    const row = rows[0];
    if (!row || row.deleted_at) throw new AppError('not_found:document', 'That version does not exist.');
    if (row.status !== 'failed' && row.status !== 'cancelled') {
      throw new AppError(
        'conflict:document',
        `Only failed or cancelled versions can be retried (this one is ${row.status}).`,
      );
    }
    await tx.$executeRaw`
      UPDATE document_versions SET status = 'queued', stage = 'queued', progress = 0, error = NULL, attempts = 0,
        started_at = NULL, finished_at = NULL
      WHERE id = ${versionId}::uuid`;
    const jobId = await enqueue(tx, versionId);
    await tx.auditEvent.create({
      data: {
        actorId,
        action: 'document.retry',
        target: `document:${row.document_id}`,
        data: { versionId, jobId },
      },
    });
    return { versionId, jobId };
  });
}

/**
 * Re-parses, re-chunks and re-embeds a document's current bytes as a new version; the current version
 * stays searchable until the new one is published. If a version is already queued or processing, that
 * one is returned instead of queueing a second.
 */
export async function reindexDocument(
  db: Db,
  { actorId, documentId }: VersionAction & { documentId: string },
): Promise<{ versionId: string; jobId: string | null }> {
  requireUuid(documentId, 'document');
  return runManaged(db, async (tx) => {
    const docs = await tx.$queryRaw<{ current_version_id: string | null }[]>`
      SELECT current_version_id FROM documents WHERE id = ${documentId}::uuid AND deleted_at IS NULL FOR UPDATE`;
    if (!docs[0]) throw new AppError('not_found:document', 'That document does not exist.');
    const inFlight = await tx.documentVersion.findFirst({
      where: { documentId, status: { in: ['queued', 'processing'] } },
      select: { id: true },
    });
    if (inFlight) return { versionId: inFlight.id, jobId: null };
    const source = await tx.documentVersion.findFirst({
      where: docs[0].current_version_id ? { id: docs[0].current_version_id } : { documentId },
      orderBy: { number: 'desc' },
      select: { id: true, sha256: true, mime: true, bytes: true },
    });
    if (!source) throw new AppError('not_found:document', 'That document has no content to re-index.');
    const last = await tx.documentVersion.aggregate({ where: { documentId }, _max: { number: true } });
    const version = await tx.documentVersion.create({
      data: {
        documentId,
        number: (last._max.number ?? 0) + 1,
        sha256: source.sha256,
        mime: source.mime,
        bytes: source.bytes,
      },
      select: { id: true },
    });
    const jobId = await enqueue(tx, version.id);
    await tx.auditEvent.create({
      data: {
        actorId,
        action: 'document.reindex',
        target: `document:${documentId}`,
        data: { versionId: version.id, fromVersionId: source.id, jobId },
      },
    });
    return { versionId: version.id, jobId };
  });
}

/**
 * Cancels a queued or processing version: its job is cancelled and, if a worker is already running it,
 * the publishing transaction refuses to publish a cancelled version. A no-op for finished versions.
 */
export async function cancelVersion(
  db: Db,
  { actorId, versionId }: VersionAction & { versionId: string },
): Promise<{ cancelled: boolean }> {
  requireUuid(versionId, 'version');
  return runManaged(db, async (tx) => {
    const rows = await tx.$queryRaw<{ status: string; document_id: string }[]>`
      SELECT v.status::text AS status, v.document_id FROM document_versions v
      JOIN documents d ON d.id = v.document_id
      WHERE v.id = ${versionId}::uuid FOR UPDATE OF d, v`;
    const row = rows[0];
    if (!row) throw new AppError('not_found:document', 'That version does not exist.');
    if (row.status !== 'queued' && row.status !== 'processing') return { cancelled: false };
    await tx.$executeRaw`
      UPDATE document_versions SET status = 'cancelled', error = 'Cancelled by an administrator.', finished_at = now()
      WHERE id = ${versionId}::uuid`;
    await cancelJobs(tx, [versionId]);
    await tx.auditEvent.create({
      data: {
        actorId,
        action: 'document.cancel',
        target: `document:${row.document_id}`,
        data: { versionId },
      },
    });
    return { cancelled: true };
  });
}

/**
 * Deletes a document: in ONE short transaction it is marked deleted, its BM25 postings and statistics are
 * removed, its ready version retired and its in-flight versions and jobs cancelled, so it leaves search at
 * once. Its chunks and vectors are then deleted in small batches (purgeVersionChunks) so a large document
 * doesn't hold the database for seconds; a crash meanwhile leaves only unsearchable rows, which the
 * worker's purgeUnsearchableChunks reclaims. A job that is running right now cannot publish afterwards:
 * publishing locks the same document row and checks deleted_at. Bytes stay in the blob store (they may
 * be shared by another document).
 */
export async function deleteDocument(
  db: Db,
  { actorId, documentId }: VersionAction & { documentId: string },
): Promise<{ deleted: boolean }> {
  requireUuid(documentId, 'document');
  const result = await runManaged(
    db,
    async (tx) => {
      const docs = await tx.$queryRaw<{ current_version_id: string | null; deleted_at: Date | null }[]>`
        SELECT current_version_id, deleted_at FROM documents WHERE id = ${documentId}::uuid FOR UPDATE`;
      const doc = docs[0];
      if (!doc) throw new AppError('not_found:document', 'That document does not exist.');
      if (doc.deleted_at) return { deleted: false };
      if (doc.current_version_id)
        await updateLexicalStats(tx, { added: [], removed: [doc.current_version_id] });
      const inFlight = await tx.$queryRaw<{ id: string }[]>`
        UPDATE document_versions SET status = 'cancelled', error = 'The document was deleted.', finished_at = now()
        WHERE document_id = ${documentId}::uuid AND status IN ('queued', 'processing') RETURNING id::text`;
      await tx.$executeRaw`
        UPDATE document_versions SET status = 'retired' WHERE document_id = ${documentId}::uuid AND status = 'ready'`;
      await cancelJobs(
        tx,
        inFlight.map((row) => row.id),
      );
      await tx.$executeRaw`UPDATE documents SET deleted_at = now(), updated_at = now() WHERE id = ${documentId}::uuid`;
      await tx.auditEvent.create({
        data: {
          actorId,
          action: 'document.delete',
          target: `document:${documentId}`,
          data: { cancelledVersionIds: inFlight.map((row) => row.id) },
        },
      });
      return { deleted: true };
    },
    { timeout: 60_000 },
  );
  if (result.deleted) {
    const versions = await db.$queryRaw<{ id: string }[]>`
      SELECT id::text AS id FROM document_versions WHERE document_id = ${documentId}::uuid`;
    await purgeVersionChunks(
      db,
      versions.map((row) => row.id),
    );
  }
  return result;
}
