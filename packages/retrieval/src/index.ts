// @clearance/retrieval: ingestion helpers, BM25 statistics, scoped hybrid search, evaluation metrics.

export * from './ingest/index.ts';
export {
  BM25_STATS_KEY,
  type LexicalTotals,
  rebuildLexicalStats,
  updateLexicalStats,
} from './lexical/update-lexical-stats.ts';
