import { randomUUID } from 'node:crypto';
import type { Db, Prisma } from '@clearance/db';
import { updateLexicalStats } from '../lexical/update-lexical-stats.ts';
import type { DocumentChunk } from './chunk-document.ts';
import { purgeVersionChunks, yieldToOthers } from './purge-chunks.ts';
import { runManaged } from './run-managed.ts';

export type PublishInput = {
  versionId: string;
  embedderId: string;
  chunks: DocumentChunk[];
  /** One vector per chunk, same order. */
  vectors: Float32Array[];
  pageCount: number | null;
};

export type PublishResult =
  | { published: true; chunkCount: number; retiredVersionId: string | null }
  | { published: false; reason: string };

// Chunks per staging transaction. Measured on the embedded database (bench:fair-ingest): inserting a
// chunk with its vector and HNSW entry costs ~1 ms, so 200 keep each transaction, and the wait of any
// request queued behind it, around 0.2 s; the parameters stay far under PostgreSQL's 65,535 bind limit.
const STAGE_BATCH = 200;

/** pgvector's text input: '[0.1,0.2,...]'. */
export function toVectorLiteral(vector: Float32Array): string {
  return `[${Array.from(vector).join(',')}]`;
}

type VersionState = {
  status: string;
  document_id: string;
  deleted_at: Date | null;
  current_version_id: string | null;
  /** Chunks staged for the version (read with the lock only). */
  staged: number | null;
};

/** Why the version must not be published, or null when it still may be. */
function refusal(row: VersionState | undefined): string | null {
  if (!row) return 'the version no longer exists';
  if (row.deleted_at) return 'the document was deleted';
  if (row.status !== 'processing' && row.status !== 'queued') return `the version is ${row.status}`;
  return null;
}

async function readVersionState(tx: Pick<Db, '$queryRaw'>, versionId: string, lock: boolean) {
  const rows = lock
    ? await tx.$queryRaw<VersionState[]>`
        SELECT v.status::text AS status, v.document_id, d.deleted_at, d.current_version_id,
          (SELECT count(*)::int FROM chunks c WHERE c.version_id = v.id) AS staged
        FROM document_versions v JOIN documents d ON d.id = v.document_id
        WHERE v.id = ${versionId}::uuid
        FOR UPDATE OF d, v`
    : await tx.$queryRaw<VersionState[]>`
        SELECT v.status::text AS status, v.document_id, d.deleted_at, d.current_version_id, NULL::int AS staged
        FROM document_versions v JOIN documents d ON d.id = v.document_id
        WHERE v.id = ${versionId}::uuid`;
  return rows[0];
}

type StageInput = {
  versionId: string;
  documentId: string;
  embedderId: string;
  ids: string[];
  chunks: DocumentChunk[];
  vectors: Float32Array[];
};

/**
 * Inserts one batch of chunks and their vectors in one statement, each column bound as one array: a
 * VALUES list bound ten parameters per chunk, and Prisma and the server parsed and planned ~2,000 of them
 * per batch. The batch commits without waiting for its WAL flush (synchronous_commit off, this
 * transaction only): a crash may lose it, but the publishing transaction's own synchronous commit flushes
 * everything before it, and a version is only published once it has counted every staged chunk.
 */
async function stageChunks(tx: Prisma.TransactionClient, input: StageInput): Promise<void> {
  const { chunks } = input;
  await tx.$queryRaw`SELECT set_config('synchronous_commit', 'off', true)`;
  // Heading paths are arrays of varying length, which a PostgreSQL array of arrays can't hold: JSON each.
  await tx.$executeRaw`
    WITH input AS (
      SELECT * FROM unnest(${input.ids}::uuid[], ${chunks.map((c) => c.ordinal)}::int[],
        ${chunks.map((c) => c.text)}::text[], ${chunks.map((c) => c.page)}::int[],
        ${chunks.map((c) => JSON.stringify(c.headingPath))}::text[], ${chunks.map((c) => c.charStart)}::int[],
        ${chunks.map((c) => c.charEnd)}::int[], ${chunks.map((c) => c.tokens)}::int[],
        ${input.vectors.map(toVectorLiteral)}::text[])
        AS t(id, ordinal, text, page, heading, char_start, char_end, tokens, embedding)
    ), staged AS (
      INSERT INTO chunks (id, version_id, document_id, ordinal, text, page, heading_path, char_start, char_end, tokens)
      SELECT i.id, ${input.versionId}::uuid, ${input.documentId}::uuid, i.ordinal, i.text, i.page,
        ARRAY(SELECT jsonb_array_elements_text(i.heading::jsonb)), i.char_start, i.char_end, i.tokens
      FROM input i
      RETURNING id
    )
    INSERT INTO chunk_embeddings (chunk_id, embedder_id, version_id, document_id, embedding)
    SELECT i.id, ${input.embedderId}, ${input.versionId}::uuid, ${input.documentId}::uuid, i.embedding::vector
    FROM input i`;
}

/**
 * Publishes an ingested version so that searchers see the old version or the new, never a mix, and so
 * that no other request waits long for it, even on the embedded database where an open transaction
 * blocks every connection:
 *
 * 1. Staging, in bounded transactions of STAGE_BATCH chunks with a pause between them: removes chunks a
 *    crashed attempt left, inserts the chunks and their vectors. Search can't see them: it reads ready
 *    versions only, and BM25 postings don't exist yet.
 * 2. One short transaction: locks the document row, refuses if the document was deleted or the version
 *    cancelled meanwhile (a finishing job never resurrects deleted content), checks every staged chunk is
 *    there, adds BM25 postings and statistics (removing the previous version's), marks the version ready,
 *    points the document at it and retires the previous version.
 * 3. The previous version's chunks and vectors are deleted in batches (purgeVersionChunks); a crash here
 *    only leaves unsearchable rows that the worker's periodic purgeUnsearchableChunks reclaims.
 */
export async function publishVersion(db: Db, input: PublishInput): Promise<PublishResult> {
  const { versionId, chunks, vectors, embedderId } = input;
  if (vectors.length !== chunks.length) throw new Error('publishVersion: one vector per chunk is required');
  const before = await readVersionState(db, versionId, false);
  const early = refusal(before);
  if (early || !before) return { published: false, reason: early ?? 'the version no longer exists' };
  const documentId = before.document_id;

  await purgeVersionChunks(db, [versionId]);
  const ids = chunks.map(() => randomUUID());
  for (let i = 0; i < chunks.length; i += STAGE_BATCH) {
    if (i > 0) await yieldToOthers();
    const end = Math.min(chunks.length, i + STAGE_BATCH);
    await runManaged(
      db,
      (tx) =>
        stageChunks(tx, {
          versionId,
          documentId,
          embedderId,
          ids: ids.slice(i, end),
          chunks: chunks.slice(i, end),
          vectors: vectors.slice(i, end),
        }),
      { timeout: 60_000, maxWait: 60_000 },
    );
  }

  // Scale the timeout with the postings to write: ~2,000 chunks per second is a pessimistic rate on PGlite.
  const timeout = 30_000 + chunks.length * 5;
  const result = await runManaged(
    db,
    async (tx): Promise<PublishResult> => {
      const row = await readVersionState(tx, versionId, true);
      const reason = refusal(row);
      if (reason || !row) return { published: false, reason: reason ?? 'the version no longer exists' };
      const previous =
        row.current_version_id && row.current_version_id !== versionId ? row.current_version_id : null;
      // Something removed staged rows (a purge racing a retry): publishing now would lose passages.
      if (row.staged !== chunks.length)
        throw new Error(`staged ${row.staged ?? 0} of ${chunks.length} chunks; publishing again`);
      // BM25 statistics while the retired version's chunks still exist; its postings go here too.
      await updateLexicalStats(tx, { added: [versionId], removed: previous ? [previous] : [] });
      // The flip in one statement (the previous version, if any, is another row than the new one).
      await tx.$executeRaw`
        WITH retired AS (
          UPDATE document_versions SET status = 'retired', finished_at = COALESCE(finished_at, now())
          WHERE id = ${previous}::uuid
        ), ready AS (
          UPDATE document_versions
          SET status = 'ready', stage = 'ready', progress = 100, error = NULL, chunk_count = ${chunks.length},
              page_count = ${input.pageCount}, embedder_id = ${embedderId}, finished_at = now()
          WHERE id = ${versionId}::uuid
        )
        UPDATE documents SET current_version_id = ${versionId}::uuid, updated_at = now() WHERE id = ${documentId}::uuid`;
      return { published: true, chunkCount: chunks.length, retiredVersionId: previous };
    },
    { timeout, maxWait: 60_000 },
  );
  if (result.published && result.retiredVersionId) await purgeVersionChunks(db, [result.retiredVersionId]);
  if (!result.published) await purgeVersionChunks(db, [versionId]);
  return result;
}
