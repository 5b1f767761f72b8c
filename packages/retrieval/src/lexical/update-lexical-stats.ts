import { Prisma } from '@clearance/db';

/** The corpus totals BM25 needs besides per-term document frequencies. */
export type LexicalTotals = { chunks: number; totalLength: number };

/** settings key holding {chunks, totalLength} of every chunk counted in term_stats. */
export const BM25_STATS_KEY = 'bm25_stats';

type Tx = Pick<Prisma.TransactionClient, '$executeRaw' | '$queryRaw'>;

/**
 * Keeps the BM25 statistics in step with the searchable corpus, inside the caller's transaction:
 * term_stats.df (chunks containing each lexeme of `chunks.search`), the number of chunks and the summed
 * lexical length. Call it from the transaction that publishes versions (`added`: the new versions, after
 * their chunks are inserted; `removed`: the versions they retire) and from deletion (`removed`, while the
 * chunks still exist). Each version must be counted once: add it when it becomes searchable, remove it
 * when it stops being searchable. Also fills `chunks.lex_length` for added chunks (token positions in
 * their tsvector), so ingestion need not compute it.
 *
 * Statistics are global across roles on purpose: per-scope statistics would cost a corpus scan per query,
 * and df of a term reveals at most that some chunk somewhere contains it, never which or what else.
 */
export async function updateLexicalStats(
  tx: Tx,
  change: { added: string[]; removed: string[] },
): Promise<LexicalTotals> {
  const added = [...new Set(change.added)];
  const removed = [...new Set(change.removed)].filter((id) => !added.includes(id));
  let deltaChunks = 0;
  let deltaLength = 0;
  if (added.length > 0) {
    const ids = Prisma.sql`ARRAY[${Prisma.join(added)}]::uuid[]`;
    // Positions are what BM25 counts as document length (stopwords excluded, as in its tf).
    await tx.$executeRaw`
      UPDATE chunks c SET lex_length = COALESCE(
        (SELECT SUM(COALESCE(array_length(u.positions, 1), 1)) FROM unnest(c.search) u), 0)
      WHERE c.version_id = ANY(${ids})`;
    await tx.$executeRaw`
      INSERT INTO term_stats (term, df)
      SELECT u.lexeme, COUNT(*)::int FROM chunks c, unnest(c.search) u
      WHERE c.version_id = ANY(${ids})
      GROUP BY u.lexeme
      ORDER BY u.lexeme
      ON CONFLICT (term) DO UPDATE SET df = term_stats.df + EXCLUDED.df`;
    const [row] = await tx.$queryRaw<{ n: bigint; len: bigint | null }[]>`
      SELECT COUNT(*) AS n, SUM(lex_length) AS len FROM chunks WHERE version_id = ANY(${ids})`;
    deltaChunks += Number(row?.n ?? 0);
    deltaLength += Number(row?.len ?? 0);
  }
  if (removed.length > 0) {
    const ids = Prisma.sql`ARRAY[${Prisma.join(removed)}]::uuid[]`;
    // ORDER BY term: concurrent publishers lock term_stats rows in one order, so they never deadlock.
    await tx.$executeRaw`
      UPDATE term_stats t SET df = GREATEST(t.df - d.n, 0)
      FROM (
        SELECT u.lexeme AS term, COUNT(*)::int AS n FROM chunks c, unnest(c.search) u
        WHERE c.version_id = ANY(${ids}) GROUP BY u.lexeme ORDER BY u.lexeme
      ) d
      WHERE t.term = d.term`;
    await tx.$executeRaw`DELETE FROM term_stats WHERE df <= 0`;
    const [row] = await tx.$queryRaw<{ n: bigint; len: bigint | null }[]>`
      SELECT COUNT(*) AS n, SUM(lex_length) AS len FROM chunks WHERE version_id = ANY(${ids})`;
    deltaChunks -= Number(row?.n ?? 0);
    deltaLength -= Number(row?.len ?? 0);
  }
  const [totals] = await tx.$queryRaw<{ value: { chunks: number; totalLength: number } }[]>`
    INSERT INTO settings (key, value, updated_at)
    VALUES (${BM25_STATS_KEY}, jsonb_build_object('chunks', GREATEST(${deltaChunks}::bigint, 0), 'totalLength', GREATEST(${deltaLength}::bigint, 0)), now())
    ON CONFLICT (key) DO UPDATE SET
      value = jsonb_build_object(
        'chunks', GREATEST(COALESCE((settings.value->>'chunks')::bigint, 0) + ${deltaChunks}::bigint, 0),
        'totalLength', GREATEST(COALESCE((settings.value->>'totalLength')::bigint, 0) + ${deltaLength}::bigint, 0)),
      updated_at = now()
    RETURNING value`;
  return { chunks: Number(totals?.value.chunks ?? 0), totalLength: Number(totals?.value.totalLength ?? 0) };
}

/**
 * Recomputes every BM25 statistic from the chunks of ready current versions of non-deleted documents:
 * repair after a crash outside the publishing transaction, or after bulk loads. Runs in the caller's
 * transaction (which must see every chunk: manage mode or a role that bypasses RLS).
 */
export async function rebuildLexicalStats(tx: Tx): Promise<LexicalTotals> {
  await tx.$executeRaw`
    UPDATE chunks c SET lex_length = COALESCE(
      (SELECT SUM(COALESCE(array_length(u.positions, 1), 1)) FROM unnest(c.search) u), 0)
    WHERE c.lex_length = 0`;
  await tx.$executeRaw`DELETE FROM term_stats`;
  await tx.$executeRaw`
    INSERT INTO term_stats (term, df)
    SELECT u.lexeme, COUNT(*)::int FROM chunks c
    JOIN document_versions v ON v.id = c.version_id AND v.status = 'ready'
    JOIN documents d ON d.current_version_id = v.id AND d.deleted_at IS NULL,
    unnest(c.search) u
    GROUP BY u.lexeme`;
  const [totals] = await tx.$queryRaw<{ value: { chunks: number; totalLength: number } }[]>`
    INSERT INTO settings (key, value, updated_at)
    SELECT ${BM25_STATS_KEY}, jsonb_build_object('chunks', COUNT(*), 'totalLength', COALESCE(SUM(c.lex_length), 0)), now()
    FROM chunks c
    JOIN document_versions v ON v.id = c.version_id AND v.status = 'ready'
    JOIN documents d ON d.current_version_id = v.id AND d.deleted_at IS NULL
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()
    RETURNING value`;
  return { chunks: Number(totals?.value.chunks ?? 0), totalLength: Number(totals?.value.totalLength ?? 0) };
}
