import { Prisma } from '@clearance/db';

type QueryClient = Pick<Prisma.TransactionClient, '$queryRaw'>;

/** BM25's corpus totals over the chunks one scope may read. */
export type ScopeTotals = { chunks: number; totalLength: number; metaLength: number };

/** A query lexeme with its weight and the number of the scope's chunks that contain it. */
export type ScopeTerm = { term: string; df: number; weight: number };

// BM25's statistics are counted over what the asker may read, never over the whole corpus. Corpus-wide
// statistics (term_stats, bm25_stats) told a user whether a word existed in documents they cannot read:
// a lexeme's df decided which query terms were scored (the `truncated` flag of /api/v1/search), whether a
// term was dropped as unknown, and every idf, so another role's new document moved their scores and order.

/** The readable versions of allowedVersionsSql, each once (a document granted to two roles is listed twice). */
function distinctVersionsSql(readableVersions: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`SELECT DISTINCT r.version_id FROM (${readableVersions}) r`;
}

/**
 * A scalar subquery: the scope's totals as json {chunks, totalLength, metaLength}, one index probe and
 * row per readable chunk (chunks_version_id_ordinal_key). `readableVersions` is the scope's
 * allowedVersionsSql.
 */
export function scopeTotalsSql(readableVersions: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(
    SELECT json_build_object('chunks', COUNT(*), 'totalLength', COALESCE(SUM(c.lex_length), 0),
      'metaLength', COALESCE(SUM(c.meta_length), 0))
    FROM (${distinctVersionsSql(readableVersions)}) a JOIN chunks c ON c.version_id = a.version_id)`;
}

/**
 * Per lexeme, the readable chunks that contain it (in their text, title or headings: the postings'
 * fields). Small scopes probe their own versions' postings (chunk_terms_version_id_term_idx); broad ones
 * read each lexeme's postings and check each against the hashed set of readable documents. Lexemes no
 * readable chunk contains come back with df 0.
 */
export async function countScopeTerms(
  tx: QueryClient,
  input: {
    /** allowedVersionsSql of the asker's roles. */
    readableVersions: Prisma.Sql;
    /** grantedDocumentsSql of the asker's roles. */
    readableDocuments: Prisma.Sql;
    lexemes: { term: string; weight: number }[];
    small: boolean;
  },
): Promise<ScopeTerm[]> {
  if (input.lexemes.length === 0) return [];
  const termList = input.lexemes.map((t) => t.term);
  const counts = input.small
    ? await tx.$queryRaw<{ term: string; df: number }[]>`
        SELECT p.term, COUNT(*)::int AS df
        FROM (${distinctVersionsSql(input.readableVersions)}) a
        JOIN chunk_terms p ON p.version_id = a.version_id AND p.term = ANY(${termList}::text[])
        GROUP BY p.term`
    : await tx.$queryRaw<{ term: string; df: number }[]>`
        SELECT q.term, (
          SELECT COUNT(*) FROM chunk_terms p
          WHERE p.term = q.term AND ((p.document_id) IN (${input.readableDocuments})) IS TRUE)::int AS df
        FROM unnest(${termList}::text[]) q(term)`;
  const df = new Map(counts.map((c) => [c.term, c.df]));
  return input.lexemes.map((t) => ({ ...t, df: df.get(t.term) ?? 0 }));
}
