import type { Db } from '@clearance/db';
import { ensureVectorIndex, runManaged, toVectorLiteral } from '@clearance/retrieval';
import type { IngestEmbedder } from './pipeline/ingest-version.ts';

export type ReembedProgress = { done: number; total: number };

/**
 * Re-embeds every live chunk (current ready version of a non-deleted document) that has no vector from
 * `embedder` yet, in small transactions beside the existing vectors, then builds the embedder's index
 * and switches settings.active_embedder. Search keeps comparing queries with the old model's vectors
 * until that final switch, and never compares vectors of two models (they are filtered by embedder_id).
 * Resumable: a second run continues where an interrupted one stopped.
 */
export async function reembedChunks(
  db: Db,
  embedder: IngestEmbedder,
  options: { batch?: number; onProgress?: (progress: ReembedProgress) => void; activate?: boolean } = {},
): Promise<ReembedProgress> {
  const batch = options.batch ?? 256;
  const [counted] = await runManaged(
    db,
    (tx) =>
      tx.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM chunks c
      JOIN documents d ON d.current_version_id = c.version_id AND d.deleted_at IS NULL
      WHERE NOT EXISTS (SELECT 1 FROM chunk_embeddings e WHERE e.chunk_id = c.id AND e.embedder_id = ${embedder.id})`,
  );
  const progress: ReembedProgress = { done: 0, total: counted?.n ?? 0 };
  options.onProgress?.(progress);
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await runManaged(
      db,
      (tx) =>
        tx.$queryRaw<{ id: string; text: string; version_id: string; document_id: string }[]>`
        SELECT c.id::text, c.text, c.version_id::text, c.document_id::text FROM chunks c
        JOIN documents d ON d.current_version_id = c.version_id AND d.deleted_at IS NULL
        WHERE c.id > ${after}::uuid
          AND NOT EXISTS (SELECT 1 FROM chunk_embeddings e WHERE e.chunk_id = c.id AND e.embedder_id = ${embedder.id})
        ORDER BY c.id LIMIT ${batch}`,
    );
    if (rows.length === 0) break;
    after = rows.at(-1)!.id;
    const vectors = await embedder.embed(
      rows.map((row) => row.text),
      { kind: 'document' },
    );
    await runManaged(db, async (tx) => {
      for (const [i, row] of rows.entries()) {
        // ON CONFLICT: a worker publishing meanwhile may already have written this chunk's vector.
        await tx.$executeRaw`
          INSERT INTO chunk_embeddings (chunk_id, embedder_id, version_id, document_id, embedding)
          SELECT ${row.id}::uuid, ${embedder.id}, ${row.version_id}::uuid, ${row.document_id}::uuid, ${toVectorLiteral(vectors[i]!)}::vector
          WHERE EXISTS (SELECT 1 FROM chunks WHERE id = ${row.id}::uuid)
          ON CONFLICT (chunk_id, embedder_id) DO NOTHING`;
      }
    });
    progress.done += rows.length;
    options.onProgress?.(progress);
  }
  await ensureVectorIndex(db, embedder.id, embedder.dimension);
  if (options.activate !== false) {
    await db.$executeRaw`
      INSERT INTO settings (key, value, updated_at) VALUES ('active_embedder', to_jsonb(${embedder.id}::text), now())
      ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`;
  }
  return progress;
}
