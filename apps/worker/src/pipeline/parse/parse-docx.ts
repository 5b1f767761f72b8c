import type { ParsedDocument } from '@clearance/retrieval';
import mammoth from 'mammoth';
import { ParseError } from './parse-error.ts';
import { parseHtml } from './parse-html.ts';
import { checkZipBomb } from './zip-guard.ts';

/**
 * DOCX via mammoth's semantic HTML (Word heading styles become h1..h6), then the HTML walker (without
 * Readability: everything mammoth emits is content, and Readability would demote h1 to h2). Images are
 * dropped (not embedded as base64), which also keeps memory flat on picture-heavy files.
 */
export async function parseDocx(bytes: Uint8Array): Promise<ParsedDocument> {
  checkZipBomb(bytes);
  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
      { convertImage: mammoth.images.imgElement(async () => ({ src: '' })), externalFileAccess: false },
    );
    html = result.value;
  } catch (error) {
    throw new ParseError(
      `The Word document could not be read (${error instanceof Error ? error.message.slice(0, 200) : 'unknown error'}).`,
    );
  }
  const parsed = parseHtml(`<html><body>${html}</body></html>`, { readability: false });
  if (parsed.blocks.length === 0) throw new ParseError('The Word document contains no text.');
  return parsed;
}
