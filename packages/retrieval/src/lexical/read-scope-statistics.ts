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
//
// Counting them costs a pass over the scope's chunks (totals) and over each query lexeme's postings (df),
// so they are kept per role set, under a fingerprint of exactly what those counts read: the scope's
// readable versions (a publish, retirement, deletion or grant change alters the set; a version's chunks
// and postings never change while it is readable) and the index's last change (a rebuild after a title
// change rewrites postings). A fingerprint is read in the same statement as the counts it labels, so a
// count is only ever filed under the state it was made in. Whatever is served from here was counted over
// documents the role set could read in that state, and only that state's searches are served it.

type ScopeEntry = { fingerprint: string; totals: ScopeTotals; df: Map<string, number> };

/** Role sets remembered (least recently used first out) and lexemes per role set. */
const MAX_SCOPES = 256;
const MAX_TERMS = 20_000;
const cache = new Map<string, ScopeEntry>();

/** The readable versions of allowedVersionsSql, each once (a document granted to two roles is listed twice). */
function distinctVersionsSql(readableVersions: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`SELECT DISTINCT r.version_id FROM (${readableVersions}) r`;
}

/** The state a scope's counts depend on, as text (see above). Collisions need equal 64-bit hash sums. */
function fingerprintSql(versions: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(
    SELECT COUNT(*)::text || ':' || COALESCE(SUM(hashtextextended(v.version_id::text, 0)::numeric), 0)::text
      || ':' || COALESCE((SELECT updated_at::text FROM settings WHERE key = 'bm25_stats'), '')
    FROM (${versions}) v)`;
}

function remember(key: string, entry: ScopeEntry) {
  cache.delete(key);
  cache.set(key, entry);
  for (const oldest of cache.keys()) {
    if (cache.size <= MAX_SCOPES) break;
    cache.delete(oldest);
  }
}

/**
 * The totals of the chunks a role set may read, and the fingerprint they belong to (for countScopeTerms).
 * One index probe and row per readable chunk (chunks_version_id_ordinal_key) when not known already.
 * `roleIds` must be the ones `readableVersions` (allowedVersionsSql, without filters) was built from.
 */
export async function readScopeTotals(
  tx: QueryClient,
  input: { roleIds: string[]; readableVersions: Prisma.Sql },
): Promise<{ fingerprint: string; totals: ScopeTotals }> {
  const key = [...input.roleIds].sort().join(',');
  const known = cache.get(key);
  const versions = distinctVersionsSql(input.readableVersions);
  const [row] = await tx.$queryRaw<{ fingerprint: string; totals: ScopeTotals | null }[]>`
    WITH v AS MATERIALIZED (${versions})
    SELECT f.fingerprint, CASE WHEN f.fingerprint = ${known?.fingerprint ?? ''} THEN NULL ELSE (
      SELECT json_build_object('chunks', COUNT(*), 'totalLength', COALESCE(SUM(c.lex_length), 0),
        'metaLength', COALESCE(SUM(c.meta_length), 0))
      FROM v JOIN chunks c ON c.version_id = v.version_id) END AS totals
    FROM (SELECT ${fingerprintSql(Prisma.sql`SELECT version_id FROM v`)} AS fingerprint) f`;
  const fingerprint = row?.fingerprint ?? '';
  if (known && row?.totals === null) {
    remember(key, known);
    return { fingerprint, totals: known.totals };
  }
  const totals = {
    chunks: Number(row?.totals?.chunks ?? 0),
    totalLength: Number(row?.totals?.totalLength ?? 0),
    metaLength: Number(row?.totals?.metaLength ?? 0),
  };
  remember(key, { fingerprint, totals, df: new Map() });
  return { fingerprint, totals };
}

/**
 * Per lexeme, the readable chunks that contain it (in their text, title or headings: the postings'
 * fields); lexemes no readable chunk contains come back with df 0. Small scopes probe their own versions'
 * postings (chunk_terms_version_id_term_idx); broad ones read each lexeme's postings and check each
 * against the hashed set of readable documents. Counts known for `fingerprint` (readScopeTotals) are
 * reused; new ones are kept only if the state is still the fingerprinted one.
 */
export async function countScopeTerms(
  tx: QueryClient,
  input: {
    roleIds: string[];
    fingerprint: string;
    /** allowedVersionsSql of the asker's roles. */
    readableVersions: Prisma.Sql;
    /** grantedDocumentsSql of the asker's roles. */
    readableDocuments: Prisma.Sql;
    lexemes: { term: string; weight: number }[];
    small: boolean;
  },
): Promise<ScopeTerm[]> {
  const entry = cache.get([...input.roleIds].sort().join(','));
  const known = entry?.fingerprint === input.fingerprint ? entry.df : new Map<string, number>();
  const missing = input.lexemes.map((t) => t.term).filter((term) => !known.has(term));
  const df = new Map(known);
  if (missing.length > 0) {
    const versions = distinctVersionsSql(input.readableVersions);
    const counts = input.small
      ? Prisma.sql`
          SELECT p.term, COUNT(*)::int AS df
          FROM (${versions}) a
          JOIN chunk_terms p ON p.version_id = a.version_id AND p.term = ANY(${missing}::text[])
          GROUP BY p.term`
      : Prisma.sql`
          SELECT q.term, (
            SELECT COUNT(*) FROM chunk_terms p
            WHERE p.term = q.term AND ((p.document_id) IN (${input.readableDocuments})) IS TRUE)::int AS df
          FROM unnest(${missing}::text[]) q(term)`;
    const [row] = await tx.$queryRaw<
      { fingerprint: string; counts: { term: string; df: number }[] | null }[]
    >`
      SELECT ${fingerprintSql(versions)} AS fingerprint,
        (SELECT json_agg(json_build_object('term', c.term, 'df', c.df)) FROM (${counts}) c) AS counts`;
    // Small scopes' counts list only the lexemes they found: the others are 0.
    const found = new Map((row?.counts ?? []).map((c) => [c.term, c.df]));
    for (const term of missing) df.set(term, found.get(term) ?? 0);
    if (entry && row?.fingerprint === input.fingerprint && entry.fingerprint === input.fingerprint) {
      if (entry.df.size + missing.length > MAX_TERMS) entry.df.clear();
      for (const term of missing) entry.df.set(term, df.get(term) ?? 0);
    }
  }
  return input.lexemes.map((t) => ({ ...t, df: df.get(t.term) ?? 0 }));
}
