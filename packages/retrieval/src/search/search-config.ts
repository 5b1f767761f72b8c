import { z } from 'zod';

/** Ranking knobs. Defaults per embedder come from `npm run eval` on SciFact (see DEFAULT_SEARCH_CONFIGS). */
export const ZSearchConfig = z.object({
  /** BM25 term-frequency saturation. */
  k1: z.number().min(0).max(5),
  /** BM25 length normalisation (0 = none, 1 = full). */
  b: z.number().min(0).max(1),
  /** Weight of the document title and heading path beside the chunk text (BM25F field weight; 0 = text only). */
  metaWeight: z.number().min(0).max(10),
  /**
   * Postings scored per query term on a broad scope, best first by their query-independent impact (the
   * chunk_terms_impact_idx order); a term with more postings in scope contributes only through its best
   * ones. At least the candidate pool. Small scopes score every posting.
   */
  termPostings: z.number().int().min(10).max(1_000_000),
  /** Candidates taken from each ranking before fusion (at least k). */
  candidates: z.number().int().min(1).max(5000),
  /** How the lexical and dense rankings are combined. */
  fusion: z.enum(['rrf', 'score', 'lexical', 'dense']),
  lexicalWeight: z.number().min(0),
  denseWeight: z.number().min(0),
  /** RRF rank constant. */
  rrfK: z.number().min(0),
  /** MMR trade-off: 1 keeps the fused order (duplicates still removed), lower favours diversity. */
  mmrLambda: z.number().min(0).max(1),
  /** Leading positions MMR re-orders; later positions keep the fused order (MMR is quadratic). */
  mmrWindow: z.number().int().min(0).max(200),
  /** Chunks whose lexeme sets overlap this much (Jaccard) with a better one are dropped as duplicates. */
  duplicateJaccard: z.number().min(0).max(1),
  /** HNSW candidate list; iterative scans extend it when the scope filters rows out. */
  efSearch: z.number().int().min(10).max(1000),
  /** Exact k-NN when the scope allows fewer chunks than this share of the corpus... */
  exactShare: z.number().min(0).max(1),
  /** ...or fewer than this many chunks. */
  exactMaxChunks: z.number().int().min(0),
  /** Most query lexemes scored (the rarest are kept): bounds the cost of pasted documents as queries. */
  maxQueryTerms: z.number().int().min(1).max(256),
  /** Weight of a WordNet synonym of a query word (found in the scope's documents) beside the word itself. */
  synonymWeight: z.number().min(0).max(1),
  /** Correct query words that no readable document contains to the closest word one does. */
  spelling: z.boolean(),
  /**
   * A misspelt word's candidates are read from the scope's own documents when it holds less than this
   * share of the corpus's documents (always at 1), from the corpus's words with its first letter otherwise
   * (the same candidates either way).
   */
  spellingScopeShare: z.number().min(0).max(1),
});
export type SearchConfig = z.infer<typeof ZSearchConfig>;

const BASE: SearchConfig = {
  k1: 1.2,
  b: 0.75,
  metaWeight: 1,
  termPostings: 2000,
  candidates: 100,
  fusion: 'rrf',
  lexicalWeight: 1,
  denseWeight: 1,
  rrfK: 60,
  mmrLambda: 0.9,
  mmrWindow: 20,
  duplicateJaccard: 0.9,
  // ef_search 40 gives recall@10 0.975 unfiltered on 100k chunks (ENVIRONMENT.md); iterative scans
  // cover filtered scopes.
  efSearch: 40,
  // ENVIRONMENT.md: at 1% selectivity exact search is faster and exact; HNSW+iterative wins from ~10%.
  exactShare: 0.05,
  exactMaxChunks: 5000,
  maxQueryTerms: 32,
  synonymWeight: 0.3,
  spelling: true,
  // One word's candidates on bench:retrieval's 100k chunks: from the scope's own documents 5 ms at 1%,
  // 38 ms at 10%, 365 ms at 100%; from the corpus's words 258 ms at 100% (the letter's 240k rows, read
  // at any scope).
  spellingScopeShare: 0.5,
};

/**
 * Defaults per embedder id, chosen by `npm run eval` on SciFact train (809 queries, nDCG@10; 2026-11-29):
 * BM25 alone 0.6958 (0.6949 with termPostings 2000, 0.6865 with 500); GloVe alone 0.2706; RRF with dense
 * weight 1 / 0.5 / 0.35 / 0.2 / 0.1 / 0.05: 0.4805 / 0.5424 / 0.5724 / 0.6159 / 0.6484 / 0.6717; score
 * fusion with dense weight 0.5 / 0.2 / 0.15 / 0.1 / 0.05: 0.6792 / 0.6920 / 0.6922 / 0.6934 / 0.6943.
 * RRF lets a weak dense ranking (GloVe averages) promote chunks BM25 ranks far down; score fusion adds
 * GloVe's similarity as a small tie-breaker instead. Weight 0.2 costs 0.003 on SciFact against BM25 alone
 * and keeps a question that shares no word with its passage ("vacation days" for "annual leave")
 * answerable.
 */
export const DEFAULT_SEARCH_CONFIGS: Record<string, Partial<SearchConfig>> = {
  'glove-100d': { fusion: 'score', denseWeight: 0.2 },
};

/** The effective configuration for an embedder, with overrides applied last. */
export function resolveSearchConfig(embedderId: string | undefined, overrides: Partial<SearchConfig> = {}) {
  return ZSearchConfig.parse({
    ...BASE,
    ...(embedderId ? DEFAULT_SEARCH_CONFIGS[embedderId] : undefined),
    ...overrides,
  });
}
