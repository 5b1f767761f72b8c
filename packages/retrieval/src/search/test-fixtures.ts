// Test-only helpers: documents published straight into the tables the way ingestion leaves them
// (ready current version, chunks, embeddings, BM25 statistics), without parsing or models.
import { createHash, randomUUID } from 'node:crypto';
import type { Db, Prisma } from '@clearance/db';
import { updateLexicalStats } from '../lexical/update-lexical-stats.ts';

export type FixtureChunk = { text: string; embedding?: number[]; page?: number; headingPath?: string[] };

/** Runs `fn` in manage mode (the worker's view), so FORCE'd row-level security lets fixtures write. */
export async function runManaged<T>(db: Db, fn: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  return db.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT set_config('clearance.mode', 'manage', true)`;
      return fn(tx);
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}

/** Creates a role with a unique name and returns its id. */
export async function createRole(db: Db, name: string): Promise<string> {
  const role = await db.role.create({ data: { name: `${name}-${randomUUID().slice(0, 8)}` } });
  return role.id;
}

/** Inserts a new ready version of `documentId` (or a new document) with `chunks`, granted to `roleIds`. */
export async function publishDocument(
  db: Db,
  input: {
    title: string;
    chunks: FixtureChunk[];
    roleIds: string[];
    embedderId?: string;
    documentId?: string;
  },
): Promise<{ documentId: string; versionId: string; chunkIds: string[] }> {
  return runManaged(db, async (tx) => {
    const body = input.chunks.map((chunk) => chunk.text).join('\n\n');
    const sha256 = createHash('sha256').update(`${randomUUID()}${body}`).digest('hex');
    await tx.$executeRaw`INSERT INTO blobs (sha256, mime, bytes) VALUES (${sha256}, 'text/plain', ${body.length})`;
    const documentId = input.documentId ?? randomUUID();
    if (!input.documentId) {
      await tx.$executeRaw`INSERT INTO documents (id, title) VALUES (${documentId}::uuid, ${input.title})`;
    }
    const [previous] = await tx.$queryRaw<{ current: string | null; next: number }[]>`
      SELECT d.current_version_id::text AS current,
        (SELECT COALESCE(MAX(number), 0) + 1 FROM document_versions WHERE document_id = d.id)::int AS next
      FROM documents d WHERE d.id = ${documentId}::uuid`;
    const versionId = randomUUID();
    await tx.$executeRaw`
      INSERT INTO document_versions (id, document_id, number, sha256, mime, bytes, status, stage, progress, chunk_count, embedder_id)
      VALUES (${versionId}::uuid, ${documentId}::uuid, ${previous?.next ?? 1}, ${sha256}, 'text/plain', ${body.length},
        'ready', 'ready', 100, ${input.chunks.length}, ${input.embedderId ?? null})`;
    const chunkIds: string[] = [];
    let offset = 0;
    for (const [ordinal, chunk] of input.chunks.entries()) {
      const id = randomUUID();
      chunkIds.push(id);
      await tx.$executeRaw`
        INSERT INTO chunks (id, version_id, document_id, ordinal, text, page, heading_path, char_start, char_end, tokens)
        VALUES (${id}::uuid, ${versionId}::uuid, ${documentId}::uuid, ${ordinal}, ${chunk.text}, ${chunk.page ?? null},
          ${chunk.headingPath ?? []}::text[], ${offset}, ${offset + chunk.text.length}, ${chunk.text.split(/\s+/).length})`;
      offset += chunk.text.length + 2;
      if (chunk.embedding && input.embedderId) {
        const literal = `[${chunk.embedding.join(',')}]`;
        await tx.$executeRaw`
          INSERT INTO chunk_embeddings (chunk_id, embedder_id, version_id, document_id, embedding)
          VALUES (${id}::uuid, ${input.embedderId}, ${versionId}::uuid, ${documentId}::uuid, ${literal}::vector)`;
      }
    }
    const retired = previous?.current ? [previous.current] : [];
    await updateLexicalStats(tx, { added: [versionId], removed: retired });
    if (retired.length > 0) {
      await tx.$executeRaw`UPDATE document_versions SET status = 'retired' WHERE id = ANY(${retired}::uuid[])`;
    }
    await tx.$executeRaw`UPDATE documents SET current_version_id = ${versionId}::uuid WHERE id = ${documentId}::uuid`;
    for (const roleId of input.roleIds) {
      await tx.$executeRaw`
        INSERT INTO document_grants (document_id, role_id) VALUES (${documentId}::uuid, ${roleId}::uuid)
        ON CONFLICT DO NOTHING`;
    }
    return { documentId, versionId, chunkIds };
  });
}

/** Soft-deletes a document the way the admin console does, removing its chunks from the statistics. */
export async function deleteDocument(db: Db, documentId: string): Promise<void> {
  await runManaged(db, async (tx) => {
    const [doc] = await tx.$queryRaw<{ current: string | null }[]>`
      SELECT current_version_id::text AS current FROM documents WHERE id = ${documentId}::uuid`;
    if (doc?.current) await updateLexicalStats(tx, { added: [], removed: [doc.current] });
    await tx.$executeRaw`UPDATE documents SET deleted_at = now() WHERE id = ${documentId}::uuid`;
  });
}
