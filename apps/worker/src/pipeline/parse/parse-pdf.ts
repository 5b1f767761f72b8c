import { cleanText, type ParsedBlock, type ParsedDocument } from '@clearance/retrieval';
import { extractText, getDocumentProxy, getMeta } from 'unpdf';
import { ParseError } from './parse-error.ts';

/** Turns pdf.js failures into reasons an admin can act on. */
function explain(error: unknown): ParseError {
  const name = (error as { name?: string })?.name ?? '';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'PasswordException' || /password/i.test(message)) {
    return new ParseError('The PDF is password-protected (encrypted). Upload an unprotected copy.');
  }
  if (name === 'InvalidPDFException' || /invalid pdf|pdf structure|xref|unexpected end/i.test(message)) {
    return new ParseError('The PDF is damaged or truncated and cannot be read. Upload a complete copy.');
  }
  return new ParseError(`The PDF could not be read (${message.slice(0, 200)}).`);
}

/**
 * PDF text per page (unpdf / pdf.js). Every block keeps its page number so citations point at the
 * page; paragraphs are split at blank lines. A PDF with no extractable text (scanned images) fails
 * with a reason rather than producing an empty, unsearchable document.
 */
export async function parsePdf(bytes: Uint8Array): Promise<ParsedDocument> {
  let pages: string[];
  let totalPages: number;
  let title: string | null = null;
  try {
    // pdf.js takes ownership of (detaches) the buffer it is given: pass a copy.
    const pdf = await getDocumentProxy(new Uint8Array(bytes));
    const result = await extractText(pdf, { mergePages: false });
    pages = result.text;
    totalPages = result.totalPages;
    // The Title in the PDF's own metadata, when its author set one (many exporters leave a file name).
    const info = (await getMeta(pdf).catch(() => null))?.info as { Title?: unknown } | undefined;
    title = typeof info?.Title === 'string' ? cleanText(info.Title).trim() || null : null;
    await (pdf as unknown as { destroy?: () => Promise<void> }).destroy?.();
  } catch (error) {
    throw explain(error);
  }
  const blocks: ParsedBlock[] = [];
  pages.forEach((pageText, index) => {
    for (const paragraph of cleanText(pageText).split(/\n[ \t]*\n+/)) {
      const text = paragraph.trim();
      if (text) blocks.push({ kind: 'paragraph', text, page: index + 1 });
    }
  });
  if (blocks.length === 0) {
    throw new ParseError(
      'The PDF contains no extractable text (it may be scanned images). Upload a text PDF.',
    );
  }
  return { blocks, pageCount: totalPages, title };
}
