import { cleanText, type ParsedBlock, type ParsedDocument } from '@clearance/retrieval';

/**
 * Markdown: ATX (`## Title`) and setext (`Title` over `===`/`---`) headings become heading blocks,
 * paragraphs split at blank lines; fenced code stays one block and its `#` lines are not headings.
 */
export function parseMarkdown(source: string): ParsedDocument {
  const lines = cleanText(source).split('\n');
  const blocks: ParsedBlock[] = [];
  let paragraph: string[] = [];
  let fence: string | null = null;
  const flush = () => {
    const text = paragraph.join('\n').trim();
    if (text) blocks.push({ kind: 'paragraph', text, page: null });
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fenceMatch = /^\s*(```+|~~~+)/.exec(line);
    if (fence) {
      paragraph.push(line);
      if (fenceMatch && fenceMatch[1]!.startsWith(fence)) {
        fence = null;
        flush();
      }
      continue;
    }
    if (fenceMatch) {
      flush();
      fence = fenceMatch[1]!;
      paragraph.push(line);
      continue;
    }
    const atx = /^\s{0,3}(#{1,6})\s+(.*?)(\s+#+)?\s*$/.exec(line);
    if (atx) {
      flush();
      if (atx[2]) blocks.push({ kind: 'heading', level: atx[1]!.length, text: atx[2], page: null });
      continue;
    }
    const next = lines[i + 1];
    if (line.trim() && paragraph.length === 0 && next !== undefined && /^\s{0,3}(=+|-+)\s*$/.test(next)) {
      blocks.push({
        kind: 'heading',
        level: next.trim().startsWith('=') ? 1 : 2,
        text: line.trim(),
        page: null,
      });
      i++;
      continue;
    }
    if (!line.trim()) {
      flush();
      continue;
    }
    paragraph.push(line);
  }
  flush();
  return { blocks, pageCount: null };
}
