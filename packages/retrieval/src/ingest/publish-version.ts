import { randomUUID } from 'node:crypto';
import { type Db, Prisma } from '@clearance/db';
import { updateLexicalStats } from '../lexical/update-lexical-stats.ts';
import type { DocumentChunk } from './chunk-document.ts';
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

// Rows per INSERT: 9 parameters per chunk keeps a statement well under PostgreSQL's 65,535 bind limit.
const INSERT_BATCH = 500;

/** pgvector's text input: '[0.1,0.2,...]'. */
export function toVectorLiteral(vector: Float32Array): string {
  return `[${Array.from(vector).join(',')}]`;
}

/**
 * Publishes an ingested version in ONE transaction: locks the document row, refuses if the document was
 * deleted or the version cancelled meanwhile (a finishing job never resurrects deleted content), deletes
 * any chunks a crashed attempt could have left, inserts all chunks and their vectors, marks the version
 * ready, points the document at it, updates BM25 statistics, and retires the previous version (its chunks
 * are removed in the same transaction), so readers see the old version or the new, never a mix.
 */
export async function publishVersion(db: Db, input: PublishInput): Promise<PublishResult> {
  const { versionId, chunks, vectors, embedderId } = input;
  if (vectors.length !== chunks.length) throw new Error('publishVersion: one vector per chunk is required');
  // Scale the timeout with the work: ~2,000 chunks per second is a pessimistic rate on PGlite.
  const timeout = 30_000 + chunks.length * 5;
  return runManaged(
    db,
    async (tx) => {
      const rows = await tx.$queryRaw<
        { status: string; document_id: string; deleted_at: Date | null; current_version_id: string | null }[]
      >`
        SELECT v.status::text AS status, v.document_id, d.deleted_at, d.current_version_id
        FROM document_versions v JOIN documents d ON d.id = v.document_id
        WHERE v.id = ${versionId}::uuid
        FOR UPDATE OF d, v`;
      const row = rows[0];
      if (!row) return { published: false, reason: 'the version no longer exists' };
      if (row.deleted_at) return { published: false, reason: 'the document was deleted' };
      if (row.status !== 'processing' && row.status !== 'queued') {
        return { published: false, reason: `the version is ${row.status}` };
      }
      const documentId = row.document_id;
      const previous =
        row.current_version_id && row.current_version_id !== versionId ? row.current_version_id : null;

      await tx.$executeRaw`DELETE FROM chunks WHERE version_id = ${versionId}::uuid`;
      const ids = chunks.map(() => randomUUID());
      for (let i = 0; i < chunks.length; i += INSERT_BATCH) {
        const values = chunks.slice(i, i + INSERT_BATCH).map(
          (
            chunk,
            j,
          ) => Prisma.sql`(${ids[i + j]}::uuid, ${versionId}::uuid, ${documentId}::uuid, ${chunk.ordinal},
            ${chunk.text}, ${chunk.page}, ${chunk.headingPath}::text[], ${chunk.charStart}, ${chunk.charEnd}, ${chunk.tokens})`,
        );
        await tx.$executeRaw`
          INSERT INTO chunks (id, version_id, document_id, ordinal, text, page, heading_path, char_start, char_end, tokens)
          VALUES ${Prisma.join(values)}`;
      }
      for (let i = 0; i < chunks.length; i += INSERT_BATCH) {
        const values = vectors
          .slice(i, i + INSERT_BATCH)
          .map(
            (vector, j) =>
              Prisma.sql`(${ids[i + j]}::uuid, ${embedderId}, ${versionId}::uuid, ${documentId}::uuid, ${toVectorLiteral(vector)}::vector)`,
          );
        await tx.$executeRaw`
          INSERT INTO chunk_embeddings (chunk_id, embedder_id, version_id, document_id, embedding) VALUES ${Prisma.join(values)}`;
      }
      // BM25 statistics (and chunks.lex_length) while the retired version's chunks still exist.
      await updateLexicalStats(tx, { added: [versionId], removed: previous ? [previous] : [] });
      if (previous) {
        await tx.$executeRaw`DELETE FROM chunks WHERE version_id = ${previous}::uuid`;
        await tx.$executeRaw`
          UPDATE document_versions SET status = 'retired', finished_at = COALESCE(finished_at, now())
          WHERE id = ${previous}::uuid`;
      }
      await tx.$executeRaw`
        UPDATE document_versions
        SET status = 'ready', stage = 'ready', progress = 100, error = NULL, chunk_count = ${chunks.length},
            page_count = ${input.pageCount}, embedder_id = ${embedderId}, finished_at = now()
        WHERE id = ${versionId}::uuid`;
      await tx.$executeRaw`
        UPDATE documents SET current_version_id = ${versionId}::uuid, updated_at = now() WHERE id = ${documentId}::uuid`;
      return { published: true, chunkCount: chunks.length, retiredVersionId: previous };
    },
    { timeout, maxWait: 60_000 },
  );
}
