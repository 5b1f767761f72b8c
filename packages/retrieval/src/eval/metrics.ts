/** Graded relevance judgements of one query: document id -> grade (> 0 is relevant). */
export type Qrels = Map<string, number>;

/**
 * nDCG@k with graded gains (BEIR / trec_eval convention: gain = grade, discount log2(rank + 1)), the
 * ideal ranking built from all judged relevant documents.
 */
export function ndcgAt(ranked: string[], qrels: Qrels, k: number): number {
  let dcg = 0;
  ranked.slice(0, k).forEach((id, index) => {
    const grade = qrels.get(id) ?? 0;
    if (grade > 0) dcg += grade / Math.log2(index + 2);
  });
  const ideal = [...qrels.values()]
    .filter((grade) => grade > 0)
    .sort((a, b) => b - a)
    .slice(0, k)
    .reduce((sum, grade, index) => sum + grade / Math.log2(index + 2), 0);
  return ideal > 0 ? dcg / ideal : 0;
}

/** Share of the relevant documents found in the first k. */
export function recallAt(ranked: string[], qrels: Qrels, k: number): number {
  const relevant = [...qrels.entries()].filter(([, grade]) => grade > 0).map(([id]) => id);
  if (relevant.length === 0) return 0;
  const top = new Set(ranked.slice(0, k));
  return relevant.filter((id) => top.has(id)).length / relevant.length;
}

/** Reciprocal rank of the first relevant document within the first k (0 when none). */
export function mrrAt(ranked: string[], qrels: Qrels, k: number): number {
  const index = ranked.slice(0, k).findIndex((id) => (qrels.get(id) ?? 0) > 0);
  return index === -1 ? 0 : 1 / (index + 1);
}

/** The value at quantile q (0..1) of `values`, nearest-rank. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? 0;
}

/** Documents in order of their best chunk (first occurrence in a chunk ranking), de-duplicated. */
export function rankDocumentsByBestChunk(documentIds: string[]): string[] {
  return [...new Set(documentIds)];
}
