import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { AnswerMarkdown, linkMarkers, sanitizeUrl } from './answer-markdown.tsx';

function render(content: string, markers: number[] = []) {
  return renderToStaticMarkup(
    createElement(AnswerMarkdown, { content, markers: new Set(markers), onCite: () => {} }),
  );
}

describe('answer markdown', () => {
  it('allows only http(s) and same-origin links', () => {
    expect(sanitizeUrl('https://example.com/a')).toBe('https://example.com/a');
    expect(sanitizeUrl('/documents/1')).toBe('/documents/1');
    expect(sanitizeUrl('javascript:alert(1)')).toBe('');
    expect(sanitizeUrl(' JaVaScRiPt:alert(1)')).toBe('');
    expect(sanitizeUrl('data:text/html,<script>')).toBe('');
    expect(sanitizeUrl('//evil.example/x')).toBe('');
    expect(sanitizeUrl('/\\evil.example')).toBe('');
  });

  it('renders HTML and scripts in an answer as inert text, and never loads images', () => {
    const html = render(
      'Hi <script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) ![pic](https://evil.example/p.png)',
    );
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('onerror');
    expect(html).not.toContain('javascript:');
    expect(html).toContain('[image: pic]');
  });

  it('turns checked markers into source buttons and leaves others as text', () => {
    expect(linkMarkers('A [1] B [2]', new Set([1]))).toBe('A [\\[1\\]](#cite-1) B [2]');
    const html = render('Hotels cost 180 EUR [1].', [1]);
    expect(html).toMatch(/<button[^>]*aria-label="Source 1"[^>]*>\[1\]<\/button>/);
  });
});
