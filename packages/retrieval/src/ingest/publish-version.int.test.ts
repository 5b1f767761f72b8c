import { createHash, randomUUID } from 'node:crypto';
import { createTestDb } from '@clearance/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { runManaged } from '../search/test-fixtures.ts';
import type { DocumentChunk } from './chunk-document.ts';
import { createPublishQueue } from './publish-queue.ts';
import { publishStagedVersions, publishVersion, stageVersion } from './publish-version.ts';

const db = createTestDb();
afterAll(() => db.$disconnect());

/** A queued version of a new document titled `title`, as an upload leaves it. */
async function createQueuedVersion(title: string) {
  const sha256 = createHash('sha256').update(randomUUID()).digest('hex');
  const documentId = randomUUID();
  const versionId = randomUUID();
  await runManaged(db, async (tx) => {
    await tx.$executeRaw`INSERT INTO blobs (sha256, mime, bytes) VALUES (${sha256}, 'text/plain', 1)`;
    await tx.$executeRaw`INSERT INTO documents (id, title) VALUES (${documentId}::uuid, ${title})`;
    await tx.$executeRaw`
      INSERT INTO document_versions (id, document_id, number, sha256, mime, bytes, status, stage, progress)
      VALUES (${versionId}::uuid, ${documentId}::uuid, 1, ${sha256}, 'text/plain', 1, 'processing', 'indexing', 92)`;
  });
  return { documentId, versionId };
}

function chunk(ordinal: number, text: string, headingPath: string[], page: number | null): DocumentChunk {
  return {
    ordinal,
    text,
    page,
    headingPath,
    charStart: ordinal * 100,
    charEnd: ordinal * 100 + text.length,
    tokens: 9,
  };
}

describe('publishVersion', () => {
  it('writes the postings, df, words and lengths the statement-per-row definition gives', async () => {
    // Ends in 'zq' so the english stemmer leaves it alone.
    const word = `zqp${Math.random().toString(36).slice(2, 8).replace(/[0-9]/g, 'k')}zq`;
    const { documentId, versionId } = await createQueuedVersion(`Hydraulic ${word} manual`);
    const chunks = [
      chunk(0, `${word} ${word} ${word} pumps pumping pumped`, ['Pumps', 'Seals, "O-rings"'], 1),
      chunk(1, 'Bleed the hydraulic pump before the hydraulic test.', [], null),
      chunk(2, `Only the ${word} here`, ['{Braces}', 'back\\slash'], 3),
    ];
    const vectors = chunks.map((_, i) => Float32Array.from([i + 1, 0.5, -0.25]));
    const [before] = await db.$queryRaw<{ xmin: string | null }[]>`
      SELECT (SELECT xmin::text FROM settings WHERE key = 'bm25_stats') AS xmin`;

    const result = await publishVersion(db, {
      versionId,
      embedderId: 'test-publish',
      chunks,
      vectors,
      pageCount: 3,
    });
    expect(result).toEqual({ published: true, chunkCount: 3, retiredVersionId: null });

    const state = await runManaged(db, async (tx) => {
      const stored = await tx.$queryRaw<
        { ordinal: number; page: number | null; heading_path: string[]; vectors: number }[]
      >`
        SELECT c.ordinal, c.page, c.heading_path,
          (SELECT count(*)::int FROM chunk_embeddings e WHERE e.chunk_id = c.id AND e.document_id = c.document_id) AS vectors
        FROM chunks c WHERE c.version_id = ${versionId}::uuid ORDER BY c.ordinal`;
      // Lengths and postings recomputed from the stored chunks with the definitions row by row.
      const lengths = await tx.$queryRaw<{ same: boolean }[]>`
        SELECT c.lex_length = COALESCE((SELECT SUM(COALESCE(array_length(u.positions, 1), 1)) FROM unnest(c.search) u), 0)
          AND c.meta_length = COALESCE((SELECT SUM(COALESCE(array_length(u.positions, 1), 1))
            FROM unnest(to_tsvector('english', concat_ws(' ', d.title, array_to_string(c.heading_path, ' ')))) u), 0) AS same
        FROM chunks c JOIN documents d ON d.id = c.document_id WHERE c.version_id = ${versionId}::uuid`;
      const missingOrExtra = await tx.$queryRaw<{ n: number }[]>`
        WITH expected AS (
          SELECT t.term, c.id AS chunk_id, SUM(t.tf_text)::int AS tf_text, SUM(t.tf_meta)::int AS tf_meta,
            c.lex_length AS dl_text, c.meta_length AS dl_meta
          FROM chunks c JOIN documents d ON d.id = c.document_id
          CROSS JOIN LATERAL (
            SELECT u.lexeme AS term, COALESCE(array_length(u.positions, 1), 1) AS tf_text, 0 AS tf_meta FROM unnest(c.search) u
            UNION ALL
            SELECT u.lexeme, 0, COALESCE(array_length(u.positions, 1), 1)
            FROM unnest(to_tsvector('english', concat_ws(' ', d.title, array_to_string(c.heading_path, ' ')))) u
          ) t
          WHERE c.version_id = ${versionId}::uuid GROUP BY t.term, c.id),
        actual AS (
          SELECT term, chunk_id, tf_text, tf_meta, dl_text, dl_meta FROM chunk_terms WHERE version_id = ${versionId}::uuid)
        SELECT count(*)::int AS n FROM ((SELECT * FROM expected EXCEPT SELECT * FROM actual)
          UNION ALL (SELECT * FROM actual EXCEPT SELECT * FROM expected)) x`;
      const postings = await tx.$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM chunk_terms WHERE version_id = ${versionId}::uuid`;
      const tf = await tx.$queryRaw<{ ordinal: number; tf_text: number; tf_meta: number }[]>`
        SELECT c.ordinal, p.tf_text, p.tf_meta FROM chunk_terms p JOIN chunks c ON c.id = p.chunk_id
        WHERE p.version_id = ${versionId}::uuid AND p.term = ${word} ORDER BY c.ordinal`;
      const words = await tx.$queryRaw<{ word: string; tf: number }[]>`
        SELECT word, tf FROM document_words WHERE document_id = ${documentId}::uuid AND word IN ('hydraulic', 'the', ${word})
        ORDER BY word`;
      const df = await tx.$queryRaw<{ df: number }[]>`SELECT df FROM term_stats WHERE term = ${word}`;
      const [after] = await tx.$queryRaw<
        { xmin: string }[]
      >`SELECT xmin::text AS xmin FROM settings WHERE key = 'bm25_stats'`;
      return { stored, lengths, missingOrExtra, postings, tf, words, df, after };
    });

    expect(state.stored).toEqual([
      { ordinal: 0, page: 1, heading_path: ['Pumps', 'Seals, "O-rings"'], vectors: 1 },
      { ordinal: 1, page: null, heading_path: [], vectors: 1 },
      { ordinal: 2, page: 3, heading_path: ['{Braces}', 'back\\slash'], vectors: 1 },
    ]);
    expect(state.lengths.map((r) => r.same)).toEqual([true, true, true]);
    expect(state.postings[0]?.n).toBeGreaterThan(0);
    expect(state.missingOrExtra[0]?.n).toBe(0);
    // The word is in every chunk's metadata (the title) and in the text of chunks 0 and 2.
    expect(state.tf).toEqual([
      { ordinal: 0, tf_text: 3, tf_meta: 1 },
      { ordinal: 1, tf_text: 0, tf_meta: 1 },
      { ordinal: 2, tf_text: 1, tf_meta: 1 },
    ]);
    expect(state.df[0]?.df).toBe(3);
    expect(state.words).toEqual([
      { word: 'hydraulic', tf: 2 },
      { word: 'the', tf: 3 },
      { word, tf: 4 },
    ]);
    // Search's per-scope statistics cache is keyed on this row's xmin: publishing must rewrite it.
    expect(state.after?.xmin).not.toBe(before?.xmin);
  });
});

describe('publishStagedVersions', () => {
  const word = () => `zqb${Math.random().toString(36).slice(2, 8).replace(/[0-9]/g, 'k')}zq`;
  const stage = async (versionId: string, texts: string[]) => {
    const staged = await stageVersion(db, {
      versionId,
      embedderId: 'test-publish',
      chunks: texts.map((text, i) => chunk(i, text, [], null)),
      vectors: texts.map((_, i) => Float32Array.from([i + 1, 0.5, -0.25])),
      pageCount: null,
    });
    if ('published' in staged) throw new Error(staged.reason);
    return staged;
  };
  const readDf = (term: string) =>
    runManaged(
      db,
      (tx) => tx.$queryRaw<{ df: number }[]>`SELECT df FROM term_stats WHERE term = ${term}`,
    ).then((rows) => rows[0]?.df ?? 0);
  const readChunks = () =>
    runManaged(
      db,
      (tx) => tx.$queryRaw<{ value: { chunks: number } }[]>`
      SELECT value FROM settings WHERE key = 'bm25_stats'`,
    ).then((rows) => rows[0]?.value.chunks ?? 0);

  it('publishes a batch in one transaction, leaving out versions that may no longer be published', async () => {
    const [wa, wb] = [word(), word()];
    const a = await createQueuedVersion('Batch A');
    const b = await createQueuedVersion('Batch B');
    const c = await createQueuedVersion('Batch C');
    const chunksBefore = await readChunks();
    const staged = [
      await stage(a.versionId, [`${wa} one`, `${wa} ${wb} two`]),
      await stage(b.versionId, [`${wb} three`]),
      await stage(c.versionId, [`${wa} deleted meanwhile`]),
    ];
    await runManaged(
      db,
      (tx) => tx.$executeRaw`UPDATE documents SET deleted_at = now() WHERE id = ${c.documentId}::uuid`,
    );

    const results = await publishStagedVersions(db, staged);
    expect(results).toEqual([
      { published: true, chunkCount: 2, retiredVersionId: null },
      { published: true, chunkCount: 1, retiredVersionId: null },
      { published: false, reason: 'the document was deleted' },
    ]);
    expect(await readDf(wa)).toBe(2);
    expect(await readDf(wb)).toBe(2);
    expect(await readChunks()).toBe(chunksBefore + 3);
    const left = await runManaged(
      db,
      (tx) => tx.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM chunks WHERE version_id = ${c.versionId}::uuid`,
    );
    expect(left[0]?.n).toBe(0);

    // A new version of A and a new document, through the queue at once: A's first version is retired.
    const a2 = randomUUID();
    await runManaged(
      db,
      (tx) => tx.$executeRaw`
      INSERT INTO document_versions (id, document_id, number, sha256, mime, bytes, status, stage, progress)
      SELECT ${a2}::uuid, document_id, 2, sha256, mime, bytes, 'processing', 'indexing', 92
      FROM document_versions WHERE id = ${a.versionId}::uuid`,
    );
    const d = await createQueuedVersion('Batch D');
    const queue = createPublishQueue(db);
    const settled = await Promise.all([
      stage(a2, [`${wb} replaced`]).then((s) => queue.publish(s)),
      stage(d.versionId, [`${wa} four`]).then((s) => queue.publish(s)),
    ]);
    expect(settled).toEqual([
      { published: true, chunkCount: 1, retiredVersionId: a.versionId },
      { published: true, chunkCount: 1, retiredVersionId: null },
    ]);
    expect(await readDf(wa)).toBe(1);
    expect(await readDf(wb)).toBe(2);
    expect(await readChunks()).toBe(chunksBefore + 3);
  });

  it('refuses two versions of one document in one batch', async () => {
    const a = await createQueuedVersion('Twice');
    const staged = await stage(a.versionId, ['twice']);
    await expect(publishStagedVersions(db, [staged, staged])).rejects.toThrow(/one version per document/);
  });
});
