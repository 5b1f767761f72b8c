import { PREPARED, Prisma, type RawQueryClient } from '@clearance/db';
import { inScopeSql } from '../search/scope-sql.ts';
import { BM25_STATS_KEY } from './update-lexical-stats.ts';

type QueryClient = RawQueryClient;

/** BM25's corpus totals over the chunks one scope may read. */
export type ScopeTotals = { chunks: number; totalLength: number; metaLength: number };

/** A query lexeme with its weight and the number of the scope's chunks that contain it. */
export type ScopeTerm = { term: string; df: number; weight: number };

// BM25's statistics are counted over what the asker may read, never over the whole corpus. Corpus-wide
// statistics (term_stats, bm25_stats) told a user whether a word existed in documents they cannot read:
// a lexeme's df decided which query terms were scored (the `truncated` flag of /api/v1/search), whether a
// term was dropped as unknown, and every idf, so another role's new document moved their scores and order.
//
// Counting costs a pass over the scope's chunks (totals) and over each query lexeme's postings (df), so
// counts are kept per role set under a fingerprint of what they read: the role set's grants (a grant given
// or taken changes them) and the transaction that last changed the searchable corpus (the xmin of the
// bm25_stats row: every publish, retirement, deletion and rebuild rewrites it through updateLexicalStats or
// rebuildLexicalStats, in the same transaction; a timestamp could repeat). A fingerprint is read in the
// same statement as the counts it labels, so a count is only ever filed under the state it was made in:
// what is served from here was counted over what the role set could read in that state, and only searches
// in that state are served it.

// A scope that reads the whole searchable corpus has the corpus's statistics: its df are term_stats'
// (maintained with the postings, in the same transactions as the totals the fingerprint labels), read
// by key instead of counted over each lexeme's every posting (the 100% scope of bench:retrieval's 100k
// chunks: ~10 ms of counting a search for four new lexemes). `whole` is known when the totals are
// counted: they equal the corpus totals (bm25_stats) read in the same statement, chunks and both
// lengths; a scope is a subset of the corpus, so equal counts are the same chunks.
//
// `small` is the plan the counts were made with, a hint for the next count only: callers' plans differ.
type ScopeEntry = {
  fingerprint: string;
  totals: ScopeTotals;
  small: boolean;
  whole: boolean;
  df: Map<string, number>;
};

/** Role sets remembered (least recently used out first), and lexemes per role set. */
const MAX_SCOPES = 256;
const MAX_TERMS = 20_000;
const cache = new Map<string, ScopeEntry>();

/** A role set's cache key: the same roles in any order or repeated are the same scope. */
function scopeKey(roleIds: string[]): string {
  return [...new Set(roleIds)].sort().join(',');
}

function remember(key: string, entry: ScopeEntry) {
  cache.delete(key);
  cache.set(key, entry);
  for (const oldest of cache.keys()) {
    if (cache.size <= MAX_SCOPES) break;
    cache.delete(oldest);
  }
}

type Input = {
  roleIds: string[];
  /** allowedVersionSetSql of `roleIds`, without filters: each readable version once. */
  readableVersions: Prisma.Sql;
  /** grantedDocumentsSql of `roleIds`, without filters. */
  readableDocuments: Prisma.Sql;
  lexemes: { term: string; weight: number }[];
  /** Whether a scope of these totals is searched with the small-scope plans (this caller's config). */
  isSmall: (totals: ScopeTotals) => boolean;
  /**
   * A scalar expression evaluated once in the counting statement, for its side effects on the statements
   * that follow (the caller's transaction-local planner settings): it saves the caller a round trip. It
   * runs after this statement was planned, so it never changes how the counts are made.
   */
  alongside?: Prisma.Sql;
};

/**
 * The totals last counted for this role set and the state they were counted in, if any: a prediction of
 * the next readScopeStatistics (the state may have changed since), for choosing settings before the counts
 * arrive, or for a statement that checks `fingerprint` (scopeFingerprintSql) beside what it reads, and
 * uses the totals only when it still holds.
 */
export function peekScope(roleIds: string[]): { fingerprint: string; totals: ScopeTotals } | undefined {
  const entry = cache.get(scopeKey(roleIds));
  return entry && { fingerprint: entry.fingerprint, totals: entry.totals };
}

/**
 * BM25's statistics over the chunks `roleIds` may read: their number and summed lengths, and per query
 * lexeme the readable chunks containing it (in text, title or headings, like the postings; 0 when none).
 * Usually one statement: the fingerprint and the counts not already known for it.
 */
export async function readScopeStatistics(
  tx: QueryClient,
  input: Input,
): Promise<{ totals: ScopeTotals; small: boolean; terms: ScopeTerm[] }> {
  const key = scopeKey(input.roleIds);
  const known = cache.get(key);
  const terms = [...new Set(input.lexemes.map((t) => t.term))];
  const missing = known ? terms.filter((term) => !known.df.has(term)) : terms;
  // OFFSET 0 keeps `f` a subquery: flattened, its fingerprint was computed once per reference (twice).
  const counts = countsSql(input, missing, known?.small ?? true);
  const [row] = await tx.$queryRaw<
    {
      fingerprint: string;
      totals: ScopeTotals | null;
      corpus: ScopeTotals | null;
      counts: { term: string; df: number }[] | null;
    }[]
  >`${PREPARED}
    SELECT f.fingerprint,
      CASE WHEN f.fingerprint = ${known?.fingerprint ?? ''} THEN NULL ELSE (
        SELECT json_build_object('chunks', COUNT(*), 'totalLength', COALESCE(SUM(c.lex_length), 0),
          'metaLength', COALESCE(SUM(c.meta_length), 0))
        FROM (${input.readableVersions}) a JOIN chunks c ON c.version_id = a.version_id) END AS totals,
      CASE WHEN f.fingerprint = ${known?.fingerprint ?? ''} THEN NULL ELSE (
        SELECT value FROM settings WHERE key = ${BM25_STATS_KEY}) END AS corpus,
      ${
        known?.whole
          ? Prisma.sql`CASE WHEN f.fingerprint = ${known.fingerprint} THEN ${corpusCountsSql(missing)} ELSE ${counts} END`
          : counts
      } AS counts,
      ${input.alongside ?? Prisma.sql`NULL`} AS alongside
    FROM (SELECT ${scopeFingerprintSql(input.roleIds)} AS fingerprint OFFSET 0) f`;
  const fingerprint = row?.fingerprint ?? '';
  const counted = new Map((row?.counts ?? []).map((c) => [c.term, c.df]));
  let entry: ScopeEntry;
  if (known && row?.totals === null) {
    entry = known;
  } else {
    const totals = readTotals(row?.totals);
    const corpus = readTotals(row?.corpus);
    const whole =
      totals.chunks > 0 &&
      totals.chunks === corpus.chunks &&
      totals.totalLength === corpus.totalLength &&
      totals.metaLength === corpus.metaLength;
    entry = { fingerprint, totals, small: input.isSmall(totals), whole, df: new Map() };
  }
  for (const term of missing) entry.df.set(term, counted.get(term) ?? 0);
  // The state changed since the remembered counts were made: count the rest for this state.
  const stale = terms.filter((term) => !entry.df.has(term));
  if (stale.length > 0) {
    const [rest] = await tx.$queryRaw<
      { fingerprint: string; counts: { term: string; df: number }[] | null }[]
    >`
      SELECT ${scopeFingerprintSql(input.roleIds)} AS fingerprint, ${countsSql(input, stale, entry.small)} AS counts`;
    const recounted = new Map((rest?.counts ?? []).map((c) => [c.term, c.df]));
    for (const term of stale) entry.df.set(term, recounted.get(term) ?? 0);
    // Counted in another state than `fingerprint`'s: used for this search, never remembered.
    if (rest?.fingerprint !== fingerprint) entry = { ...entry, fingerprint: '' };
  }
  if (entry.df.size > MAX_TERMS) entry.df = new Map(terms.map((term) => [term, entry.df.get(term) ?? 0]));
  if (entry.fingerprint) remember(key, entry);
  return {
    totals: entry.totals,
    small: input.isSmall(entry.totals),
    terms: input.lexemes.map((t) => ({ ...t, df: entry.df.get(t.term) ?? 0 })),
  };
}

/**
 * The state a role set's counts depend on, as text (see above). Collisions need equal 64-bit hash sums.
 * Each grant is hashed from its uuids as they are stored (the role's hash seeds the document's): hashing
 * their text took 3.6 ms for 10k grants against 1.2 ms, on every search of a broad scope (bench:retrieval).
 */
export function scopeFingerprintSql(roleIds: string[]): Prisma.Sql {
  return Prisma.sql`(
    SELECT COUNT(*)::text || ':' || COALESCE(SUM(uuid_hash_extended(g.document_id, uuid_hash_extended(g.role_id, 0))), 0)::text
      || ':' || COALESCE((SELECT xmin::text FROM settings WHERE key = 'bm25_stats'), '')
    FROM document_grants g WHERE g.role_id = ANY(${roleIds}::uuid[]))`;
}

function readTotals(value: Partial<Record<keyof ScopeTotals, unknown>> | null | undefined): ScopeTotals {
  return {
    chunks: Number(value?.chunks ?? 0),
    totalLength: Number(value?.totalLength ?? 0),
    metaLength: Number(value?.metaLength ?? 0),
  };
}

/** countsSql's value for a scope that reads the whole corpus: the corpus's df (see ScopeEntry). */
function corpusCountsSql(terms: string[]): Prisma.Sql {
  if (terms.length === 0) return Prisma.sql`NULL::json`;
  return Prisma.sql`(
    SELECT json_agg(json_build_object('term', t.term, 'df', t.df)) FROM term_stats t
    WHERE t.term = ANY(${terms}::text[]))`;
}

/**
 * A scalar subquery: json [{term, df}] for `terms` (absent: 0). Small scopes probe their own versions'
 * postings (chunk_terms_version_id_term_idx, one range per version, whatever a generic plan guesses);
 * broad ones read each lexeme's postings and check each against the hashed set of readable documents.
 */
function countsSql(input: Input, terms: string[], small: boolean): Prisma.Sql {
  if (terms.length === 0) return Prisma.sql`NULL::json`;
  const counts = small
    ? Prisma.sql`
        SELECT p.term, COUNT(*)::int AS df
        FROM (${input.readableVersions}) a
        CROSS JOIN LATERAL (
          SELECT p.term FROM chunk_terms p
          WHERE p.version_id = a.version_id AND p.term = ANY(${terms}::text[]) OFFSET 0) p
        GROUP BY p.term`
    : Prisma.sql`
        SELECT q.term, (
          SELECT COUNT(*) FROM chunk_terms p
          WHERE p.term = q.term AND ${inScopeSql(Prisma.sql`p.document_id`, input.readableDocuments)})::int AS df
        FROM unnest(${terms}::text[]) q(term)`;
  return Prisma.sql`(SELECT json_agg(json_build_object('term', c.term, 'df', c.df)) FROM (${counts}) c)`;
}
