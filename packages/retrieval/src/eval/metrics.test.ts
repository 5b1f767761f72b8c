import { describe, expect, it } from 'vitest';
import { mrrAt, ndcgAt, quantile, rankDocumentsByBestChunk, recallAt } from './metrics.ts';

const qrels = new Map([
  ['a', 1],
  ['b', 1],
]);

describe('retrieval metrics', () => {
  it('nDCG@k is 1 for an ideal ranking and discounts by log2(rank + 1)', () => {
    expect(ndcgAt(['a', 'b', 'x'], qrels, 10)).toBeCloseTo(1);
    expect(ndcgAt(['b', 'a'], qrels, 10)).toBeCloseTo(1);
    // Relevant at ranks 2 and 3: (1/log2 3 + 1/log2 4) / (1 + 1/log2 3).
    const expected = (1 / Math.log2(3) + 1 / 2) / (1 + 1 / Math.log2(3));
    expect(ndcgAt(['x', 'a', 'b'], qrels, 10)).toBeCloseTo(expected, 10);
    expect(ndcgAt(['x', 'y'], qrels, 10)).toBe(0);
    expect(ndcgAt(['x', 'a'], qrels, 1)).toBe(0);
  });

  it('nDCG uses graded gains', () => {
    const graded = new Map([
      ['a', 2],
      ['b', 1],
    ]);
    expect(ndcgAt(['b', 'a'], graded, 10)).toBeCloseTo((1 + 2 / Math.log2(3)) / (2 + 1 / Math.log2(3)), 10);
  });

  it('recall@k counts relevant documents found in the first k', () => {
    expect(recallAt(['a', 'x', 'b'], qrels, 2)).toBe(0.5);
    expect(recallAt(['a', 'x', 'b'], qrels, 3)).toBe(1);
    expect(recallAt([], qrels, 10)).toBe(0);
  });

  it('MRR@k is the reciprocal rank of the first relevant document', () => {
    expect(mrrAt(['x', 'y', 'b'], qrels, 10)).toBeCloseTo(1 / 3);
    expect(mrrAt(['x', 'y', 'b'], qrels, 2)).toBe(0);
    expect(mrrAt(['a'], qrels, 10)).toBe(1);
  });

  it('ranks documents by their best chunk and takes nearest-rank quantiles', () => {
    expect(rankDocumentsByBestChunk(['d1', 'd2', 'd1', 'd3'])).toEqual(['d1', 'd2', 'd3']);
    expect(quantile([5, 1, 3, 2, 4], 0.5)).toBe(3);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95)).toBe(10);
    expect(quantile([], 0.5)).toBe(0);
  });
});
