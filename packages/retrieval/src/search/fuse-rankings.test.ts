import { describe, expect, it } from 'vitest';
import { diversify, jaccard } from './diversify.ts';
import { fuseNormalisedScores, fuseReciprocalRank, sortFused } from './fuse-rankings.ts';
import { makeSnippet } from './make-snippet.ts';

describe('fusion', () => {
  it('weighted RRF sums weight / (k + rank) over rankings', () => {
    const fused = fuseReciprocalRank(
      [
        { ids: ['a', 'b', 'c'], scores: [9, 5, 1], weight: 1 },
        { ids: ['c', 'a'], scores: [0.9, 0.8], weight: 0.5 },
      ],
      60,
    );
    expect(fused.get('a')).toBeCloseTo(1 / 61 + 0.5 / 62);
    expect(fused.get('b')).toBeCloseTo(1 / 62);
    expect(fused.get('c')).toBeCloseTo(1 / 63 + 0.5 / 61);
    expect(sortFused(fused)).toEqual(['a', 'c', 'b']);
  });

  it('a small dense weight only breaks lexical ties, it never overturns a lexical lead', () => {
    const fused = fuseReciprocalRank(
      [
        { ids: ['a', 'b', 'c', 'd'], scores: [4, 3, 2, 1], weight: 1 },
        { ids: ['d', 'c', 'b', 'a'], scores: [4, 3, 2, 1], weight: 0.02 },
      ],
      60,
    );
    expect(sortFused(fused)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('score fusion scales each list to [0, 1] before weighting', () => {
    const fused = fuseNormalisedScores([
      { ids: ['a', 'b'], scores: [100, 50], weight: 1 },
      { ids: ['b', 'c'], scores: [0.9, 0.1], weight: 1 },
    ]);
    expect(fused.get('a')).toBeCloseTo(1);
    expect(fused.get('b')).toBeCloseTo(1);
    expect(fused.get('c')).toBeCloseTo(0);
    expect(fuseNormalisedScores([{ ids: [], scores: [], weight: 1 }]).size).toBe(0);
  });
});

const item = (id: string, relevance: number, text: string) => ({
  id,
  relevance,
  text,
  terms: new Set(text.toLowerCase().split(/\s+/)),
});

describe('diversify (dedup + MMR)', () => {
  it('drops exact and near duplicates, keeping the better-ranked copy', () => {
    const out = diversify(
      [
        item('a', 3, 'alpha beta gamma delta epsilon'),
        item('b', 2, 'Alpha beta  gamma delta epsilon'),
        item('c', 1, 'alpha beta gamma delta epsilon zeta'),
        item('d', 0.5, 'omega'),
      ],
      { lambda: 1, window: 10, duplicateJaccard: 0.8 },
    );
    expect(out.map((x) => x.id)).toEqual(['a', 'd']);
  });

  it('MMR promotes a different passage over a near-copy of the top one', () => {
    const items = [
      item('a', 1.0, 'refund policy laptops returns thirty days'),
      item('b', 0.95, 'refund policy laptops returns thirty days receipt'),
      item('c', 0.9, 'warranty claims hardware repair service'),
    ];
    const plain = diversify(items, { lambda: 1, window: 3, duplicateJaccard: 1 });
    expect(plain.map((x) => x.id)).toEqual(['a', 'b', 'c']);
    const mmr = diversify(items, { lambda: 0.5, window: 3, duplicateJaccard: 1 });
    expect(mmr.map((x) => x.id)).toEqual(['a', 'c', 'b']);
    expect(jaccard(new Set(['x']), new Set(['x', 'y']))).toBe(0.5);
  });
});

describe('makeSnippet', () => {
  it('marks the matched word in the densest window, matching stemmed lexemes', () => {
    const text = `${'Filler words here. '.repeat(20)}Patients with diabetes studies showed improved outcomes.`;
    const snippet = makeSnippet(text, ['studi', 'diabet', 'outcom']);
    expect(snippet.match).toMatch(/^(diabetes|studies|outcomes)$/);
    expect(`${snippet.before}${snippet.match}${snippet.after}`).toContain('diabetes studies showed improved');
    expect(text).toContain(`${snippet.before}${snippet.match}${snippet.after}`);
    expect(makeSnippet('No match at all', ['zebra']).match).toBe('');
  });
});
