import { describe, expect, it } from 'vitest';
import { titleFromContent } from './adopt-document-title.ts';

const heading = (text: string, level = 1) => ({ kind: 'heading' as const, level, text, page: null });
const paragraph = (text: string) => ({ kind: 'paragraph' as const, text, page: null });

describe('titleFromContent', () => {
  it('prefers the metadata title, then the first top-level heading, then any heading', () => {
    expect(titleFromContent({ blocks: [heading('Intro')], pageCount: 3, title: ' Fleet  Manual ' })).toBe(
      'Fleet Manual',
    );
    expect(
      titleFromContent({ blocks: [heading('Scope', 2), heading('Leave Policy')], pageCount: null }),
    ).toBe('Leave Policy');
    expect(titleFromContent({ blocks: [paragraph('x'), heading('Usage', 2)], pageCount: null })).toBe(
      'Usage',
    );
  });

  it('ignores metadata that is only a file name, and documents without headings', () => {
    expect(titleFromContent({ blocks: [heading('Real title')], pageCount: 1, title: 'scan_0042.pdf' })).toBe(
      'Real title',
    );
    expect(titleFromContent({ blocks: [paragraph('Just text.')], pageCount: null })).toBeNull();
  });
});
