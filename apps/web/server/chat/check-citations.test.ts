import { describe, expect, it } from 'vitest';
import { checkCitations, createMarkerFilter, quotePassage, removeUnknownMarkers } from './check-citations.ts';
import type { ChatPassage } from './types.ts';

const passages: ChatPassage[] = [1, 2].map((marker) => ({
  marker,
  chunkId: `chunk-${marker}`,
  documentId: `doc-${marker}`,
  versionId: `version-${marker}`,
  title: `Title ${marker}`,
  page: marker,
  headingPath: [],
  text: `Passage ${marker} text.`,
}));

describe('citation checking', () => {
  it('removes markers that refer to no retrieved passage', () => {
    expect(removeUnknownMarkers('A [1]. B [3]. C [2][7].', new Set([1, 2]))).toBe('A [1]. B . C [2].');
    expect(removeUnknownMarkers('Array[0] and [x] stay', new Set([1]))).toBe('Array and [x] stay');
  });

  it('returns one citation per valid marker with chunk and version, in order of appearance', () => {
    const citations = checkCitations('Second [2], first [1], again [2], bogus [9].', passages);
    expect(citations.map((citation) => citation.marker)).toEqual([2, 1]);
    expect(citations[0]).toMatchObject({ chunkId: 'chunk-2', versionId: 'version-2', documentId: 'doc-2' });
    expect(citations[0]!.quote).toBe('Passage 2 text.');
  });

  it('filters markers split across streamed deltas, and releases brackets that are not markers', () => {
    const filter = createMarkerFilter(new Set([1, 2]));
    const deltas = [
      'Hotels cost 180 EUR [',
      '1',
      '] and flights [',
      '12',
      '] are economy [2',
      ']. See [note',
    ];
    const streamed = deltas.map((delta) => filter.push(delta)).join('') + filter.flush();
    expect(streamed).toBe('Hotels cost 180 EUR [1] and flights  are economy [2]. See [note');
  });

  it('numbers markers in order of appearance and gives the passages those numbers', () => {
    const filter = createMarkerFilter(new Set([1, 2]));
    const streamed =
      filter.push('Flights are economy [2]. Hotels cost 180 EUR [1]. Also [2].') + filter.flush();
    expect(streamed).toBe('Flights are economy [1]. Hotels cost 180 EUR [2]. Also [1].');
    const renumbered = filter.renumber(passages);
    expect(renumbered.map((p) => [p.marker, p.chunkId])).toEqual([
      [1, 'chunk-2'],
      [2, 'chunk-1'],
    ]);
    expect(checkCitations(streamed, renumbered).map((c) => c.chunkId)).toEqual(['chunk-2', 'chunk-1']);
  });

  it('holds back an unclosed marker until the stream ends', () => {
    const filter = createMarkerFilter(new Set([1]));
    expect(filter.push('text [')).toBe('text ');
    expect(filter.flush()).toBe('[');
  });

  it('quotes long passages at a word boundary', () => {
    const quote = quotePassage(`${'word '.repeat(200)}end`);
    expect(quote.length).toBeLessThanOrEqual(401);
    expect(quote.endsWith('…')).toBe(true);
  });
});
