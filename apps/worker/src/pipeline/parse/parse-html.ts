import { cleanText, type ParsedBlock, type ParsedDocument } from '@clearance/retrieval';
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';

const HEADING = /^H([1-6])$/;
const BLOCK_TAGS = new Set([
  'P',
  'LI',
  'PRE',
  'BLOCKQUOTE',
  'DT',
  'DD',
  'FIGCAPTION',
  'CAPTION',
  'TR',
  'ADDRESS',
  'SUMMARY',
]);
const CONTAINER_TAGS = new Set([
  'DIV',
  'SECTION',
  'ARTICLE',
  'MAIN',
  'BODY',
  'UL',
  'OL',
  'DL',
  'THEAD',
  'TBODY',
  'TFOOT',
  'FIGURE',
  'DETAILS',
  'HEADER',
  'ASIDE',
  'CENTER',
  'FORM',
  'FIELDSET',
]);
const SKIP_TAGS = new Set([
  'SCRIPT',
  'STYLE',
  'NOSCRIPT',
  'TEMPLATE',
  'SVG',
  'IFRAME',
  'OBJECT',
  'CANVAS',
  'HEAD',
]);

type Node = { nodeType: number; tagName?: string; textContent: string | null; childNodes: ArrayLike<Node> };

function textOf(node: Node): string {
  return (node.textContent ?? '').replace(/[ \t\r\n]+/g, ' ').trim();
}

/**
 * A list item keeps its list's marker, as Markdown writes it ("- " in a bullet list, "2. " as the second
 * step of a numbered one): answers list a procedure's steps, the reader renders them as a list.
 */
function listMarker(item: Node, parent: Node): string {
  if (item.tagName?.toUpperCase() !== 'LI') return '';
  if (parent.tagName?.toUpperCase() !== 'OL') return '- ';
  const items = Array.from(parent.childNodes).filter(
    (n) => n.nodeType === 1 && n.tagName?.toUpperCase() === 'LI',
  );
  return `${items.indexOf(item) + 1}. `;
}

const tagOf = (node: Node) => (node.nodeType === 1 ? (node.tagName?.toUpperCase() ?? '') : '');
const elements = (node: Node) => Array.from(node.childNodes).filter((child) => child.nodeType === 1);

/**
 * A table as a Markdown table in one block, as Markdown documents write them ("| Team | Hours |",
 * "|---|---|", a line per row), so every format's tables read alike: an answer names a row's values by
 * their column ("Payroll: Hours Monday to Friday 09:00 to 16:00"), the reader draws a table. The first row
 * is the header when it is in <thead> or all <th> (Word's header rows, through mammoth); otherwise the
 * header is left empty rather than taking a data row for column names. The caption goes before, as a
 * paragraph. Cells lose their line breaks and pipes (a pipe would split the cell).
 */
function tableBlocks(table: Node): ParsedBlock[] {
  const blocks: ParsedBlock[] = [];
  const rows: { cells: string[]; header: boolean }[] = [];
  for (const part of elements(table)) {
    const tag = tagOf(part);
    if (tag === 'CAPTION') {
      const caption = textOf(part);
      if (caption) blocks.push({ kind: 'paragraph', text: caption, page: null });
    }
    const rowNodes = tag === 'TR' ? [part] : ['THEAD', 'TBODY', 'TFOOT'].includes(tag) ? elements(part) : [];
    for (const row of rowNodes.filter((node) => tagOf(node) === 'TR')) {
      const cellNodes = elements(row).filter((cell) => ['TD', 'TH'].includes(tagOf(cell)));
      const cells = cellNodes.map((cell) => textOf(cell).replaceAll('|', '/'));
      if (cells.some(Boolean))
        rows.push({ cells, header: tag === 'THEAD' || cellNodes.every((cell) => tagOf(cell) === 'TH') });
    }
  }
  if (rows.length === 0) return blocks;
  const columns = Math.max(...rows.map((row) => row.cells.length));
  const line = (cells: string[]) =>
    `| ${Array.from({ length: columns }, (_, i) => cells[i] ?? '').join(' | ')} |`;
  const header = rows[0]!.header ? rows.shift()!.cells : [];
  const text = [line(header), `|${'---|'.repeat(columns)}`, ...rows.map((row) => line(row.cells))].join('\n');
  blocks.push({ kind: 'paragraph', text, page: null });
  return blocks;
}

/** Walks the DOM, turning headings into heading blocks and block elements into paragraphs. */
function collectBlocks(node: Node, blocks: ParsedBlock[]): void {
  let inline = '';
  const flushInline = () => {
    const text = inline.replace(/\s+/g, ' ').trim();
    if (text) blocks.push({ kind: 'paragraph', text, page: null });
    inline = '';
  };
  for (const child of Array.from(node.childNodes)) {
    if (child.nodeType === 3) {
      inline += child.textContent ?? '';
      continue;
    }
    if (child.nodeType !== 1) continue;
    const tag = child.tagName?.toUpperCase() ?? '';
    if (SKIP_TAGS.has(tag)) continue;
    const heading = HEADING.exec(tag);
    if (heading) {
      flushInline();
      const text = textOf(child);
      if (text) blocks.push({ kind: 'heading', level: Number(heading[1]), text, page: null });
    } else if (tag === 'TABLE') {
      flushInline();
      blocks.push(...tableBlocks(child));
    } else if (tag === 'TR') {
      flushInline();
      const cells = Array.from(child.childNodes)
        .filter((cell) => cell.nodeType === 1)
        .map(textOf)
        .filter(Boolean);
      if (cells.length) blocks.push({ kind: 'paragraph', text: cells.join(' | '), page: null });
    } else if (BLOCK_TAGS.has(tag)) {
      flushInline();
      // A list item or quote may nest blocks (li > ul); its own text and the nested ones stay separate.
      const before = blocks.length;
      collectBlocks(child, blocks);
      const marker = listMarker(child, node);
      const first = blocks[before];
      if (blocks.length === before) {
        const text = tag === 'PRE' ? (child.textContent ?? '').trim() : textOf(child);
        if (text) blocks.push({ kind: 'paragraph', text: `${marker}${text}`, page: null });
      } else if (marker && first?.kind === 'paragraph') {
        blocks[before] = { ...first, text: `${marker}${first.text}` };
      }
    } else if (CONTAINER_TAGS.has(tag)) {
      flushInline();
      collectBlocks(child, blocks);
    } else if (tag === 'BR') {
      inline += '\n';
    } else {
      inline += ` ${child.textContent ?? ''} `;
    }
  }
  flushInline();
}

/**
 * HTML: Readability isolates the main content (navigation, ads and footers dropped) when it keeps most
 * of the page's text; otherwise the whole body is used, so short or unusual pages lose nothing. Headings
 * are kept for heading paths. Scripts never run: linkedom only builds a DOM.
 */
export function parseHtml(source: string, options: { readability?: boolean } = {}): ParsedDocument {
  const html = cleanText(source);
  const { document } = parseHTML(html);
  const bodyText = textOf(document.body as unknown as Node);
  const titleElement = document.querySelector('title') as unknown as Node | null;
  const title = titleElement ? textOf(titleElement) : '';
  let root: Node = document.body as unknown as Node;
  if (options.readability !== false)
    try {
      const article = new Readability(
        parseHTML(html).document as unknown as ConstructorParameters<typeof Readability>[0],
      ).parse();
      if (article?.content && (article.textContent ?? '').trim().length >= bodyText.length * 0.6) {
        root = parseHTML(`<html><body>${article.content}</body></html>`).document.body as unknown as Node;
      }
    } catch {
      // Readability gives up on some markup; the full body is a fine fallback.
    }
  const blocks: ParsedBlock[] = [];
  collectBlocks(root, blocks);
  if (title && !blocks.some((block) => block.kind === 'heading' && block.text === title)) {
    blocks.unshift({ kind: 'heading', level: 1, text: title, page: null });
  }
  return { blocks, pageCount: null };
}
