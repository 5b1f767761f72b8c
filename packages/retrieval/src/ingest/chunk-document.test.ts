import { describe, expect, it } from 'vitest';
import { chunkDocument } from './chunk-document.ts';
import { cleanText, type ParsedDocument } from './parsed-document.ts';

// Whitespace word count: the unit tests only need a deterministic counter; the worker tests use the real
// embedder's countTokens.
const countTokens = (text: string) => text.split(/\s+/).filter(Boolean).length;

const sentence = (i: number) => `Sentence number ${i} talks about pumps and valves in some detail.`;

describe('chunkDocument', () => {
  it('keeps heading paths, pages and exact offsets', () => {
    const document: ParsedDocument = {
      pageCount: 2,
      blocks: [
        { kind: 'heading', level: 1, text: 'Manual', page: 1 },
        { kind: 'heading', level: 2, text: 'Safety', page: 1 },
        { kind: 'paragraph', text: 'Wear gloves.', page: 1 },
        { kind: 'heading', level: 2, text: 'Pumps', page: 1 },
        { kind: 'paragraph', text: Array.from({ length: 20 }, (_, i) => sentence(i)).join(' '), page: 1 },
        { kind: 'paragraph', text: 'Page two text.', page: 2 },
      ],
    };
    const { text, chunks } = chunkDocument(document, { countTokens, targetTokens: 50, overlapTokens: 12 });
    expect(chunks[0]!.headingPath).toEqual(['Manual', 'Safety']);
    expect(chunks[0]!.text).toBe('Manual\n\nSafety\n\nWear gloves.');
    const pumps = chunks.filter(
      (chunk) => chunk.headingPath.join('/') === 'Manual/Pumps' && chunk.page === 1,
    );
    expect(pumps.length).toBeGreaterThan(3);
    for (const chunk of chunks) {
      expect(text.slice(chunk.charStart, chunk.charEnd)).toBe(chunk.text);
      expect(chunk.tokens).toBeLessThanOrEqual(50);
    }
    // Overlap: each Pumps chunk after the first starts before the previous one ended.
    for (let i = 1; i < pumps.length; i++) expect(pumps[i]!.charStart).toBeLessThan(pumps[i - 1]!.charEnd);
    expect(chunks.at(-1)).toMatchObject({
      page: 2,
      text: 'Page two text.',
      headingPath: ['Manual', 'Pumps'],
    });
    expect(chunks.map((chunk) => chunk.ordinal)).toEqual(chunks.map((_, i) => i));
  });

  it('keeps a table a little over the target whole, so every row is read with its header', () => {
    const table = (rows: number) =>
      [
        '| Team | Hours |',
        '|---|---|',
        ...Array.from({ length: rows }, (_, i) => `| Team ${i} | 09:00 to 17:00 |`),
      ].join('\n');
    const chunksOf = (rows: number) =>
      chunkDocument(
        { pageCount: null, blocks: [{ kind: 'paragraph', text: table(rows), page: null }] },
        { countTokens, targetTokens: 50, overlapTokens: 0 },
      ).chunks;
    // 10 rows: 85 words, under twice the target of 50.
    expect(chunksOf(10).map((chunk) => chunk.text)).toEqual([table(10)]);
    // 30 rows: 245 words, split at rows.
    const long = chunksOf(30);
    expect(long.length).toBeGreaterThan(1);
    expect(long.every((chunk) => chunk.text.split('\n').every((line) => line.startsWith('|')))).toBe(true);
  });

  it('splits a giant unpunctuated block into word windows', () => {
    const words = Array.from({ length: 1000 }, (_, i) => `w${i}`).join(' ');
    const { chunks } = chunkDocument(
      { pageCount: null, blocks: [{ kind: 'paragraph', text: words, page: null }] },
      { countTokens, targetTokens: 100, overlapTokens: 0 },
    );
    expect(chunks.length).toBe(10);
    expect(chunks.every((chunk) => chunk.tokens === 100)).toBe(true);
  });

  it('removes invisible characters', () => {
    expect(cleanText('pass\u200Bword \u202Eevil\uFEFF\r\nnext')).toBe('password evil\nnext');
  });
});
