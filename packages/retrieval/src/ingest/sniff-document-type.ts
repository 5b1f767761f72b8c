import { AppError } from '@clearance/errors';
import { listZipEntries } from './zip-entries.ts';

/** The document formats the pipeline parses. */
export type DocumentKind = 'pdf' | 'docx' | 'html' | 'markdown' | 'text' | 'csv';

export type DocumentType = { kind: DocumentKind; mime: string; label: string };

export const DOCUMENT_TYPES: Record<DocumentKind, DocumentType> = {
  pdf: { kind: 'pdf', mime: 'application/pdf', label: 'PDF' },
  docx: {
    kind: 'docx',
    mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    label: 'Word (DOCX)',
  },
  html: { kind: 'html', mime: 'text/html', label: 'HTML' },
  markdown: { kind: 'markdown', mime: 'text/markdown', label: 'Markdown' },
  text: { kind: 'text', mime: 'text/plain', label: 'plain text' },
  csv: { kind: 'csv', mime: 'text/csv', label: 'CSV' },
};

/** "PDF, Word (DOCX), HTML, Markdown, plain text, CSV": used in every rejection message. */
export const ACCEPTED_TYPES_LABEL = Object.values(DOCUMENT_TYPES)
  .map((type) => type.label)
  .join(', ');

/** The document type stored in document_versions.mime, back to its kind (undefined if unknown). */
export function findDocumentKind(mime: string): DocumentKind | undefined {
  return Object.values(DOCUMENT_TYPES).find((type) => type.mime === mime)?.kind;
}

// Binary signatures we name in the rejection so the admin knows what was detected.
const BINARY_MAGIC: Array<[string, number[]]> = [
  ['a PNG image', [0x89, 0x50, 0x4e, 0x47]],
  ['a JPEG image', [0xff, 0xd8, 0xff]],
  ['a GIF image', [0x47, 0x49, 0x46, 0x38]],
  ['a WebP/RIFF file', [0x52, 0x49, 0x46, 0x46]],
  ['a TIFF image', [0x49, 0x49, 0x2a, 0x00]],
  ['a TIFF image', [0x4d, 0x4d, 0x00, 0x2a]],
  ['a gzip archive', [0x1f, 0x8b]],
  ['a 7-Zip archive', [0x37, 0x7a, 0xbc, 0xaf]],
  ['a RAR archive', [0x52, 0x61, 0x72, 0x21]],
  ['an executable', [0x7f, 0x45, 0x4c, 0x46]],
  ['an executable', [0x4d, 0x5a]],
  ['a legacy Office file (save it as DOCX)', [0xd0, 0xcf, 0x11, 0xe0]],
];

function startsWith(bytes: Uint8Array, magic: number[], at = 0): boolean {
  return magic.every((byte, i) => bytes[at + i] === byte);
}

function unsupported(detected: string): AppError {
  return new AppError(
    'unsupported_media_type:upload',
    `This file looks like ${detected}, which Clearance cannot read. Accepted types: ${ACCEPTED_TYPES_LABEL}.`,
  );
}

const SNIFF_WINDOW = 64 * 1024;

/**
 * Detects the document type from the bytes themselves: the filename (or Content-Type) never overrides
 * what the bytes are, so a ".pdf" that is really HTML is handled as HTML and never reaches the PDF
 * parser. The filename is only a tie-breaker between text formats (Markdown/CSV/plain text).
 * Throws AppError 400 for an empty file and 415 (naming the accepted types) for anything else.
 */
export function sniffDocumentType(bytes: Uint8Array, filename?: string): DocumentType {
  if (bytes.length === 0) throw new AppError('bad_request:upload', 'The file is empty (0 bytes).');
  const head = bytes.subarray(0, Math.min(bytes.length, 1024));
  // PDF readers accept the header anywhere in the first 1 KB; so do we.
  if (Buffer.from(head).includes('%PDF-')) return DOCUMENT_TYPES.pdf;
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) {
    const names = listZipEntries(bytes)?.map((entry) => entry.name);
    if (!names) throw unsupported('a damaged zip archive');
    if (names.includes('word/document.xml')) return DOCUMENT_TYPES.docx;
    if (names.some((name) => name.startsWith('ppt/'))) throw unsupported('a PowerPoint (PPTX) file');
    if (names.some((name) => name.startsWith('xl/'))) throw unsupported('an Excel (XLSX) file');
    throw unsupported('a zip archive');
  }
  for (const [detected, magic] of BINARY_MAGIC) if (startsWith(bytes, magic)) throw unsupported(detected);

  const text = decodeTextHead(bytes.subarray(0, SNIFF_WINDOW), bytes.length > SNIFF_WINDOW);
  if (text === undefined) throw unsupported('a binary file');
  return classifyText(text, filename?.toLowerCase() ?? '');
}

/** UTF-8 text (a BOM is fine) without NUL or other C0 control bytes, or undefined for binary data. */
function decodeTextHead(head: Uint8Array, truncated: boolean): string | undefined {
  let text: string;
  try {
    // stream:true tolerates a multi-byte character cut at the window's edge.
    text = new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: truncated });
  } catch {
    return undefined;
  }
  let controls = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0) return undefined;
    if (code < 32 && code !== 9 && code !== 10 && code !== 13 && code !== 12) controls++;
  }
  return controls > text.length / 100 ? undefined : text.replace(/^\uFEFF/, '');
}

function classifyText(text: string, filename: string): DocumentType {
  const start = text.trimStart().slice(0, 512).toLowerCase();
  if (
    /^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<!doctype html/.test(start) ||
    /^<(html|head|body)[\s>]/.test(start)
  ) {
    return DOCUMENT_TYPES.html;
  }
  if (/\.(html?|xhtml)$/.test(filename) && /<[a-z][a-z0-9]*[\s>]/.test(start)) return DOCUMENT_TYPES.html;
  if (/\.(md|markdown)$/.test(filename)) return DOCUMENT_TYPES.markdown;
  if (/\.csv$/.test(filename) || looksLikeCsv(text)) return DOCUMENT_TYPES.csv;
  if (/\.(txt|text|log)$/.test(filename)) return DOCUMENT_TYPES.text;
  if (/^#{1,6} \S/m.test(text) || /^```/m.test(text) || /\]\([^)\s]+\)/.test(text))
    return DOCUMENT_TYPES.markdown;
  return DOCUMENT_TYPES.text;
}

/** At least three lines that all have the same (non-zero) number of commas outside quotes. */
function looksLikeCsv(text: string): boolean {
  const lines = text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .slice(0, 10);
  if (lines.length < 3) return false;
  const counts = lines.map((line) => line.replace(/"[^"]*"/g, '').split(',').length - 1);
  return counts[0]! > 0 && counts.every((count) => count === counts[0]);
}
