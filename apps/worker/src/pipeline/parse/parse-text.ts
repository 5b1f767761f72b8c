import { cleanText, type ParsedBlock, type ParsedDocument } from '@clearance/retrieval';

/** Plain text: paragraphs are separated by blank lines. */
export function parseText(source: string): ParsedDocument {
  const blocks: ParsedBlock[] = cleanText(source)
    .split(/\n[ \t]*\n+/)
    .map((text) => ({ kind: 'paragraph' as const, text: text.trim(), page: null }))
    .filter((block) => block.text);
  return { blocks, pageCount: null };
}
