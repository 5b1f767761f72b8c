import { createTestDb } from '@clearance/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createRole, deleteDocument, publishDocument, runManaged } from '../search/test-fixtures.ts';

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
