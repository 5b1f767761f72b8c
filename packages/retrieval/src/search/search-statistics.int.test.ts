import { createHash, randomUUID } from 'node:crypto';
import { createTestDb, uniqueSuffix } from '@clearance/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { type QueryEmbedder, type SearchResult, type SearchScope, searchChunks } from './search-chunks.ts';
import { createRole, deleteDocument, publishDocument, runManaged } from './test-fixtures.ts';

const db = createTestDb();
afterAll(() => db.$disconnect());

const DIM = 8;
const BROAD = { exactMaxChunks: 0, exactShare: 0 };
/** A vector from the text's digest: the same text always embeds the same, with no model to load. */
function embedText(text: string): number[] {
  const digest = createHash('sha256').update(text).digest();
  return Array.from({ length: DIM }, (_, i) => ((digest[i] ?? 0) - 127.5) / 127.5);
}

/** Deterministic pseudo-random numbers, so a failing case can be replayed. */
function seeded(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

// Letters only and ending in 'zq': the english stemmer keeps them whole and document_words keeps them
// (it skips words with digits), so they serve as query words, postings and spelling vocabulary alike.
const word = () =>
  `zq${uniqueSuffix().replace(/[^a-z]/g, '')}${'abcdefghij'[Math.floor(Math.random() * 10)]}zq`;

describe('property: search statistics come from the scope alone', () => {
  it("a user's responses are byte-identical before and after unreadable documents full of their query words come and go", async () => {
    const random = seeded(15);
    const embedder: QueryEmbedder = {
      id: `stats-${uniqueSuffix()}`,
      dimension: DIM,
      embed: async (texts) => texts.map((text) => Float32Array.from(embedText(text))),
    };
    const [mine, also, theirs] = [
      await createRole(db, 'stats-mine'),
      await createRole(db, 'stats-also'),
      await createRole(db, 'stats-theirs'),
    ];
    // One role, and two roles that share a document (counted once in the statistics).
    const scopes: SearchScope[] = [
      { userId: randomUUID(), roleIds: [mine], isAdmin: false },
      { userId: randomUUID(), roleIds: [mine, also], isAdmin: false },
    ];
    // The asker's vocabulary: a few frequent words and many rare ones.
    const vocabulary = Array.from({ length: 48 }, () => word());
    const pick = () => vocabulary[Math.floor(random() ** 2 * vocabulary.length)] ?? 'zqzq';
    for (let d = 0; d < 6; d++) {
      const chunks = Array.from({ length: 3 }, () => {
        const text = Array.from({ length: 8 + Math.floor(random() * 20) }, pick).join(' ');
        return { text, embedding: embedText(text) };
      });
      const roleIds = d % 2 ? [mine, also] : [mine];
      await publishDocument(db, { title: `Mine ${d}`, roleIds, chunks, embedderId: embedder.id });
    }
    // Words only the other role's documents will hold: a rare word, a number, a word one edit from the
    // asker's misspelling.
    const secret = word();
    const secretNumber = String(700 + Math.floor(random() * 99));
    const typoTarget = word();
    const typo = `${typoTarget.slice(0, 4)}${typoTarget.slice(5)}`;
    const queries = [
      `${vocabulary[0]} ${vocabulary[1]}`,
      `${vocabulary[2]} ${secret}`,
      `${secret} ${secretNumber}`,
      typo,
      `${vocabulary[3]} ${typo}`,
      // 30 readable words and three unreadable ones: 33 terms, over the 32 scored.
      [...vocabulary.slice(0, 30), secret, secretNumber, typoTarget].join(' '),
      // 40 readable words: which 32 are scored follows their document frequencies.
      [...vocabulary.slice(0, 40), secret].join(' '),
      vocabulary.slice(40).join(' '),
    ];
    const respond = async (scope = scopes[0] as SearchScope) => {
      const responses: string[] = [];
      for (const query of queries) {
        for (const k of [5, 1000]) {
          const shared = scopes[1] as SearchScope;
          const lexical = await searchChunks(db, { scope, query, k, embedder: null });
          const hybrid = await searchChunks(db, { scope, query, k, embedder });
          const twoRoles = await searchChunks(db, { scope: shared, query, k, embedder });
          // The broad-scope plans (postings read per term, df counted against the readable set).
          const broad = await searchChunks(db, { scope, query, k, embedder: null, config: BROAD });
          responses.push(JSON.stringify({ query, k, lexical, hybrid, twoRoles, broad }));
        }
      }
      return responses;
    };

    const before = await respond();
    // The test is not vacuous: queries find the asker's passages, and the long ones are cut to 32 terms.
    expect(before.filter((r) => r.includes('"chunkId"')).length).toBeGreaterThan(queries.length);
    expect(before.some((r) => r.includes('"truncated":true'))).toBe(true);

    // Documents the asker can't read, full of every query word (the rare ones many times): granted to
    // another role, to nobody, and one deleted.
    const flood = [...vocabulary, secret, secretNumber, typoTarget];
    const unreadable: string[] = [];
    for (const roleIds of [[theirs], [theirs], []]) {
      const chunks = Array.from({ length: 8 }, (_, c) => {
        const text = [...flood.slice(c * 5), secret, secretNumber, typoTarget, secret].join(' ');
        return { text, embedding: embedText(text) };
      });
      const doc = await publishDocument(db, {
        title: `${secret} ${vocabulary[0]} ${typoTarget}`,
        roleIds,
        chunks,
        embedderId: embedder.id,
      });
      unreadable.push(doc.documentId);
    }
    const gone = await publishDocument(db, {
      title: 'Deleted',
      roleIds: [mine],
      chunks: [{ text: flood.join(' ') }],
    });
    await deleteDocument(db, gone.documentId);

    // Which responses moved (query and k), so a failure names the probe rather than printing pages of JSON.
    const moved = (responses: string[]) =>
      responses.flatMap((response, i) =>
        response === before[i] ? [] : [`${queries[Math.floor(i / 2)]?.slice(0, 50)} (k ${i % 2 ? 1000 : 5})`],
      );
    expect(moved(await respond()), 'responses moved by unreadable documents').toEqual([]);

    // A grant given and taken back: while it lasts the document is the asker's and counts; once revoked,
    // nothing counted while it was readable may linger (statistics are kept per scope state).
    const [lent] = unreadable;
    const grant = (action: 'give' | 'take') =>
      runManaged(db, (tx) =>
        action === 'give'
          ? tx.$executeRaw`INSERT INTO document_grants (document_id, role_id) VALUES (${lent}::uuid, ${mine}::uuid)`
          : tx.$executeRaw`DELETE FROM document_grants WHERE document_id = ${lent}::uuid AND role_id = ${mine}::uuid`,
      );
    await grant('give');
    const lentResponses = await respond();
    expect(moved(lentResponses).length, 'a granted document counts').toBeGreaterThan(0);
    // ...exactly as for a role set searching for the first time (nothing left over from before the grant).
    const empty = await createRole(db, 'stats-empty');
    const fresh = { userId: randomUUID(), roleIds: [mine, empty], isAdmin: false };
    expect(lentResponses).toEqual(await respond(fresh));
    await grant('take');
    expect(moved(await respond()), 'responses moved after the grant was revoked').toEqual([]);

    for (const documentId of unreadable) await deleteDocument(db, documentId);
    expect(moved(await respond()), 'responses moved by deleting them').toEqual([]);

    // Control: a document the asker may read does change their results.
    await publishDocument(db, {
      title: 'Mine, new',
      roleIds: [mine],
      chunks: [{ text: `${secret} ${vocabulary[0]} ${vocabulary[1]}`, embedding: embedText(secret) }],
    });
    expect(moved(await respond()).length).toBeGreaterThan(0);
  });

  it('a scope that reads the whole corpus ranks as when counted, and stops being whole when a document it cannot read arrives', async () => {
    // Such a scope reads its df from the corpus's term_stats instead of counting postings
    // (read-scope-statistics.ts): the same numbers, until the corpus holds something it can't read.
    const everything = await createRole(db, 'stats-whole');
    const vocabulary = Array.from({ length: 12 }, () => word());
    for (let d = 0; d < 3; d++) {
      const text = vocabulary.slice(d * 3, d * 3 + 8).join(' ');
      await publishDocument(db, {
        title: `Whole ${d}`,
        roleIds: [everything],
        chunks: [{ text }, { text: `${text} ${text}` }],
      });
    }
    await runManaged(
      db,
      (tx) => tx.$executeRaw`
        INSERT INTO document_grants (document_id, role_id)
        SELECT id, ${everything}::uuid FROM documents WHERE deleted_at IS NULL ON CONFLICT DO NOTHING`,
    );
    // Role sets with the same reach and their own remembered statistics.
    const sameReach = async (): Promise<SearchScope> => ({
      userId: randomUUID(),
      roleIds: [everything, await createRole(db, 'stats-none')],
      isAdmin: false,
    });
    const query = vocabulary.slice(0, 7).join(' ');
    const search = (scope: SearchScope) =>
      searchChunks(db, { scope, query, k: 20, embedder: null, config: BROAD });
    const remembered = await sameReach();
    // Its totals counted and remembered (whole, unless another test published meanwhile), then the
    // query's lexemes read for the first time.
    await searchChunks(db, { scope: remembered, query: vocabulary[11] ?? '', embedder: null });
    // Other test files publish and delete documents meanwhile, and one deleted while the searches run
    // changes what this scope reads (it was granted everything live), so its scores. The searches are
    // compared once no chunk the scope reads came or went while they ran (made again otherwise).
    const readableState = async () => {
      const [row] = await runManaged(
        db,
        (tx) => tx.$queryRaw<{ state: string }[]>`
          SELECT COUNT(*)::text || ':' || COALESCE(SUM(c.lex_length), 0)::text AS state
          FROM document_grants g
          JOIN document_versions v ON v.document_id = g.document_id AND v.status = 'ready'
          JOIN chunks c ON c.version_id = v.id
          WHERE g.role_id = ${everything}::uuid AND NOT g.document_deleted`,
      );
      return row?.state;
    };
    let runs: Record<'before' | 'beforeFresh' | 'after' | 'afterFresh', SearchResult> | undefined;
    for (let attempt = 1; attempt <= 5; attempt++) {
      const state = await readableState();
      const before = await search(remembered);
      const beforeFresh = await search(await sameReach());
      await publishDocument(db, {
        title: 'Not theirs',
        roleIds: [],
        chunks: [{ text: `${query} ${query}` }],
      });
      const after = await search(remembered);
      const afterFresh = await search(await sameReach());
      runs = { before, beforeFresh, after, afterFresh };
      if ((await readableState()) === state) break;
    }
    expect(runs?.before.passages.length).toBeGreaterThan(2);
    expect(runs?.before).toEqual(runs?.beforeFresh);
    expect(runs?.after).toEqual(runs?.afterFresh);
    expect(runs?.after).toEqual(runs?.before);
  });

  it('counts a lexeme the same per posting (broad scopes) as per readable version (small ones)', async () => {
    // A role set counts with the plan of its first search, so two with the same reach, one first
    // searched broad and one small, rank the same query from differently made counts; unreadable
    // postings of the lexeme must count in neither.
    const reach = await createRole(db, 'stats-reach');
    const [common, rare, warm] = [word(), word(), word()];
    for (let d = 0; d < 2; d++) {
      await publishDocument(db, {
        title: `Reach ${d}`,
        roleIds: [reach],
        chunks: [
          { text: `${common} ${rare} ${warm} ${word()}` },
          { text: `${common} ${common} ${word()} ${word()}` },
        ],
      });
    }
    // Unreadable postings of `common`, more than the scope's own.
    await publishDocument(db, {
      title: 'Elsewhere',
      roleIds: [],
      chunks: Array.from({ length: 10 }, () => ({ text: `${common} ${common} ${common}` })),
    });
    const sameReach = async (): Promise<SearchScope> => ({
      userId: randomUUID(),
      roleIds: [reach, await createRole(db, 'stats-none')],
      isAdmin: false,
    });
    const [broadFirst, smallFirst] = [await sameReach(), await sameReach()];
    await searchChunks(db, { scope: broadFirst, query: warm, embedder: null, config: BROAD });
    await searchChunks(db, { scope: smallFirst, query: warm, embedder: null });
    const search = (scope: SearchScope) =>
      searchChunks(db, { scope, query: `${common} ${rare}`, k: 10, embedder: null, config: BROAD });
    const ranked = await search(broadFirst);
    expect(ranked.passages).toHaveLength(4);
    expect(ranked).toEqual(await search(smallFirst));
  });
});
