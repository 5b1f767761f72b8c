import { AppError } from '@clearance/errors';
import { describe, expect, it } from 'vitest';
import { sniffDocumentType } from './sniff-document-type.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);

function kindOf(bytes: Uint8Array, filename?: string): string {
  return sniffDocumentType(bytes, filename).kind;
}

function rejection(bytes: Uint8Array, filename?: string): AppError {
  try {
    sniffDocumentType(bytes, filename);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('sniffDocumentType', () => {
  it('detects types from the bytes, not the name', () => {
    expect(kindOf(utf8('%PDF-1.7\n...'), 'report.txt')).toBe('pdf');
    expect(kindOf(utf8('<!DOCTYPE html><html><body>hi</body></html>'), 'invoice.pdf')).toBe('html');
    expect(kindOf(utf8('<html><p>x</p></html>'), 'x.pdf')).toBe('html');
    expect(kindOf(utf8('# Title\n\nSome text'), 'notes')).toBe('markdown');
    expect(kindOf(utf8('Some text'), 'notes.md')).toBe('markdown');
    expect(kindOf(utf8('a,b,c\n1,2,3\n4,5,6\n'), 'data')).toBe('csv');
    expect(kindOf(utf8('a;b\n1;2'), 'data.csv')).toBe('csv');
    expect(kindOf(utf8('Just a plain note.\nSecond line.'))).toBe('text');
    expect(kindOf(utf8('\uFEFFBOM text'))).toBe('text');
  });

  it('rejects empty, binary, images and foreign zips naming the accepted types', () => {
    expect(rejection(new Uint8Array()).code).toBe('bad_request:upload');
    const png = rejection(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), 'a.pdf');
    expect(png.code).toBe('unsupported_media_type:upload');
    expect(png.status).toBe(415);
    expect(png.message).toContain('PNG');
    expect(png.message).toContain('PDF, Word (DOCX), HTML, Markdown, plain text, CSV');
    expect(rejection(new Uint8Array([1, 2, 0, 4, 5, 0, 0, 7])).message).toContain('binary');
    expect(rejection(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3])).code).toBe(
      'unsupported_media_type:upload',
    );
    expect(rejection(new Uint8Array([0xff, 0xfe, 0x00, 0xd8])).code).toBe('unsupported_media_type:upload');
  });
});
