// @clearance/retrieval: ingestion helpers, BM25 statistics, scoped hybrid search, evaluation metrics.

export { type EvalReport, evaluateQueries } from './eval/evaluate-queries.ts';
export { type DrainQueue, type EvalEmbedder, ingestBeirCorpus } from './eval/ingest-beir-corpus.ts';
export { mrrAt, ndcgAt, type Qrels, quantile, rankDocumentsByBestChunk, recallAt } from './eval/metrics.ts';
export { createProgressBar } from './eval/progress-bar.ts';
export { type BeirDocument, type BeirQuery, readBeirCorpus, readBeirQueries } from './eval/read-beir.ts';
export * from './ingest/index.ts';
export {
  BM25_STATS_KEY,
  type LexicalTotals,
  rebuildLexicalStats,
  updateLexicalStats,
} from './lexical/update-lexical-stats.ts';
export { diversify, jaccard } from './search/diversify.ts';
export { fuseNormalisedScores, fuseReciprocalRank, type Ranking } from './search/fuse-rankings.ts';
export { makeSnippet, type Snippet } from './search/make-snippet.ts';
export {
  type ConversationTurn,
  isFollowUp,
  type RewriteGenerator,
  type RewriteResult,
  rewriteFollowUp,
  rewriteHeuristically,
} from './search/rewrite-follow-up.ts';
export {
  type PassageMetadata,
  ScopedRetriever,
  type ScopedRetrieverInput,
} from './search/scoped-retriever.ts';
export {
  type EmptyReason,
  MAX_K,
  MAX_QUERY_CHARS,
  type Passage,
  type QueryEmbedder,
  type SearchFilters,
  type SearchInput,
  type SearchResult,
  type SearchScope,
  searchChunks,
  ZSearchFilters,
} from './search/search-chunks.ts';
export {
  DEFAULT_SEARCH_CONFIGS,
  resolveSearchConfig,
  type SearchConfig,
  ZSearchConfig,
} from './search/search-config.ts';
