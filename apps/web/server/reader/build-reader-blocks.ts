import 'server-only';

/** A chunk as the reader needs it: its text and where it sits in the document's canonical text. */
export type ReaderChunk = {
  id: string;
  text: string;
  page: number | null;
  headingPath: string[];
  charStart: number;
  charEnd: number;
};

/** How much of a block the cited passage covers: all of it, part of it (offsets in the block), none. */
export type BlockFocus = { kind: 'none' } | { kind: 'all' } | { kind: 'part'; start: number; end: number };

/**
 * One thing the reader shows, in document order. `markdown` blocks keep the source's Markdown (tables,
 * lists, code fences); `rows` are table rows (HTML tables arrive as "a | b" lines); `record` is one
 * CSV row as field/value pairs.
 */
export type ReaderBlock = {
  id: string;
  kind: 'heading' | 'markdown' | 'rows' | 'record';
  level: number;
  text: string;
  rows?: string[][];
  fields?: Array<[string, string]>;
  page: number | null;
  focus: BlockFocus;
};

type Span = { start: number; end: number; text: string };

/**
 * The document's canonical text rebuilt from its chunks. Chunks are exact slices of that text and
 * overlap within a section; the gaps between them are block separators (or, rarely, the space between
 * two sentences), so a gap of two or more characters is written as newlines.
 */
export function rebuildText(chunks: ReaderChunk[]): string {
  const sorted = [...chunks].sort((a, b) => a.charStart - b.charStart);
  let text = '';
  for (const chunk of sorted) {
    if (chunk.charEnd <= text.length) continue;
    if (chunk.charStart > text.length) {
      const gap = chunk.charStart - text.length;
      text += gap >= 2 ? '\n'.repeat(gap) : ' ';
    }
    text += chunk.text.slice(text.length - chunk.charStart);
  }
  return text;
}

/** Splits at blank lines, keeping a fenced code block (which may contain blank lines) in one piece. */
function splitBlocks(text: string): Span[] {
  const spans: Span[] = [];
  let open: Span | null = null;
  let start = 0;
  const push = (from: number, to: number) => {
    const raw = text.slice(from, to);
    const piece = raw.trim();
    if (!piece) return;
    const lead = raw.length - raw.trimStart().length;
    const span = { start: from + lead, end: from + lead + piece.length, text: piece };
    const fences = (piece.match(/^\s*(```|~~~)/gm) ?? []).length;
    if (open) {
      open.end = span.end;
      open.text = text.slice(open.start, open.end);
      if (fences % 2 === 1) open = null;
      return;
    }
    spans.push(span);
    if (fences % 2 === 1) open = span;
  };
  for (const match of text.matchAll(/\n[ \t]*\n+/g)) {
    push(start, match.index);
    start = match.index + match[0].length;
  }
  push(start, text.length);
  return spans;
}

const TABLE_CELL_SEPARATOR = ' | ';
const RECORD_LINE = /^([^:\n]{1,80}): (.*)$/;

function focusOf(span: Span, focus: { start: number; end: number } | null): BlockFocus {
  if (!focus || focus.end <= span.start || focus.start >= span.end) return { kind: 'none' };
  if (focus.start <= span.start && focus.end >= span.end) return { kind: 'all' };
  return {
    kind: 'part',
    start: Math.max(0, focus.start - span.start),
    end: Math.min(span.text.length, focus.end - span.start),
  };
}

/**
 * The reader's blocks for a document: the whole text rebuilt from its chunks, split into headings
 * (recognised from the chunks' heading paths), Markdown blocks, table rows and CSV records, each
 * marked with how much of the cited chunk (`focusChunkId`) it holds.
 */
export function buildReaderBlocks(
  chunks: ReaderChunk[],
  options: { mime: string; focusChunkId?: string | null },
): ReaderBlock[] {
  const text = rebuildText(chunks);
  const sorted = [...chunks].sort((a, b) => a.charStart - b.charStart);
  const focusChunk = chunks.find((chunk) => chunk.id === options.focusChunkId);
  const focus = focusChunk ? { start: focusChunk.charStart, end: focusChunk.charEnd } : null;
  const isCsv = options.mime === 'text/csv';
  const blocks: ReaderBlock[] = [];
  let chunkIndex = 0;
  for (const span of splitBlocks(text)) {
    while (chunkIndex < sorted.length - 1 && sorted[chunkIndex]!.charEnd <= span.start) chunkIndex++;
    const owner = sorted[chunkIndex];
    const page = owner?.page ?? null;
    const blockFocus = focusOf(span, focus);
    const base = { id: `b-${span.start}`, text: span.text, page, focus: blockFocus, level: 0 };
    const headingLevel = owner?.headingPath.indexOf(span.text) ?? -1;
    if (headingLevel >= 0 && !span.text.includes('\n')) {
      blocks.push({ ...base, kind: 'heading', level: Math.min(headingLevel + 1, 5) });
      continue;
    }
    const lines = span.text.split('\n');
    if (isCsv && lines.every((line) => RECORD_LINE.test(line))) {
      const fields = lines.map((line) => {
        const match = RECORD_LINE.exec(line)!;
        return [match[1]!, match[2]!] as [string, string];
      });
      blocks.push({ ...base, kind: 'record', fields });
      continue;
    }
    if (lines.length === 1 && span.text.includes(TABLE_CELL_SEPARATOR) && !span.text.startsWith('|')) {
      const cells = span.text.split(TABLE_CELL_SEPARATOR).map((cell) => cell.trim());
      const last = blocks.at(-1);
      // Consecutive rows (an HTML table) become one table; the cited rows form their own table.
      if (last?.kind === 'rows' && last.focus.kind === blockFocus.kind && last.page === page) {
        last.rows!.push(cells);
        last.text += `\n${span.text}`;
      } else {
        blocks.push({ ...base, kind: 'rows', rows: [cells] });
      }
      continue;
    }
    blocks.push({ ...base, kind: 'markdown' });
  }
  return blocks;
}
