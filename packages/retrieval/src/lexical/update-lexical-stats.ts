import { Prisma } from '@clearance/db';

/** The corpus totals BM25 needs besides per-term document frequencies. */
export type LexicalTotals = { chunks: number; totalLength: number; metaLength: number; documents: number };

/** settings key holding {chunks, totalLength, metaLength, documents} of the searchable corpus. */
export const BM25_STATS_KEY = 'bm25_stats';

type Tx = Pick<Prisma.TransactionClient, '$executeRaw' | '$queryRaw'>;

/** work_mem and maintenance_work_mem of the rebuild's transaction (PGlite included: keep them modest). */
const REBUILD_WORK_MEM = '256MB';
const REBUILD_MAINTENANCE_WORK_MEM = '512MB';

/** The tsvector of a chunk's metadata field (c): its document's (d) title and its heading path. */
const META_TSVECTOR = Prisma.sql`to_tsvector('english', concat_ws(' ', d.title, array_to_string(c.heading_path, ' ')))`;

/** Lexeme positions of a tsvector: BM25's tf per lexeme, summed its document length (stopwords excluded). */
function lexicalLengthSql(tsvector: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`COALESCE((SELECT SUM(COALESCE(array_length(u.positions, 1), 1)) FROM unnest(${tsvector}) u), 0)`;
}

/**
 * Keeps the BM25 index in step with the searchable corpus, inside the caller's transaction: the postings
 * (chunk_terms: per lexeme and chunk, tf in the chunk text and in its document title + heading path),
 * term_stats.df (chunks containing each lexeme in either field), the number of chunks and the summed
 * lexical lengths, and the documents' words (document_words, for spelling correction). Call it from the transaction that publishes versions (`added`: the new versions, after
 * their chunks are inserted and their document row exists; `removed`: the versions they retire) and from
 * deletion (`removed`). Each version must be counted once: add it when it becomes searchable, remove it
 * when it stops being searchable. Also fills `chunks.lex_length` / `meta_length` for added chunks.
 *
 * term_stats and the corpus totals are global: search never ranks with them (a term's corpus-wide df told a
 * user whether a word existed in documents they cannot read); it counts df and totals over the asker's
 * readable chunks (read-scope-statistics.ts) and uses the corpus chunk count only to pick a plan.
 */
export async function updateLexicalStats(
  tx: Tx,
  change: { added: string[]; removed: string[] },
): Promise<LexicalTotals> {
  const added = [...new Set(change.added)];
  const removed = [...new Set(change.removed)].filter((id) => !added.includes(id));
  // One searchable version per document: versions counted are documents counted.
  const delta = { chunks: 0, totalLength: 0, metaLength: 0, documents: added.length - removed.length };
  if (removed.length > 0) {
    const ids = Prisma.sql`ARRAY[${Prisma.join(removed)}]::uuid[]`;
    // ORDER BY term: concurrent publishers lock term_stats rows in one order, so they never deadlock.
    await tx.$executeRaw`
      UPDATE term_stats t SET df = GREATEST(t.df - d.n, 0)
      FROM (
        SELECT term, COUNT(*)::int AS n FROM chunk_terms
        WHERE version_id = ANY(${ids}) GROUP BY term ORDER BY term
      ) d
      WHERE t.term = d.term`;
    await tx.$executeRaw`DELETE FROM term_stats WHERE df <= 0`;
    await tx.$executeRaw`DELETE FROM chunk_terms WHERE version_id = ANY(${ids})`;
    await tx.$executeRaw`
      DELETE FROM document_words WHERE document_id IN (SELECT document_id FROM document_versions WHERE id = ANY(${ids}))`;
    const [row] = await tx.$queryRaw<{ n: bigint; len: bigint | null; meta: bigint | null }[]>`
      SELECT COUNT(*) AS n, SUM(lex_length) AS len, SUM(meta_length) AS meta
      FROM chunks WHERE version_id = ANY(${ids})`;
    delta.chunks -= Number(row?.n ?? 0);
    delta.totalLength -= Number(row?.len ?? 0);
    delta.metaLength -= Number(row?.meta ?? 0);
  }
  if (added.length === 0) return addToTotals(tx, delta, null);
  return indexChunks(tx, Prisma.sql`c.version_id = ANY(ARRAY[${Prisma.join(added)}]::uuid[])`, delta);
}

/**
 * Indexes the chunks matching `where` (over chunks c joined to their document d) and adds them, with
 * `delta`, to the totals: publishing and the rebuild write the same rows with the same statement
 * (`into: 'empty'`: postings and words are empty, as the rebuild leaves them). One
 * statement instead of six: each chunk's tsvectors are read and measured once, and df is counted from the
 * postings as they are written (RETURNING) rather than read back from chunk_terms.
 */
function indexChunks(
  tx: Tx,
  where: Prisma.Sql,
  delta: LexicalTotals,
  into: 'existing' | 'empty' = 'existing',
): Promise<LexicalTotals> {
  return addToTotals(
    tx,
    delta,
    Prisma.sql`
      measured AS (${measuredChunksSql(where)}),
      lengths AS (
        UPDATE chunks c SET lex_length = m.lex_length, meta_length = m.meta_length
        FROM measured m
        WHERE c.id = m.id AND (m.stored_lex_length, m.stored_meta_length) IS DISTINCT FROM (m.lex_length, m.meta_length)),
      postings AS (${postingsSql(Prisma.sql`measured`, into)} RETURNING term),
      df AS (
        INSERT INTO term_stats (term, df)
        SELECT term, COUNT(*)::int FROM postings GROUP BY term
        ORDER BY term
        ON CONFLICT (term) DO UPDATE SET df = term_stats.df + EXCLUDED.df),
      words AS (${wordsSql(Prisma.sql`measured`, into)})`,
  );
}

/**
 * Adds `delta`, plus the chunks of `indexed` (CTEs defining `measured`, see updateLexicalStats), to the
 * bm25_stats totals. Every call rewrites the row, even with nothing to add: its xmin is the searchable
 * corpus's fingerprint that search's per-scope statistics are cached under (read-scope-statistics.ts).
 */
async function addToTotals(tx: Tx, delta: LexicalTotals, indexed: Prisma.Sql | null): Promise<LexicalTotals> {
  const added = indexed
    ? Prisma.sql`${indexed}, a AS (SELECT COUNT(*) AS n, SUM(lex_length) AS len, SUM(meta_length) AS meta FROM measured)`
    : Prisma.sql`a AS (SELECT 0::bigint AS n, 0::bigint AS len, 0::bigint AS meta)`;
  // Added to the row's value as locked by ON CONFLICT, not as read before: concurrent publishers both count.
  const [totals] = await tx.$queryRaw<{ value: LexicalTotals }[]>`
    WITH ${added}, change AS (
      SELECT ${delta.chunks}::bigint + a.n AS chunks,
        ${delta.totalLength}::bigint + COALESCE(a.len, 0) AS total_length,
        ${delta.metaLength}::bigint + COALESCE(a.meta, 0) AS meta_length, ${delta.documents}::bigint AS documents
      FROM a)
    INSERT INTO settings (key, value, updated_at)
    SELECT ${BM25_STATS_KEY}, jsonb_build_object(
      'chunks', GREATEST(change.chunks, 0),
      'totalLength', GREATEST(change.total_length, 0),
      'metaLength', GREATEST(change.meta_length, 0),
      'documents', GREATEST(change.documents, 0)), now()
    FROM change
    ON CONFLICT (key) DO UPDATE SET
      value = (
        SELECT jsonb_build_object(
          'chunks', GREATEST(COALESCE((settings.value->>'chunks')::bigint, 0) + change.chunks, 0),
          'totalLength', GREATEST(COALESCE((settings.value->>'totalLength')::bigint, 0) + change.total_length, 0),
          'metaLength', GREATEST(COALESCE((settings.value->>'metaLength')::bigint, 0) + change.meta_length, 0),
          'documents', GREATEST(COALESCE((settings.value->>'documents')::bigint, 0) + change.documents, 0))
        FROM change),
      updated_at = now()
    RETURNING value`;
  return readTotals(totals?.value);
}

/**
 * The chunks matching `where` (over chunks c joined to their document d) with what indexing reads: text,
 * search and metadata tsvectors, lexical lengths as they should be and as stored.
 */
function measuredChunksSql(where: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    SELECT c.id, c.document_id, c.version_id, c.text, c.search, m.meta,
      ${lexicalLengthSql(Prisma.sql`c.search`)} AS lex_length, ${lexicalLengthSql(Prisma.sql`m.meta`)} AS meta_length,
      c.lex_length AS stored_lex_length, c.meta_length AS stored_meta_length
    FROM chunks c
    JOIN documents d ON d.id = c.document_id
    CROSS JOIN LATERAL (SELECT ${META_TSVECTOR} AS meta) m
    WHERE ${where}`;
}

/**
 * Inserts the postings of `source` (a relation shaped by measuredChunksSql). A lexeme's text and metadata
 * tf are summed per chunk (a lateral GROUP BY of ~50 rows) rather than in one aggregate over the whole
 * source: over 100k chunks the global HashAggregate spilled to disk and took 15 s of a 35 s SELECT.
 * Into existing tables the postings go in term order: all three indexes of chunk_terms lead with the
 * term (or, for version_id, one version's terms), so each index page is visited once for its run of
 * postings instead of once per posting. 2,000 chunks (62k postings) into 19k indexed: 1.8-2.5 s instead
 * of 5.4-8 s (PostgreSQL, load 10 on 2 cores). The rebuild inserts into index-less tables: no sort.
 */
function postingsSql(source: Prisma.Sql, into: 'existing' | 'empty'): Prisma.Sql {
  const order = into === 'existing' ? Prisma.sql`ORDER BY t.term` : Prisma.empty;
  return Prisma.sql`
    INSERT INTO chunk_terms (term, chunk_id, document_id, version_id, tf_text, tf_meta, dl_text, dl_meta)
    SELECT t.term, s.id, s.document_id, s.version_id, t.tf_text, t.tf_meta, s.lex_length, s.meta_length
    FROM ${source} s
    CROSS JOIN LATERAL (
      SELECT x.term, SUM(x.tf_text)::int AS tf_text, SUM(x.tf_meta)::int AS tf_meta
      FROM (
        SELECT u.lexeme AS term, COALESCE(array_length(u.positions, 1), 1) AS tf_text, 0 AS tf_meta
        FROM unnest(s.search) u
        UNION ALL
        SELECT u.lexeme, 0, COALESCE(array_length(u.positions, 1), 1) FROM unnest(s.meta) u
      ) x
      GROUP BY x.term
    ) t
    ${order}`;
}

/**
 * Inserts the words of `source` (shaped by measuredChunksSql) per document, as written: spelling
 * correction's vocabulary. One version per document is searchable, so a document's words are its current
 * version's.
 */
function wordsSql(source: Prisma.Sql, into: 'existing' | 'empty'): Prisma.Sql {
  // Into empty tables nothing can conflict, and without the arbiter the primary key can be built after
  // the refill (dropRefillIndexes): 100k chunks, the indexing statement took 52 s instead of 84 s, and
  // building the key afterwards 7 s.
  const upsert =
    into === 'existing'
      ? Prisma.sql`ON CONFLICT (word, document_id) DO UPDATE SET tf = EXCLUDED.tf`
      : Prisma.empty;
  return Prisma.sql`
    INSERT INTO document_words (word, document_id, tf)
    SELECT u.lexeme, s.document_id, SUM(COALESCE(array_length(u.positions, 1), 1))::int
    FROM ${source} s CROSS JOIN LATERAL unnest(to_tsvector('simple', s.text)) u
    WHERE length(u.lexeme) >= 3 AND u.lexeme !~ '[0-9]'
    GROUP BY u.lexeme, s.document_id
    ${upsert}`;
}

function readTotals(value: Partial<LexicalTotals> | undefined): LexicalTotals {
  return {
    chunks: Number(value?.chunks ?? 0),
    totalLength: Number(value?.totalLength ?? 0),
    metaLength: Number(value?.metaLength ?? 0),
    documents: Number(value?.documents ?? 0),
  };
}

/**
 * Recomputes the whole BM25 index (postings, df, words, totals) from the chunks of ready current versions
 * of non-deleted documents: repair after a crash outside the publishing transaction, after bulk loads or a
 * title change. Runs in the caller's transaction (which must see every chunk: manage mode or a role that
 * bypasses RLS) and writes what publishing each of those versions would have written.
 *
 * When the connection's user owns the tables (the user that ran the migrations), the indexes the refill
 * does not need are dropped and built again from the finished tables, which holds an exclusive lock on
 * chunk_terms and document_words (searches wait) until the caller commits. 100k chunks on 2 busy cores:
 * 273 s with every index updated row by row, 101 s now (52 s indexing, 48 s index builds).
 */
export async function rebuildLexicalStats(tx: Tx): Promise<LexicalTotals> {
  // The corpus's sorts, hashes and index builds in memory rather than in temporary files (4/64 MB by default).
  await tx.$queryRaw`SELECT set_config('work_mem', ${REBUILD_WORK_MEM}, true),
    set_config('maintenance_work_mem', ${REBUILD_MAINTENANCE_WORK_MEM}, true)`;
  // Publishers wait from here to commit: one committing between the DELETE and the refill would have its
  // chunks indexed twice (the primary key, built afterwards, would then fail the rebuild).
  await tx.$executeRaw`LOCK TABLE chunk_terms, document_words, term_stats IN EXCLUSIVE MODE`;
  const recreate = await dropRefillIndexes(tx);
  await tx.$executeRaw`DELETE FROM chunk_terms`;
  await tx.$executeRaw`DELETE FROM document_words`;
  await tx.$executeRaw`DELETE FROM term_stats`;
  await tx.$executeRaw`DELETE FROM settings WHERE key = ${BM25_STATS_KEY}`;
  const [row] = await tx.$queryRaw<{ n: bigint }[]>`
    SELECT COUNT(*) AS n FROM document_versions v
    JOIN documents d ON d.current_version_id = v.id AND d.deleted_at IS NULL
    WHERE v.status = 'ready'`;
  const searchable = Prisma.sql`
    c.version_id IN (
      SELECT v.id FROM document_versions v
      JOIN documents sd ON sd.current_version_id = v.id AND sd.deleted_at IS NULL
      WHERE v.status = 'ready')`;
  const totals = await indexChunks(
    tx,
    searchable,
    { chunks: 0, totalLength: 0, metaLength: 0, documents: Number(row?.n ?? 0) },
    'empty',
  );
  await recreate();
  return totals;
}

/**
 * Drops every index of chunk_terms and document_words (primary keys included: the refill inserts into
 * empty tables, so nothing can conflict), as the tables' owner, and returns the function that builds them again from the
 * catalog's own definitions, so they can't drift from the migrations. Building an index from a full table
 * sorts once; updating it row by row touched a random page per posting: 100k chunks, postings 86 s with
 * their three indexes against 14 s without them plus 30 s of index builds. Does nothing (the refill keeps
 * its indexes) when the connection's user does not own the tables.
 */
async function dropRefillIndexes(tx: Tx): Promise<() => Promise<void>> {
  const [owner] = await tx.$queryRaw<{ role: string; owns: boolean }[]>`
    SELECT current_user AS role, bool_and(pg_has_role(session_user, relowner, 'USAGE')) AS owns
    FROM pg_class WHERE oid IN ('chunk_terms'::regclass, 'document_words'::regclass)`;
  if (!owner?.owns) return async () => {};
  const indexes = await tx.$queryRaw<{ drop: string; create: string }[]>`
    SELECT CASE WHEN con.oid IS NULL THEN format('DROP INDEX %s', i.indexrelid::regclass)
        ELSE format('ALTER TABLE %s DROP CONSTRAINT %I', i.indrelid::regclass, con.conname) END AS drop,
      CASE WHEN con.oid IS NULL THEN pg_get_indexdef(i.indexrelid)
        ELSE format('ALTER TABLE %s ADD CONSTRAINT %I %s', i.indrelid::regclass, con.conname, pg_get_constraintdef(con.oid))
        END AS create
    FROM pg_index i
    LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid
    WHERE i.indrelid IN ('chunk_terms'::regclass, 'document_words'::regclass)`;
  // DDL needs the owner; the transaction runs as the application role, so switch for it and back.
  const asOwner = async (statements: string[]) => {
    await tx.$queryRaw`SELECT set_config('role', 'none', true)`;
    for (const statement of statements) await tx.$executeRaw`${Prisma.raw(statement)}`;
    await tx.$queryRaw`SELECT set_config('role', ${owner.role}, true)`;
  };
  await asOwner(indexes.map((index) => index.drop));
  return () => asOwner(indexes.map((index) => index.create));
}
