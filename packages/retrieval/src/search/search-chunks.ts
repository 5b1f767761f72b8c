import { type Db, PREPARED, Prisma, type RawQueryClient, withRowSecurityQueries } from '@clearance/db';
import { z } from 'zod';
import {
  peekScope,
  readScopeStatistics,
  type ScopeTotals,
  scopeFingerprintSql,
} from '../lexical/read-scope-statistics.ts';
import { BM25_STATS_KEY } from '../lexical/update-lexical-stats.ts';
import { analyzeQuery } from './analyze-query.ts';
import { diversify } from './diversify.ts';
import { fuseNormalisedScores, fuseReciprocalRank, type Ranking, sortFused } from './fuse-rankings.ts';
import { makeSnippet, type Snippet } from './make-snippet.ts';
import {
  allowedVersionSetSql,
  allowedVersionsSql,
  grantedDocumentsSql,
  inScopeSql,
  isAllowedVersionSql,
  isGrantedSql,
} from './scope-sql.ts';
import { resolveSearchConfig, type SearchConfig } from './search-config.ts';

/**
 * Who is searching. Structurally the auth package's AccessScope: retrieval sits beside auth, not above it,
 * so it takes the shape rather than the import. Reads are governed by `roleIds` alone; `isAdmin` grants
 * no data clearance.
 */
export type SearchScope = { userId: string; roleIds: string[]; isAdmin: boolean };

/** The query embedder searchChunks needs: the inference package's Embedder satisfies it. */
export type QueryEmbedder = {
  id: string;
  dimension: number;
  embed(texts: string[], options: { kind: 'query' | 'document' }): Promise<Float32Array[]>;
};

export const ZSearchFilters = z.object({
  /** Only these documents (still intersected with the scope). */
  documentIds: z.array(z.uuid()).max(1000).optional(),
});
export type SearchFilters = z.infer<typeof ZSearchFilters>;

/** One retrieved passage. */
export type Passage = {
  chunkId: string;
  documentId: string;
  versionId: string;
  title: string;
  page: number | null;
  headingPath: string[];
  text: string;
  snippet: Snippet;
  /** Offsets of the chunk in its version's canonical text. */
  charStart: number;
  charEnd: number;
  /**
   * The fused relevance that ordered it: for ranking code and tests, not for display (the API and the UI
   * show the order). Computed from the asker's scope alone, like everything else here.
   */
  score: number;
};

/** Why a search returned nothing without looking. */
export type EmptyReason = 'empty_query' | 'no_roles' | 'no_terms';

export type SearchResult = {
  passages: Passage[];
  /** The text that was searched (trimmed, truncated). */
  query: string;
  /** Set when nothing was searched. */
  reason?: EmptyReason;
  /** True when a long query was cut to MAX_QUERY_CHARS or its rarest lexemes. */
  truncated: boolean;
  /** The query with misspelt words corrected to words of readable documents, when any was corrected. */
  correctedQuery?: string;
};

export type SearchInput = {
  scope: SearchScope;
  query: string;
  /** Passages wanted (1..1000, default 10). */
  k?: number;
  filters?: SearchFilters;
  /** Query embedder; null searches lexically only. Default: the configured embedder, loaded once. */
  embedder?: QueryEmbedder | null;
  /** Overrides of the per-embedder defaults (the eval sweeps these). */
  config?: Partial<SearchConfig>;
};

/** Longest query text searched: beyond it a "question" is a pasted document and only dilutes ranking. */
export const MAX_QUERY_CHARS = 2000;
export const MAX_K = 1000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** BM25 corpus totals: the scope's (readScopeStatistics); metaLength absent means no meta field. */
type LexicalCorpus = { chunks: number; totalLength: number; metaLength?: number };

/** A governed transaction's raw statements: the caller's Prisma transaction or withRowSecurityQueries'. */
type QueryClient = RawQueryClient;

let defaultEmbedder: Promise<QueryEmbedder | null> | undefined;

/** The configured embedder, loaded once; null (lexical only) when no model is installed. */
function loadDefaultEmbedder(): Promise<QueryEmbedder | null> {
  defaultEmbedder ??= import('@clearance/inference')
    .then((inference) => inference.loadEmbedder())
    .catch((error: Error) => {
      console.warn(`[retrieval] no query embedder, searching lexically only: ${error.message}`);
      return null;
    });
  return defaultEmbedder;
}

/**
 * Hybrid search over the chunks `scope` may read: BM25 over the english full-text index plus k-NN over
 * the active embedder's vectors, fused, de-duplicated and diversified. Only chunks of ready, current
 * versions of non-deleted documents granted to one of scope.roleIds are candidates: the grant check is in
 * every SQL statement before ORDER BY/LIMIT, and the statements run under row-level security in read mode
 * as well. An empty roleIds returns nothing without querying.
 *
 * `db` is a client (a short read transaction is opened) or a transaction the caller already scoped with
 * withScope.
 */
export async function searchChunks(db: Db | QueryClient, input: SearchInput): Promise<SearchResult> {
  const k = Math.max(1, Math.min(MAX_K, Math.floor(input.k ?? 10)));
  let query = input.query.replace(/\s+/g, ' ').trim();
  let truncated = false;
  if (query.length > MAX_QUERY_CHARS) {
    const cut = query.lastIndexOf(' ', MAX_QUERY_CHARS);
    query = query.slice(0, cut > MAX_QUERY_CHARS / 2 ? cut : MAX_QUERY_CHARS);
    truncated = true;
  }
  if (query.length === 0) return { passages: [], query, reason: 'empty_query', truncated };
  const roleIds = [...new Set(input.scope.roleIds)];
  if (roleIds.length === 0) return { passages: [], query, reason: 'no_roles', truncated };
  // Role ids reach SQL as a bound uuid[]; a malformed one is a caller bug, never a partial scope.
  for (const id of roleIds) if (!UUID.test(id)) throw new Error(`invalid role id in scope: ${id}`);
  const filters = ZSearchFilters.parse(input.filters ?? {});
  const embedder = input.embedder === undefined ? await loadDefaultEmbedder() : input.embedder;
  const config = resolveSearchConfig(embedder?.id, input.config);
  // Embed before the transaction: an open transaction blocks every other PGlite connection.
  const wantDense =
    embedder && config.fusion !== 'lexical' && (config.denseWeight > 0 || config.fusion === 'dense');
  const vector = wantDense ? (await embedder.embed([query], { kind: 'query' }))[0] : undefined;

  const ownsTransaction = isClient(db);
  const run = (tx: QueryClient) =>
    searchInTransaction(tx, {
      ownsTransaction,
      roleIds,
      query,
      k,
      filters,
      config,
      embedder: vector ? embedder : null,
      vector,
    });
  // Row-level security backs the WHERE clauses: read mode sees only granted, live documents.
  const outcome = ownsTransaction
    ? await withRowSecurityQueries(db, { mode: 'read', roleIds }, run, {
        timeout: 30_000,
        maxWait: 10_000,
        settings: SEARCH_SETTINGS,
      })
    : await run(db);
  return { ...outcome, query, truncated: truncated || outcome.truncated };
}

/**
 * Transaction-local settings every search statement is planned under, made before the first one.
 * BM25 aggregates tens of thousands of postings for a broad scope: in memory, not an external sort.
 * The planner costs the spelling statement and a filtered HNSW scan in the millions (it assumes a scan
 * of every word, or a walk of the whole graph), which makes PostgreSQL JIT-compile them: ~500 ms of
 * compilation for statements that run in 10-20 ms on 100k chunks (bench:retrieval).
 * Each prepared statement runs its generic plan from the first execution: PostgreSQL otherwise re-plans
 * a statement while it judges custom plans cheaper, and planning these (row-level security expands into
 * many subplans) cost more than running them on a small corpus: 3.3 ms to plan, 1.0 ms to run the ranking
 * statement on the demo organisation under bench:chat. The statements are written so that their generic
 * plans hold whatever the scope (allowedVersionSetSql, the lateral postings probes).
 * No sequential scans: every statement reads through an index (the roles' grants, a version's postings,
 * a chunk by id), but a generic plan can't see how few grants the roles hold (it costs `role_id =
 * ANY($1)` as most of the table) and read all of document_grants to find a 1% scope's 100 (11,100 rows,
 * in every statement). bench:retrieval's 100k chunks, server time per search at 1% / 10% scope: ~32 /
 * ~38 ms -> ~25 / ~33 ms (restoreCallerPlannerSql undoes it in a caller's transaction).
 */
const SEARCH_SETTINGS = {
  work_mem: '32MB',
  jit: 'off',
  plan_cache_mode: 'force_generic_plan',
  enable_seqscan: 'off',
} as const;

function isClient(db: Db | QueryClient): db is Db {
  return typeof (db as Db).$transaction === 'function';
}

type Plan = {
  roleIds: string[];
  query: string;
  k: number;
  filters: SearchFilters;
  config: SearchConfig;
  embedder: QueryEmbedder | null;
  vector: Float32Array | undefined;
  /** The transaction is searchChunks' own: its settings need no restoring, they end with it. */
  ownsTransaction: boolean;
};

async function searchInTransaction(
  tx: QueryClient,
  plan: Plan,
): Promise<{ passages: Passage[]; reason?: EmptyReason; truncated: boolean; correctedQuery?: string }> {
  const { config, k } = plan;
  const allowed = allowedVersionsSql(plan.roleIds, plan.filters);
  const allowedSet = allowedVersionSetSql(plan.roleIds, plan.filters);
  const granted = grantedDocumentsSql(plan.roleIds, plan.filters);
  // Round trips are most of a search's time on a broad scope (~1 ms each through Prisma's adapter), so
  // each statement carries what the next ones need: the analysis reads the settings, the statistics make
  // the index-order settings, and both rankings run as one. Each is PREPARED: planning them afresh cost
  // 4-6 ms a search on bench:retrieval's 100k chunks (row security expands into many subplans).
  if (!plan.ownsTransaction) {
    await tx.$queryRaw`SELECT ${Prisma.join(
      Object.entries(SEARCH_SETTINGS).map(([name, value]) => Prisma.sql`set_config(${name}, ${value}, true)`),
    )}`;
  }
  const analyzed = await analyzeQuery(tx, {
    query: plan.query,
    granted,
    synonymWeight: config.synonymWeight,
    spelling: config.spelling,
    scopeShare: config.spellingScopeShare,
    context: contextSql(),
  });
  const correctedQuery = analyzed.corrected ?? undefined;
  // A corrected query's lexemes (and a query with no word to check) need their own statement.
  const context =
    analyzed.lexemes && analyzed.context
      ? { ...(analyzed.context as Omit<QueryContext, 'lexemes'>), lexemes: analyzed.lexemes }
      : await readContext(tx, analyzed.texts, analyzed.weights);
  // Statistics over everything the asker's roles may read (the filter narrows candidates, not the
  // statistics: a passage scores the same whichever documents are selected). Nothing here counts a chunk
  // outside the scope; the corpus-wide chunk count only picks between two plans (see `small`).
  const readableVersions = allowedVersionSetSql(plan.roleIds, {});
  const readableDocuments = grantedDocumentsSql(plan.roleIds, {});
  // Exact k-NN and per-version postings probes for small scopes, index-order plans for broad ones. Under
  // exactMaxChunks the plan is the scope's alone. Above it the corpus size also weighs in (a small share
  // of a large corpus still scans exactly), and broad plans approximate: HNSW walks one graph of every
  // document's vectors, and a term scores only its best termPostings postings in scope. So a scope of
  // 5,000+ chunks may see its ranking shift slightly as the corpus grows; the statistics never do.
  const isSmall = (scope: ScopeTotals) =>
    scope.chunks < config.exactMaxChunks ||
    scope.chunks < config.exactShare * Math.max(context.corpusChunks ?? 0, scope.chunks);
  const pool = Math.max(k, config.candidates);
  const efSearch = Math.max(config.efSearch, Math.min(pool, 1000));
  const lexemes = context.lexemes.filter((t) => !t.term.includes('\\'));
  const wantLexical = lexemes.length > 0 && config.fusion !== 'dense';
  const wantDense = Boolean(
    plan.embedder && plan.vector && (!context.active || context.active === plan.embedder.id),
  );
  const rank = (input: {
    small: boolean;
    corpus: LexicalCorpus;
    terms: LexicalInput['terms'];
    /** Rank only while the scope is in this state (scopeFingerprintSql); null when it no longer is. */
    fingerprint?: string;
  }) => {
    // Small scopes drive both rankings from the readable versions: found once for both, ~2 ms of the
    // 1% scope's ~21 on bench:retrieval's 100k chunks (100 grants, each version probed under row security).
    const shared = input.small && wantLexical && wantDense;
    const versions = shared ? Prisma.sql`SELECT r.version_id FROM readable_versions r` : allowedSet;
    return rankInTransaction(tx, {
      readableVersions: shared ? allowedSet : undefined,
      lexical: wantLexical ? { allowedSet: versions, granted, pool, config, ...input } : undefined,
      dense:
        wantDense && plan.embedder && plan.vector
          ? {
              allowedSet: versions,
              granted,
              embedder: plan.embedder,
              vector: plan.vector,
              pool,
              config,
              exact: input.small,
            }
          : undefined,
      fingerprint:
        input.fingerprint === undefined ? undefined : { roleIds: plan.roleIds, value: input.fingerprint },
      restoreCaller: !plan.ownsTransaction,
    });
  };
  // A small scope whose totals are remembered ranks in one statement: its df are counted from the very
  // postings its ranking reads (every posting of the query's lexemes in the scope), under a check that the
  // scope is still in the state the totals were counted in. A filter narrows the postings read, so
  // statistics (over the whole scope) are then counted apart, as is everything on broad scopes (which
  // read only each term's best postings). bench:retrieval's 1% scope of 100k chunks: the statistics
  // statement's ~5 ms of the same probes, and a round trip.
  const known = peekScope(plan.roleIds);
  let ranked =
    known && isSmall(known.totals) && !plan.filters.documentIds
      ? await rank({ small: true, corpus: known.totals, terms: lexemes, fingerprint: known.fingerprint })
      : null;
  if (!ranked) {
    // Broad scopes read indexes in their order (planForIndexOrderSql). The settings are made in the
    // statistics statement when the role set's last counts predict a broad scope, and corrected after it
    // when the prediction was wrong; they are restored before the fetch when `tx` is the caller's.
    const predictedBroad = known !== undefined && !isSmall(known.totals);
    const statistics = await readScopeStatistics(tx, {
      roleIds: plan.roleIds,
      readableVersions,
      readableDocuments,
      lexemes,
      isSmall,
      alongside: predictedBroad ? planForIndexOrderSql(efSearch) : undefined,
    });
    const { totals: corpus, small } = statistics;
    if (small && predictedBroad) await tx.$queryRaw`SELECT ${restorePlannerSql()}`;
    if (!small && !predictedBroad) await tx.$queryRaw`SELECT ${planForIndexOrderSql(efSearch)}`;
    ranked = await rank({ small, corpus, terms: statistics.terms });
  }
  if (!ranked) throw new Error('an unchecked ranking came back unranked');
  const { lexical, dense } = ranked;
  const truncated = lexical.termsInScope > lexical.scoredTerms.length;
  if (lexical.ids.length === 0 && dense.ids.length === 0) {
    return {
      passages: [],
      reason:
        !plan.vector && (wantLexical ? lexical.termsInScope : lexemes.length) === 0 ? 'no_terms' : undefined,
      truncated,
      correctedQuery,
    };
  }
  const rankings: Ranking[] = [
    { ...lexical, weight: config.fusion === 'dense' ? 0 : config.lexicalWeight },
    { ...dense, weight: config.fusion === 'lexical' ? 0 : config.denseWeight },
  ];
  const fused =
    config.fusion === 'score' ? fuseNormalisedScores(rankings) : fuseReciprocalRank(rankings, config.rrfK);
  const order = sortFused(fused);
  // Room for duplicates that diversification drops.
  const wanted = order.slice(0, k + Math.max(config.mmrWindow, Math.ceil(k / 4)));
  const rows = await tx.$queryRaw<
    {
      id: string;
      document_id: string;
      version_id: string;
      title: string;
      page: number | null;
      heading_path: string[] | null;
      text: string;
      char_start: number;
      char_end: number;
      lexemes: string[];
    }[]
  >`${PREPARED}
    SELECT c.id::text, c.document_id::text, c.version_id::text, d.title, c.page, c.heading_path, c.text,
      c.char_start, c.char_end, tsvector_to_array(c.search) AS lexemes
    FROM chunks c JOIN documents d ON d.id = c.document_id
    WHERE c.id = ANY(${wanted}::uuid[]) AND ${isAllowedVersionSql(Prisma.sql`c.version_id`, allowed)}`;
  const byId = new Map(rows.map((row) => [row.id, row]));
  const items = wanted.flatMap((id) => {
    const row = byId.get(id);
    return row
      ? [{ id, relevance: fused.get(id) ?? 0, terms: new Set(row.lexemes), text: row.text, row }]
      : [];
  });
  const diversified = diversify(items, {
    lambda: config.mmrLambda,
    window: Math.min(config.mmrWindow, k),
    duplicateJaccard: config.duplicateJaccard,
  }).slice(0, k);
  const queryLexemes = lexical.scoredTerms;
  return {
    truncated,
    correctedQuery,
    passages: diversified.map(({ row, relevance }) => ({
      chunkId: row.id,
      documentId: row.document_id,
      versionId: row.version_id,
      title: row.title,
      page: row.page,
      headingPath: row.heading_path ?? [],
      text: row.text,
      snippet: makeSnippet(row.text, queryLexemes),
      charStart: row.char_start,
      charEnd: row.char_end,
      score: relevance,
    })),
  };
}

type DenseInput = Parameters<typeof denseSql>[0];

/**
 * Both rankings in one statement (each null when not wanted), giving caller transactions their planner
 * back (restoreCallerPlannerSql). With `fingerprint`, ranks only while the role set's scope is still in
 * that state (scopeFingerprintSql, read in the same statement): null when it no longer is.
 */
async function rankInTransaction(
  tx: QueryClient,
  input: {
    /** A set of readable versions both rankings read as `readable_versions` (materialised once). */
    readableVersions?: Prisma.Sql;
    lexical?: LexicalInput;
    dense?: DenseInput;
    fingerprint?: { roleIds: string[]; value: string };
    restoreCaller: boolean;
  },
): Promise<{ lexical: LexicalOutcome; dense: { ids: string[]; scores: number[] } } | null> {
  const { fingerprint } = input;
  // OFFSET 0 keeps `f` a subquery, computed once.
  const state = fingerprint
    ? Prisma.sql`(SELECT ${scopeFingerprintSql(fingerprint.roleIds)} = ${fingerprint.value} AS holds OFFSET 0) f`
    : Prisma.sql`(SELECT true AS holds) f`;
  const [row] = await tx.$queryRaw<
    { holds: boolean; lexical: LexicalJson | null; dense: [string, number][] | null }[]
  >`${PREPARED}
    ${input.readableVersions ? Prisma.sql`WITH readable_versions AS MATERIALIZED (${input.readableVersions})` : Prisma.empty}
    SELECT f.holds,
      CASE WHEN f.holds THEN ${input.lexical ? lexicalSql(input.lexical) : Prisma.sql`NULL::json`} END AS lexical,
      CASE WHEN f.holds THEN ${input.dense ? denseSql(input.dense) : Prisma.sql`NULL::json`} END AS dense,
      ${input.restoreCaller ? restoreCallerPlannerSql() : Prisma.sql`NULL`} AS restored
    FROM ${state}`;
  if (!row?.holds) return null;
  return {
    lexical: readLexical(row.lexical),
    // Cosine distance to similarity; relaxed_order may return neighbours slightly out of order.
    dense: toRanking(sortByDistance(row.dense), (distance) => 1 - distance),
  };
}

/** What every search reads besides the query: the chunk count choosing plans, the active embedder. */
type QueryContext = {
  lexemes: { term: string; weight: number }[];
  corpusChunks: number | null;
  active: string | null;
};

/** The settings rows a search reads, as one scalar expression (carried by analyzeQuery's statement). */
function contextSql(): Prisma.Sql {
  return Prisma.sql`json_build_object(
    'corpusChunks', (SELECT (value->>'chunks')::float8 FROM settings WHERE key = ${BM25_STATS_KEY}),
    'active', (SELECT value #>> '{}' FROM settings WHERE key = 'active_embedder'))`;
}

/** The context and the texts' lexemes in a statement of their own (when analyzeQuery couldn't). */
async function readContext(tx: QueryClient, texts: string[], weights: number[]): Promise<QueryContext> {
  // Each lexeme weighs what its heaviest text gives it: the asker's words 1, synonyms synonymWeight.
  const [row] = await tx.$queryRaw<
    { lexemes: { term: string; weight: number }[] | null; context: Omit<QueryContext, 'lexemes'> }[]
  >`
    SELECT
      (SELECT json_agg(json_build_object('term', t.term, 'weight', t.weight) ORDER BY t.term)
         FROM (
           SELECT l.term, MAX(x.weight) AS weight
           FROM unnest(${texts}::text[], ${weights}::float8[]) x(text, weight)
           CROSS JOIN LATERAL unnest(tsvector_to_array(to_tsvector('english', x.text))) l(term)
           GROUP BY l.term) t) AS lexemes,
      ${contextSql()} AS context`;
  return {
    lexemes: row?.lexemes ?? [],
    corpusChunks: row?.context.corpusChunks ?? null,
    active: row?.context.active ?? null,
  };
}

/** [id, value] pairs as a ranking; `score` turns the statement's value into higher-is-better. */
function toRanking(
  pairs: [string, number][] | null,
  score: (value: number) => number,
): { ids: string[]; scores: number[] } {
  return { ids: (pairs ?? []).map(([id]) => id), scores: (pairs ?? []).map(([, value]) => score(value)) };
}

function sortByDistance(pairs: [string, number][] | null): [string, number][] | null {
  return pairs && [...pairs].sort((a, b) => a[1] - b[1]);
}

type LexicalInput = {
  /** The scope's readable versions (allowedVersionSetSql). */
  allowedSet: Prisma.Sql;
  /** The scope's granted documents (grantedDocumentsSql). */
  granted: Prisma.Sql;
  /** Small scopes probe (version, term) pairs; broad ones read each term's postings. */
  small: boolean;
  /**
   * Query lexemes with their weight (1 for the asker's words) and their df in the scope. A df left out is
   * counted by the statement from the postings it reads, which holds only for the small plan over the
   * whole scope (no filter): its postings are then exactly the scope's.
   */
  terms: { term: string; df?: number; weight?: number }[];
  corpus: LexicalCorpus;
  pool: number;
  config: SearchConfig;
};

/** What the lexical statement gives back: the ranking, and which lexemes it scored. */
type LexicalOutcome = {
  ids: string[];
  scores: number[];
  /** The lexemes scored: the rarest maxQueryTerms of those in scope. */
  scoredTerms: string[];
  /** Lexemes in scope (df > 0): more than scoredTerms when the query was cut to its rarest. */
  termsInScope: number;
};

/**
 * BM25 (Robertson/Spärck Jones idf with the +1 that keeps it positive) over the postings of the query
 * lexemes only (chunk_terms), so the cost follows the query terms' postings, never the candidates' whole
 * text. Two fields, BM25F-style: tf = tf_text + metaWeight * tf_meta (title and heading path) and
 * |d| = dl_text + metaWeight * dl_meta, df, N and avgdl from the scope's own statistics
 * (readScopeStatistics, or counted here: LexicalInput.terms). The rarest maxQueryTerms lexemes in scope
 * are scored, the asker's own words before synonyms: common ones in a pasted essay only cost time. The
 * scope join is inside the aggregation, so ORDER BY/LIMIT only ever see readable chunks. Broad scopes
 * score each term's best termPostings postings (fast under searchInTransaction's planForIndexOrderSql).
 * A chunk's per-term parts are summed exactly, as integers of 1e-12 (a part stays under ~70, so even
 * maxQueryTerms' 256 parts sum far inside int8), so its score doesn't depend on the order a plan happens
 * to feed them in (float sums do, in the last bit); numeric sums were as exact and ~5 ms slower on a 100%
 * scope of bench:retrieval's 100k chunks (4,700 postings).
 */
export async function rankLexical(tx: QueryClient, input: LexicalInput): Promise<LexicalOutcome> {
  const [row] = await tx.$queryRaw<{ lexical: LexicalJson | null }[]>`
    SELECT ${lexicalSql(input)} AS lexical`;
  return readLexical(row?.lexical ?? null);
}

type LexicalJson = { ranking: [string, number][] | null; terms: string[] | null; inScope: number };

function readLexical(json: LexicalJson | null): LexicalOutcome {
  return {
    ...toRanking(json?.ranking ?? null, (score) => score),
    scoredTerms: json?.terms ?? [],
    termsInScope: json?.inScope ?? 0,
  };
}

/** rankLexical's statement as a scalar subquery: json LexicalJson. */
function lexicalSql(input: LexicalInput): Prisma.Sql {
  const { config, terms } = input;
  const n = Math.max(input.corpus.chunks, 1);
  const w = config.metaWeight;
  const avgdl = Math.max((input.corpus.totalLength + w * (input.corpus.metaLength ?? 0)) / n, 1);
  const counting = terms.some((t) => t.df === undefined);
  if (counting && !input.small) throw new Error('a broad-scope ranking needs every df counted');
  const given = Prisma.sql`
    t AS (SELECT * FROM unnest(${terms.map((t) => t.term)}::text[], ${terms.map((t) => t.weight ?? 1)}::float8[],
      ${terms.map((t) => t.df ?? null)}::float8[]) AS t(term, weight, df))`;
  // Small scopes probe each readable version's postings of the query lexemes (one index range per
  // version): driven from the terms instead, a common term read its every posting in the corpus. Read
  // once, for counting (every lexeme's, when asked) and scoring (the chosen ones').
  const scopePostings = (lexemes: Prisma.Sql) => Prisma.sql`
    p AS MATERIALIZED (
      SELECT p.chunk_id, p.term, p.tf_text, p.tf_meta, p.dl_text, p.dl_meta
      FROM (${input.allowedSet}) a CROSS JOIN LATERAL (
        SELECT p.chunk_id, p.term, p.tf_text, p.tf_meta, p.dl_text, p.dl_meta FROM chunk_terms p
        WHERE p.version_id = a.version_id AND p.term = ANY(${lexemes}) OFFSET 0) p)`;
  // Equal weight and df fall back to the lexeme's bytes, so the choice is the scope's alone.
  const chosen = Prisma.sql`
    q AS (
      SELECT d.term, d.weight * ln(1 + (${n}::float8 - d.df + 0.5) / (d.df + 0.5)) AS idf FROM d
      WHERE d.df > 0 ORDER BY d.weight DESC, d.df, d.term COLLATE "C" LIMIT ${config.maxQueryTerms})`;
  const ctes = counting
    ? Prisma.sql`${given}, ${scopePostings(Prisma.sql`${terms.map((t) => t.term)}::text[]`)},
      d AS (
        SELECT t.term, t.weight, COALESCE(t.df, c.df, 0) AS df
        FROM t LEFT JOIN (SELECT p.term, COUNT(*)::float8 AS df FROM p GROUP BY p.term) c ON c.term = t.term),
      ${chosen}`
    : Prisma.sql`${given}, d AS (SELECT t.term, t.weight, t.df FROM t), ${chosen}
      ${input.small ? Prisma.sql`, ${scopePostings(Prisma.sql`ARRAY(SELECT q.term FROM q)`)}` : Prisma.empty}`;
  const postings = input.small
    ? Prisma.sql`FROM p JOIN q ON q.term = p.term`
    : // One index-only range scan per query term, best postings first, stopping after termPostings in
      // scope (a lateral subquery: with a bare join an unanalysed database guessed term selectivity and
      // read all 600k SciFact postings sequentially for any query of five or more terms).
      Prisma.sql`
      FROM q CROSS JOIN LATERAL (
        SELECT p.chunk_id, p.tf_text, p.tf_meta, p.dl_text, p.dl_meta FROM chunk_terms p
        WHERE p.term = q.term AND ${inScopeSql(Prisma.sql`p.document_id`, input.granted)}
        ORDER BY clearance_posting_impact(p.tf_text, p.tf_meta, p.dl_text, p.dl_meta) DESC
        LIMIT ${Math.max(config.termPostings, input.pool)}) p`;
  const tf = Prisma.sql`(p.tf_text + ${w}::float8 * p.tf_meta)`;
  const dl = Prisma.sql`GREATEST(p.dl_text + ${w}::float8 * p.dl_meta, 1)`;
  return Prisma.sql`(
    WITH ${ctes}
    SELECT json_build_object(
      'terms', (SELECT json_agg(q.term) FROM q),
      'inScope', (SELECT COUNT(*) FROM d WHERE d.df > 0),
      'ranking', (
        SELECT json_agg(json_build_array(r.id::text, r.score) ORDER BY r.score DESC, r.id) FROM (
          SELECT s.id, s.score FROM (
            SELECT p.chunk_id AS id,
              SUM(round(1e12 * q.idf * (${tf} * (${config.k1}::float8 + 1))
                / (${tf} + ${config.k1}::float8 * (1 - ${config.b}::float8 + ${config.b}::float8 * ${dl} / ${avgdl}::float8)))::int8)::float8 / 1e12 AS score
            ${postings}
            GROUP BY p.chunk_id
          ) s
          WHERE s.score > 0
          ORDER BY s.score DESC, s.id
          LIMIT ${input.pool}) r)))`;
}

/**
 * Broad-scope statements are cheap only when they read an index in its order: postings best-first from
 * chunk_terms_impact_idx, neighbours from the HNSW index. The planner, costing a LIMIT from statistics an
 * embedded database may never have collected (and a filtered HNSW scan as a walk of the whole graph:
 * it picked an exact scan and sort of all 100k vectors, 185 ms, over the index, ~5 ms), could sort a
 * term's every posting or every vector instead. So sorting and bitmap scans are off until restorePlannerSql
 * (sequential scans are off for every search: SEARCH_SETTINGS); a statement's own final ORDER BY still
 * sorts its few rows. With the HNSW search settings, as one expression a statement carries to the next
 * ones.
 */
function planForIndexOrderSql(efSearch: number): Prisma.Sql {
  return Prisma.sql`concat(set_config('enable_bitmapscan', 'off', true), set_config('enable_sort', 'off', true),
    set_config('hnsw.ef_search', ${String(efSearch)}, true), set_config('hnsw.iterative_scan', 'relaxed_order', true), set_config('hnsw.max_scan_tuples', '40000', true))`;
}

/** Undoes planForIndexOrderSql's planner switches (sequential scans stay off: SEARCH_SETTINGS). */
function restorePlannerSql(): Prisma.Sql {
  return Prisma.sql`concat(set_config('enable_bitmapscan', 'on', true), set_config('enable_sort', 'on', true))`;
}

/** Gives the caller's transaction back the planner it had: planForIndexOrderSql's and SEARCH_SETTINGS' switches. */
function restoreCallerPlannerSql(): Prisma.Sql {
  return Prisma.sql`concat(set_config('enable_seqscan', 'on', true), ${restorePlannerSql()})`;
}

/**
 * Cosine k-NN over the embedder's vectors of readable chunks, as a scalar subquery: json [[id, distance]]
 * nearest first, or null. Small scopes scan their own vectors exactly (recall 1.0 and faster than a
 * filtered graph walk); broad scopes use the embedder's HNSW index with iterative scans, so a filter that
 * rejects most neighbours still fills k (with the search settings and index-order planning
 * searchInTransaction applies to broad scopes: planForIndexOrderSql), in an order relaxed_order may leave
 * slightly unsorted.
 */
function denseSql(input: {
  /** The scope's readable versions, to drive an exact scan from (allowedVersionSetSql). */
  allowedSet: Prisma.Sql;
  /** The scope's granted documents, checked per candidate of a graph walk (grantedDocumentsSql). */
  granted: Prisma.Sql;
  embedder: QueryEmbedder;
  vector: Float32Array;
  pool: number;
  config: SearchConfig;
  exact: boolean;
}): Prisma.Sql {
  const dimension = Math.floor(input.embedder.dimension);
  if (!(dimension > 0 && dimension <= 16000)) throw new Error(`bad embedder dimension ${dimension}`);
  // The type modifier must be literal to match the partial expression index (embedding::vector(D)).
  const type = Prisma.raw(`vector(${dimension})`);
  const literal = `[${Array.from(input.vector).join(',')}]`;
  const embedderId = embedderIdSql(input.embedder.id);
  if (input.exact) {
    return Prisma.sql`(
      SELECT json_agg(json_build_array(n.id::text, n.distance) ORDER BY n.distance, n.id) FROM (
        SELECT ce.chunk_id AS id, (ce.embedding::${type} <=> ${literal}::${type})::float8 AS distance
        FROM (${input.allowedSet}) a CROSS JOIN LATERAL (
          SELECT ce.chunk_id, ce.embedding FROM chunk_embeddings ce
          WHERE ce.embedder_id = ${embedderId} AND ce.version_id = a.version_id OFFSET 0) ce
        ORDER BY (ce.embedding::${type} <=> ${literal}::${type}) + 0, ce.chunk_id
        LIMIT ${input.pool}) n)`;
  }
  // The scope check is one grants probe per candidate the graph walk yields, like the broad lexical
  // plan's: vectors exist only for ready current versions of live documents (publishing, retiring and
  // deletion maintain them in one transaction), row-level security re-checks each row, and the fetch
  // re-checks the full rule. Probing the readable versions instead cost five index probes a candidate
  // (a 10% scope's walk checks ~1,000).
  return Prisma.sql`(
    SELECT json_agg(json_build_array(n.id::text, n.distance)) FROM (
      SELECT ce.chunk_id AS id, (ce.embedding::${type} <=> ${literal}::${type})::float8 AS distance
      FROM chunk_embeddings ce
      WHERE ce.embedder_id = ${embedderId}
        AND ${isGrantedSql(Prisma.sql`ce.document_id`, input.granted)}
      ORDER BY ce.embedding::${type} <=> ${literal}::${type}
      LIMIT ${input.pool}) n)`;
}

/**
 * The embedder id as a literal, not a bound value: a prepared statement's generic plan can only use the
 * embedder's partial HNSW index (`WHERE embedder_id = '<id>'`, ensureVectorIndex) when the query names the
 * same constant. An id with a quote or backslash is refused rather than escaped: no escaping rule then
 * depends on the session's standard_conforming_strings.
 */
function embedderIdSql(id: string): Prisma.Sql {
  if (/['\\\0]/.test(id)) throw new Error(`invalid embedder id: ${JSON.stringify(id)}`);
  return Prisma.raw(`'${id}'`);
}
