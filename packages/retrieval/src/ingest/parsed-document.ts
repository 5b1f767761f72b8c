/** One structural unit a parser found: a heading or a paragraph-like block (list item, table row, record). */
export type ParsedBlock = {
  kind: 'heading' | 'paragraph';
  /** Heading level 1..6 (headings only). */
  level?: number;
  text: string;
  /** 1-based page number for paginated formats (PDF), null otherwise. */
  page: number | null;
};

/**
 * What a parser returns: ordered blocks (already cleaned of invisible characters), the page count and,
 * when the format records one (a PDF's Title), the document's own title.
 */
export type ParsedDocument = { blocks: ParsedBlock[]; pageCount: number | null; title?: string | null };

/** A block placed in the document's canonical text. */
export type PlacedBlock = ParsedBlock & { start: number; end: number };

const BLOCK_SEPARATOR = '\n\n';

/**
 * The canonical text of a parsed document (blocks joined by blank lines) and each block's offsets in it.
 * Chunk char offsets point into this text, so citations and the viewer can highlight exact spans.
 */
export function assembleText(document: ParsedDocument): { text: string; blocks: PlacedBlock[] } {
  const blocks: PlacedBlock[] = [];
  let offset = 0;
  const parts: string[] = [];
  for (const block of document.blocks) {
    const text = block.text.trim();
    if (!text) continue;
    if (parts.length > 0) {
      parts.push(BLOCK_SEPARATOR);
      offset += BLOCK_SEPARATOR.length;
    }
    blocks.push({ ...block, text, start: offset, end: offset + text.length });
    parts.push(text);
    offset += text.length;
  }
  return { text: parts.join(''), blocks };
}

// Zero-width, bidi controls, BOM, soft hyphen and other format characters: invisible in a viewer but they
// split words for search and can hide prompt-injection text. Tab, newline and form feed are kept.
// Built with RegExp because the `v` flag (set difference) needs an ES2024 target in TypeScript.
const SET_DIFFERENCE_FLAGS: string = 'gv';
const INVISIBLE = new RegExp(
  String.raw`[\p{Cf}\u034f\u115f\u1160\u17b4\u17b5\u180e\u3164\uffa0]|[\p{Cc}--[\t\n\f\r]]`,
  SET_DIFFERENCE_FLAGS,
);

/** Removes invisible/format characters, normalises to NFC and unifies line endings. */
export function cleanText(text: string): string {
  return text.normalize('NFC').replace(/\r\n?/g, '\n').replace(INVISIBLE, '').replace(/\f/g, '\n');
}
