import type { DocumentKind, ParsedDocument } from '@clearance/retrieval';
import { parseCsv } from './parse-csv.ts';
import { parseDocx } from './parse-docx.ts';
import { ParseError } from './parse-error.ts';
import { parseHtml } from './parse-html.ts';
import { parseMarkdown } from './parse-markdown.ts';
import { parsePdf } from './parse-pdf.ts';
import { parseText } from './parse-text.ts';

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ParseError('The text is not valid UTF-8. Save it as UTF-8 and upload it again.');
  }
}

/** Parses bytes of a sniffed kind. Runs inside the parser child process (see parse-in-child.ts). */
export async function parseDocument(bytes: Uint8Array, kind: DocumentKind): Promise<ParsedDocument> {
  let parsed: ParsedDocument;
  switch (kind) {
    case 'pdf':
      parsed = await parsePdf(bytes);
      break;
    case 'docx':
      parsed = await parseDocx(bytes);
      break;
    case 'html':
      parsed = parseHtml(decodeUtf8(bytes));
      break;
    case 'markdown':
      parsed = parseMarkdown(decodeUtf8(bytes));
      break;
    case 'csv':
      parsed = parseCsv(decodeUtf8(bytes));
      break;
    case 'text':
      parsed = parseText(decodeUtf8(bytes));
      break;
  }
  if (!parsed.blocks.some((block) => block.kind === 'paragraph' && block.text.trim())) {
    throw new ParseError('The document contains no text to index.');
  }
  return parsed;
}
