import type { Db } from '@clearance/db';
import { type QueryEmbedder, type SearchScope, searchChunks } from '../search/search-chunks.ts';
import { resolveSearchConfig, type SearchConfig } from '../search/search-config.ts';
import { mrrAt, ndcgAt, type Qrels, quantile, rankDocumentsByBestChunk, recallAt } from './metrics.ts';
import type { BeirQuery } from './read-beir.ts';

/** The eval report; exactly these keys are written to --out. */
export type EvalReport = {
  'ndcg@10': number;
  'recall@10': number;
  'recall@100': number;
  'mrr@10': number;
  queries: number;
  latency_ms: { p50: number; p95: number };
  embedder: string;
  config: SearchConfig;
};

/**
 * Runs every query through searchChunks as `scope` (k = 100 chunks, so recall@100 is meaningful), ranks
 * corpus documents by their best chunk and averages the metrics over queries.
 */
export async function evaluateQueries(
  db: Db,
  input: {
    queries: BeirQuery[];
    qrels: Map<string, Qrels>;
    scope: SearchScope;
    embedder: QueryEmbedder | null;
    /** document id -> corpus ids */
    documents: Map<string, string[]>;
    config?: Partial<SearchConfig>;
    onProgress?: (done: number, total: number) => void;
  },
): Promise<EvalReport> {
  const totals = { ndcg10: 0, recall10: 0, recall100: 0, mrr10: 0 };
  const latencies: number[] = [];
  let done = 0;
  for (const query of input.queries) {
    const qrels = input.qrels.get(query.id) ?? new Map<string, number>();
    const started = performance.now();
    const result = await searchChunks(db, {
      scope: input.scope,
      query: query.text,
      k: 100,
      embedder: input.embedder,
      config: input.config,
    });
    latencies.push(performance.now() - started);
    const ranked = rankDocumentsByBestChunk(
      result.passages.flatMap((passage) => input.documents.get(passage.documentId) ?? []),
    );
    totals.ndcg10 += ndcgAt(ranked, qrels, 10);
    totals.recall10 += recallAt(ranked, qrels, 10);
    totals.recall100 += recallAt(ranked, qrels, 100);
    totals.mrr10 += mrrAt(ranked, qrels, 10);
    input.onProgress?.(++done, input.queries.length);
  }
  const n = Math.max(input.queries.length, 1);
  const round = (value: number) => Math.round(value * 10_000) / 10_000;
  return {
    'ndcg@10': round(totals.ndcg10 / n),
    'recall@10': round(totals.recall10 / n),
    'recall@100': round(totals.recall100 / n),
    'mrr@10': round(totals.mrr10 / n),
    queries: input.queries.length,
    latency_ms: { p50: round(quantile(latencies, 0.5)), p95: round(quantile(latencies, 0.95)) },
    embedder: input.embedder?.id ?? 'none',
    config: resolveSearchConfig(input.embedder?.id, input.config),
  };
}
