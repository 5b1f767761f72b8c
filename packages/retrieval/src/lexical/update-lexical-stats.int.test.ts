import { createTestDb } from '@clearance/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { runManaged as runAsApplication } from '../ingest/run-managed.ts';
import { createRole, deleteDocument, publishDocument, runManaged } from '../search/test-fixtures.ts';
import { rebuildLexicalStats } from './update-lexical-stats.ts';

const db = createTestDb();
afterAll(() => db.$disconnect());

async function readStats(terms: string[]) {
  const rows = await db.$queryRaw<{ term: string; df: number }[]>`
    SELECT term, df FROM term_stats WHERE term = ANY(${terms}::text[])`;
  const [totals] = await db.$queryRaw<{ value: { chunks: number; totalLength: number } }[]>`
    SELECT value FROM settings WHERE key = 'bm25_stats'`;
  return { df: Object.fromEntries(rows.map((r) => [r.term, r.df])), totals: totals?.value };
}

describe('updateLexicalStats', () => {
  it('counts df per lexeme and corpus totals, and undoes them on replacement and deletion', async () => {
    // Ends in 'zq' so the english stemmer leaves it alone (a trailing 's' or 'y' would be stemmed away).
    const word = `zqx${Math.random().toString(36).slice(2, 8).replace(/[0-9]/g, 'k')}zq`;
    const role = await createRole(db, 'lex');
    const before = await readStats([word]);
    const doc = await publishDocument(db, {
      title: 'Lexical',
      roleIds: [role],
      chunks: [
        { text: `${word} ${word} bananas` },
        { text: `${word} apples` },
        { text: 'only bananas here' },
      ],
    });
    const after = await readStats([word]);
    expect(after.df[word]).toBe(2);
    expect(after.totals?.chunks).toBe((before.totals?.chunks ?? 0) + 3);
    // Stopwords take no positions: "only" and "here" are dropped, so the last chunk is one lexeme long.
    const lengths = await runManaged(
      db,
      (tx) =>
        tx.$queryRaw<
          { lex_length: number }[]
        >`SELECT lex_length FROM chunks WHERE version_id = ${doc.versionId}::uuid ORDER BY ordinal`,
    );
    expect(lengths.map((r) => r.lex_length)).toEqual([3, 2, 1]);
    expect(after.totals?.totalLength).toBe((before.totals?.totalLength ?? 0) + 6);

    await publishDocument(db, {
      title: 'Lexical',
      documentId: doc.documentId,
      roleIds: [role],
      chunks: [{ text: `${word} once` }],
    });
    const replaced = await readStats([word]);
    expect(replaced.df[word]).toBe(1);
    expect(replaced.totals?.chunks).toBe((before.totals?.chunks ?? 0) + 1);

    await deleteDocument(db, doc.documentId);
    const deleted = await readStats([word]);
    expect(deleted.df[word]).toBeUndefined();
    expect(deleted.totals?.chunks).toBe(before.totals?.chunks ?? 0);
  });
});

/** The lexical index rows of `documentIds` and `terms`, in a stable order. */
function readIndex(tx: Pick<typeof db, '$queryRaw'>, documentIds: string[], terms: string[]) {
  return Promise.all([
    tx.$queryRaw<unknown[]>`
      SELECT term, chunk_id::text, version_id::text, tf_text, tf_meta, dl_text, dl_meta FROM chunk_terms
      WHERE document_id = ANY(${documentIds}::uuid[]) ORDER BY term, chunk_id`,
    tx.$queryRaw<unknown[]>`
      SELECT word, document_id::text, tf FROM document_words
      WHERE document_id = ANY(${documentIds}::uuid[]) ORDER BY word, document_id`,
    tx.$queryRaw<unknown[]>`SELECT term, df FROM term_stats WHERE term = ANY(${terms}::text[]) ORDER BY term`,
    tx.$queryRaw<unknown[]>`
      SELECT id::text, lex_length, meta_length FROM chunks WHERE document_id = ANY(${documentIds}::uuid[]) ORDER BY id`,
  ]);
}

describe('rebuildLexicalStats', () => {
  it('rewrites what publishing wrote, repairs what was lost, and counts only searchable versions', async () => {
    const word = `zqr${Math.random().toString(36).slice(2, 8).replace(/[0-9]/g, 'k')}zq`;
    const other = `${word}b`;
    const role = await createRole(db, 'rebuild');
    const kept = await publishDocument(db, {
      title: `Rebuild ${word} manual`,
      roleIds: [role],
      chunks: [
        { text: `${word} ${word} pumps pumping`, headingPath: ['Pumps', 'Seals, "O-rings"'] },
        { text: `Bleed the ${other} before the test.` },
      ],
    });
    const first = await publishDocument(db, {
      title: 'Replaced',
      roleIds: [role],
      chunks: [{ text: `${other} in the retired version only` }],
    });
    const replaced = await publishDocument(db, {
      title: 'Replaced',
      documentId: first.documentId,
      roleIds: [role],
      chunks: [{ text: `${word} in the current version` }],
    });
    const deleted = await publishDocument(db, {
      title: 'Deleted',
      roleIds: [role],
      chunks: [{ text: `${word} gone` }],
    });
    await deleteDocument(db, deleted.documentId);
    const documentIds = [kept.documentId, replaced.documentId, deleted.documentId];
    const published = await runManaged(db, (tx) => readIndex(tx, documentIds, [word, other]));

    // What a crash outside the publishing transaction can leave: a lost posting, a lost word, a wrong length.
    await runManaged(db, async (tx) => {
      await tx.$executeRaw`DELETE FROM chunk_terms WHERE document_id = ${kept.documentId}::uuid AND term = ${word}`;
      await tx.$executeRaw`DELETE FROM document_words WHERE document_id = ${kept.documentId}::uuid AND word = 'pumps'`;
      await tx.$executeRaw`UPDATE chunks SET lex_length = 0 WHERE document_id = ${kept.documentId}::uuid`;
    });
    const indexesBefore = await db.$queryRaw<{ def: string }[]>`
      SELECT indexdef AS def FROM pg_indexes WHERE tablename IN ('chunk_terms', 'document_words') ORDER BY indexdef`;

    // As the application role, the way the worker and the bench call it.
    const { totals, rebuilt, recount } = await runAsApplication(
      db,
      async (tx) => {
        const totals = await rebuildLexicalStats(tx);
        const rebuilt = await readIndex(tx, documentIds, [word, other]);
        const [recount] = await tx.$queryRaw<{ chunks: number; length: number; documents: number }[]>`
          SELECT COUNT(*)::int AS chunks, COALESCE(SUM(c.lex_length), 0)::int AS length,
            COUNT(DISTINCT c.version_id)::int AS documents
          FROM chunks c JOIN documents d ON d.current_version_id = c.version_id AND d.deleted_at IS NULL
          JOIN document_versions v ON v.id = c.version_id AND v.status = 'ready'`;
        return { totals, rebuilt, recount };
      },
      { timeout: 120_000 },
    );

    expect(rebuilt).toEqual(published);
    const [postings, , df] = rebuilt;
    // The retired version's and the deleted document's chunks are not indexed.
    expect(postings.some((p) => (p as { version_id: string }).version_id === first.versionId)).toBe(false);
    expect(df).toEqual([
      { term: word, df: 3 },
      { term: other, df: 1 },
    ]);
    expect(totals).toMatchObject({ chunks: recount?.chunks, totalLength: recount?.length });
    expect(totals.documents).toBeGreaterThanOrEqual(2);
    const indexesAfter = await db.$queryRaw<{ def: string }[]>`
      SELECT indexdef AS def FROM pg_indexes WHERE tablename IN ('chunk_terms', 'document_words') ORDER BY indexdef`;
    expect(indexesAfter).toEqual(indexesBefore);
  });
});
