import { assembleText, type ParsedDocument, type PlacedBlock } from './parsed-document.ts';

export type ChunkOptions = {
  /** Tokens as the embedder counts them (Embedder.countTokens). */
  countTokens: (text: string) => number;
  /** Target chunk size in embedder tokens (default 200). */
  targetTokens?: number;
  /** Tokens repeated from the end of the previous chunk of the same section (default 15% of target). */
  overlapTokens?: number;
};

export type DocumentChunk = {
  ordinal: number;
  text: string;
  page: number | null;
  headingPath: string[];
  /** Offsets into the parsed document's canonical text (see assembleText). */
  charStart: number;
  charEnd: number;
  tokens: number;
};

type Unit = { start: number; end: number; tokens: number };
type Section = { headingPath: string[]; page: number | null; blocks: PlacedBlock[] };

/**
 * Splits a parsed document into retrieval chunks along its structure: a chunk never crosses a heading
 * section or a page (so every chunk has one page and one heading path for citations), paragraphs are
 * kept whole when they fit, long paragraphs split at sentences, and over-long sentences at words.
 * Chunks are sized in the embedder's own tokens and consecutive chunks of a section overlap, so a
 * passage cut at a boundary is still retrievable whole from one side.
 */
export function chunkDocument(
  document: ParsedDocument,
  options: ChunkOptions,
): { text: string; chunks: DocumentChunk[] } {
  const target = Math.max(16, options.targetTokens ?? 200);
  const overlap = Math.min(
    Math.floor(target / 2),
    Math.max(0, options.overlapTokens ?? Math.round(target * 0.15)),
  );
  const { text, blocks } = assembleText(document);
  const chunks: DocumentChunk[] = [];
  for (const section of groupSections(blocks)) {
    const units = section.blocks.flatMap((block) => splitBlock(text, block, target, options.countTokens));
    for (const [start, end] of packUnits(units, target, overlap)) {
      const chunkText = text.slice(start, end);
      chunks.push({
        ordinal: chunks.length,
        text: chunkText,
        page: section.page,
        headingPath: section.headingPath,
        charStart: start,
        charEnd: end,
        tokens: options.countTokens(chunkText),
      });
    }
  }
  return { text, chunks };
}

/** Groups blocks into sections at headings and page changes; a heading with no body joins the next. */
function groupSections(blocks: PlacedBlock[]): Section[] {
  const sections: Section[] = [];
  const stack: Array<{ level: number; text: string }> = [];
  let current: Section | undefined;
  let hasBody = false;
  for (const block of blocks) {
    if (block.kind === 'heading') {
      const level = block.level ?? 1;
      while (stack.length > 0 && stack[stack.length - 1]!.level >= level) stack.pop();
      stack.push({ level, text: block.text.slice(0, 200) });
      const headingPath = stack.map((entry) => entry.text);
      if (current && !hasBody && current.page === block.page) {
        // Consecutive headings (title, then chapter): keep them together with the body that follows.
        current.blocks.push(block);
        current.headingPath = headingPath;
      } else {
        current = { headingPath, page: block.page, blocks: [block] };
        sections.push(current);
        hasBody = false;
      }
      continue;
    }
    if (!current || current.page !== block.page) {
      current = { headingPath: stack.map((entry) => entry.text), page: block.page, blocks: [] };
      sections.push(current);
    }
    current.blocks.push(block);
    hasBody = true;
  }
  return sections;
}

/** A Markdown table line: every format's parser writes its tables so ("| Team | Hours |"). */
const TABLE_LINE = /^\s*\|.*\|\s*$/;
/**
 * A table this many times the target stays one chunk: its rows are read by the header line, which a
 * continuation chunk would not hold ("Payroll: Hours 09:00 to 16:00" becomes "Payroll: 09:00 to 16:00").
 */
const TABLE_STRETCH = 2;

/**
 * A block as units no larger than `target` tokens: whole, else sentences, else word windows. A table up to
 * TABLE_STRETCH times the target stays whole.
 */
function splitBlock(
  text: string,
  block: PlacedBlock,
  target: number,
  count: (text: string) => number,
): Unit[] {
  const tokens = count(block.text);
  const isTable = () => block.text.split('\n').every((line) => TABLE_LINE.test(line));
  if (tokens <= target || (tokens <= TABLE_STRETCH * target && isTable()))
    return [{ start: block.start, end: block.end, tokens }];
  const units: Unit[] = [];
  for (const [start, end] of findSpans(text, block.start, block.end, /(?<=[.!?;:])\s+|\n+/g)) {
    const sentenceTokens = count(text.slice(start, end));
    if (sentenceTokens <= target) {
      units.push({ start, end, tokens: sentenceTokens });
      continue;
    }
    // A sentence longer than a chunk (tables, lists without punctuation): cut into word windows.
    let windowStart = -1;
    let windowEnd = 0;
    let windowTokens = 0;
    for (const [wordStart, wordEnd] of findSpans(text, start, end, /\s+/g)) {
      const wordTokens = Math.max(1, count(text.slice(wordStart, wordEnd)));
      if (windowStart >= 0 && windowTokens + wordTokens > target) {
        units.push({ start: windowStart, end: windowEnd, tokens: windowTokens });
        windowStart = -1;
        windowTokens = 0;
      }
      if (windowStart < 0) windowStart = wordStart;
      windowEnd = wordEnd;
      windowTokens += wordTokens;
    }
    if (windowStart >= 0) units.push({ start: windowStart, end: windowEnd, tokens: windowTokens });
  }
  return units;
}

/** Non-empty spans of text[from, to) between separator matches, trimmed of surrounding whitespace. */
function findSpans(text: string, from: number, to: number, separator: RegExp): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  const slice = text.slice(from, to);
  let last = 0;
  const push = (start: number, end: number) => {
    const piece = slice.slice(start, end);
    const lead = piece.length - piece.trimStart().length;
    const trimmed = piece.trim();
    if (trimmed) spans.push([from + start + lead, from + start + lead + trimmed.length]);
  };
  for (const match of slice.matchAll(separator)) {
    push(last, match.index);
    last = match.index + match[0].length;
  }
  push(last, slice.length);
  return spans;
}

/** Greedy packing of units into [start, end) ranges of about `target` tokens, overlapping by `overlap`. */
function packUnits(units: Unit[], target: number, overlap: number): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let first = 0;
  while (first < units.length) {
    let last = first;
    let tokens = units[first]!.tokens;
    while (last + 1 < units.length && tokens + units[last + 1]!.tokens <= target) {
      last++;
      tokens += units[last]!.tokens;
    }
    ranges.push([units[first]!.start, units[last]!.end]);
    if (last + 1 >= units.length) break;
    // Start the next chunk with the trailing units that fit in the overlap budget, always moving forward.
    let next = last + 1;
    let carried = 0;
    while (next - 1 > first && carried + units[next - 1]!.tokens <= overlap) {
      next--;
      carried += units[next]!.tokens;
    }
    first = next;
  }
  return ranges;
}
