import { describe, expect, it } from 'vitest';
import { buildReaderBlocks, type ReaderChunk, rebuildText } from './build-reader-blocks.ts';

const TEXT = [
  'Travel policy',
  'Per diem',
  'The domestic per diem is EUR 65 per day.',
  '| Tier | Cap |\n|---|---|\n| 1 | 240 |',
  '```\nline one\n\nline two\n```',
  'Closing words.',
].join('\n\n');

function chunk(id: string, from: string, to: string, headingPath: string[]): ReaderChunk {
  const charStart = TEXT.indexOf(from);
  const charEnd = TEXT.indexOf(to) + to.length;
  return { id, text: TEXT.slice(charStart, charEnd), page: null, headingPath, charStart, charEnd };
}

const CHUNKS = [
  chunk('a', 'Travel policy', 'EUR 65 per day.', ['Travel policy', 'Per diem']),
  // Overlaps the first chunk, as consecutive chunks of a section do.
  chunk('b', 'The domestic', '| 1 | 240 |', ['Travel policy', 'Per diem']),
  chunk('c', '```\nline one', 'Closing words.', ['Travel policy', 'Per diem']),
];

describe('reader blocks', () => {
  it('rebuilds the whole text from overlapping chunks', () => {
    expect(rebuildText(CHUNKS)).toBe(TEXT);
  });

  it('finds headings, keeps tables and fenced code whole, and marks the cited chunk', () => {
    const blocks = buildReaderBlocks(CHUNKS, { mime: 'text/markdown', focusChunkId: 'b' });
    expect(blocks.map((block) => [block.kind, block.level, block.focus.kind])).toEqual([
      ['heading', 1, 'none'],
      ['heading', 2, 'none'],
      ['markdown', 0, 'all'],
      ['markdown', 0, 'all'],
      ['markdown', 0, 'none'],
      ['markdown', 0, 'none'],
    ]);
    expect(blocks[4]!.text).toBe('```\nline one\n\nline two\n```');
  });

  it('reads CSV records and HTML table rows as tables', () => {
    const csv = 'vendor: Aerofluid\ninvoice: AFC-1\n\nvendor: Skyward\ninvoice: SBT-2';
    const csvBlocks = buildReaderBlocks(
      [{ id: 'x', text: csv, page: null, headingPath: [], charStart: 0, charEnd: csv.length }],
      { mime: 'text/csv' },
    );
    expect(csvBlocks.map((block) => block.fields)).toEqual([
      [
        ['vendor', 'Aerofluid'],
        ['invoice', 'AFC-1'],
      ],
      [
        ['vendor', 'Skyward'],
        ['invoice', 'SBT-2'],
      ],
    ]);
    const html = 'Item | Size\n\nBoots | S3';
    const rows = buildReaderBlocks(
      [{ id: 'y', text: html, page: null, headingPath: [], charStart: 0, charEnd: html.length }],
      { mime: 'text/html' },
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.rows).toEqual([
      ['Item', 'Size'],
      ['Boots', 'S3'],
    ]);
  });
});
