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

async function readVersionState(db: Db, versionId: string) {
  const rows = await db.$queryRaw<VersionState[]>`
    SELECT v.status::text AS status, v.document_id, d.deleted_at, d.current_version_id, NULL::int AS staged
    FROM document_versions v JOIN documents d ON d.id = v.document_id
    WHERE v.id = ${versionId}::uuid`;
  return rows[0];
}

/**
 * The versions' states, their document and version rows locked in document order (one version per
 * document): two batches that share documents lock them in the same order, so they never deadlock.
 */
async function readVersionStates(tx: Prisma.TransactionClient, versionIds: string[]) {
  const rows = await tx.$queryRaw<(VersionState & { id: string })[]>`
    SELECT v.id::text AS id, v.status::text AS status, v.document_id, d.deleted_at, d.current_version_id,
      (SELECT count(*)::int FROM chunks c WHERE c.version_id = v.id) AS staged
    FROM document_versions v JOIN documents d ON d.id = v.document_id
    WHERE v.id = ANY(${versionIds}::uuid[])
    ORDER BY d.id
    FOR UPDATE OF d, v`;
  return new Map(rows.map((row) => [row.id, row]));
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

/** A version whose chunks and vectors are staged (stageVersion), ready for publishStagedVersions. */
export type StagedVersion = {
  versionId: string;
  documentId: string;
  embedderId: string;
  chunkCount: number;
  pageCount: number | null;
};

/**
 * Publishes an ingested version so that searchers see the old version or the new, never a mix, and so
 * that no other request waits long for it, even on the embedded database where an open transaction
 * blocks every connection: stageVersion, then publishStagedVersions for it alone. The worker stages each
 * job's version on its own and publishes several together (createPublishQueue).
 */
export async function publishVersion(db: Db, input: PublishInput): Promise<PublishResult> {
  const staged = await stageVersion(db, input);
  return 'published' in staged ? staged : publishStagedVersion(db, staged);
}

/** publishStagedVersions for one version: its result, or the error its job is retried with. */
export async function publishStagedVersion(db: Db, staged: StagedVersion): Promise<PublishResult> {
  const [result] = await publishStagedVersions(db, [staged]);
  if (!result || result instanceof Error) throw result ?? new Error('publish: no result');
  return result;
}

/**
 * Step 1 of publishing, in bounded transactions of STAGE_BATCH chunks with a pause between them: removes
 * chunks a crashed attempt left, inserts the chunks and their vectors. Search can't see them: it reads
 * ready versions only, and BM25 postings don't exist yet. Returns a refusal when the version may no
 * longer be published (deleted, cancelled).
 */
export async function stageVersion(
  db: Db,
  input: PublishInput,
): Promise<StagedVersion | { published: false; reason: string }> {
  const { versionId, chunks, vectors, embedderId } = input;
  if (vectors.length !== chunks.length) throw new Error('publishVersion: one vector per chunk is required');
  const before = await readVersionState(db, versionId);
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
  return { versionId, documentId, embedderId, chunkCount: chunks.length, pageCount: input.pageCount };
}

/**
 * Steps 2 and 3 of publishing, for versions of distinct documents, all staged:
 *
 * 2. One short transaction: locks the documents and versions (in document order, so concurrent
 *    publishers can't deadlock), leaves out each version whose document was deleted or which was cancelled meanwhile
 *    (a finishing job never resurrects deleted content) or which lacks staged chunks, adds BM25 postings
 *    and statistics for all the others at once (removing their previous versions'), marks them ready,
 *    points their documents at them and retires the previous versions. One statistics update per batch:
 *    postings written in term order by one statement touch each index page once rather than once per
 *    document (bench:ingest: see the issue-19 note).
 * 3. The previous versions' chunks and vectors are deleted in batches (purgeVersionChunks); a crash here
 *    only leaves unsearchable rows that the worker's periodic purgeUnsearchableChunks reclaims.
 *
 * Returns one result per input, same order: a PublishResult, or the Error its job should be retried
 * with (its staged rows were removed by a racing purge). The whole batch commits or none of it does.
 */
export async function publishStagedVersions(
  db: Db,
  staged: StagedVersion[],
): Promise<(PublishResult | Error)[]> {
  if (new Set(staged.map((s) => s.documentId)).size !== staged.length)
    throw new Error('publishStagedVersions: one version per document per batch');
  const chunkCount = staged.reduce((sum, s) => sum + s.chunkCount, 0);
  // Scale the timeout with the postings to write: ~2,000 chunks per second is a pessimistic rate on PGlite.
  const timeout = 30_000 + chunkCount * 5;
  const results = await runManaged(
    db,
    async (tx): Promise<(PublishResult | Error)[]> => {
      const rows = await readVersionStates(
        tx,
        staged.map((s) => s.versionId),
      );
      const outcome = staged.map((s): PublishResult | Error | { publish: string | null } => {
        const row = rows.get(s.versionId);
        const reason = refusal(row);
        if (reason || !row) return { published: false, reason: reason ?? 'the version no longer exists' };
        // Something removed staged rows (a purge racing a retry): publishing now would lose passages.
        if (row.staged !== s.chunkCount)
          return new Error(`staged ${row.staged ?? 0} of ${s.chunkCount} chunks; publishing again`);
        return {
          publish:
            row.current_version_id && row.current_version_id !== s.versionId ? row.current_version_id : null,
        };
      });
      const publishing = staged.flatMap((s, i) => {
        const o = outcome[i];
        return o && 'publish' in o ? [{ ...s, previous: o.publish }] : [];
      });
      if (publishing.length > 0) {
        // BM25 statistics while the retired versions' chunks still exist; their postings go here too.
        await updateLexicalStats(tx, {
          added: publishing.map((p) => p.versionId),
          removed: publishing.flatMap((p) => (p.previous ? [p.previous] : [])),
        });
        for (const p of publishing) await flipVersion(tx, p, p.previous);
      }
      return outcome.map((o, i) =>
        o && 'publish' in o
          ? { published: true, chunkCount: staged[i]?.chunkCount ?? 0, retiredVersionId: o.publish }
          : (o ?? new Error('publishStagedVersions: no outcome')),
      );
    },
    { timeout, maxWait: 60_000 },
  );
  const retired = results.flatMap((r) =>
    'published' in r && r.published && r.retiredVersionId ? [r.retiredVersionId] : [],
  );
  const unpublished = staged.flatMap((s, i) => {
    const r = results[i];
    return r && 'published' in r && r.published ? [] : [s.versionId];
  });
  await purgeVersionChunks(db, retired);
  await purgeVersionChunks(db, unpublished);
  return results;
}

/** The flip in one statement (the previous version, if any, is another row than the new one). */
async function flipVersion(tx: Prisma.TransactionClient, version: StagedVersion, previous: string | null) {
  await tx.$executeRaw`
    WITH retired AS (
      UPDATE document_versions SET status = 'retired', finished_at = COALESCE(finished_at, now())
      WHERE id = ${previous}::uuid
    ), ready AS (
      UPDATE document_versions
      SET status = 'ready', stage = 'ready', progress = 100, error = NULL, chunk_count = ${version.chunkCount},
          page_count = ${version.pageCount}, embedder_id = ${version.embedderId}, finished_at = now()
      WHERE id = ${version.versionId}::uuid
    )
    UPDATE documents SET current_version_id = ${version.versionId}::uuid, updated_at = now()
    WHERE id = ${version.documentId}::uuid`;
}
