import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sniffDocumentType } from '@clearance/retrieval';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDocx, buildDocxBomb, buildEncryptedPdf, buildPdf } from '../../../test/fixtures.ts';
import { parseDocument } from './parse-document.ts';
import { ParseError } from './parse-error.ts';
import { parseInChild } from './parse-in-child.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);
const dir = mkdtempSync(path.join(tmpdir(), 'clearance-parse-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function parse(bytes: Uint8Array, filename?: string) {
  return parseDocument(bytes, sniffDocumentType(bytes, filename).kind);
}

describe('parsers', () => {
  it('PDF: text per page with page numbers', async () => {
    const parsed = await parse(await buildPdf(['alpha pumps', 'beta valves', 'gamma seals']));
    expect(parsed.pageCount).toBe(3);
    expect(parsed.blocks.map((block) => block.page)).toEqual([1, 2, 3]);
    expect(parsed.blocks[1]!.text).toContain('beta valves');
  });

  it('DOCX: headings and paragraphs', async () => {
    const parsed = await parse(
      await buildDocx([{ heading: 'Safety', paragraphs: ['Wear gloves.', 'Use goggles.'] }]),
    );
    expect(parsed.blocks).toEqual([
      { kind: 'heading', level: 1, text: 'Safety', page: null },
      { kind: 'paragraph', text: 'Wear gloves.', page: null },
      { kind: 'paragraph', text: 'Use goggles.', page: null },
    ]);
  });

  it('HTML: main content with headings, scripts ignored, invisible characters removed', async () => {
    const html = `<!doctype html><html><head><title>Handbook</title><script>alert(1)</script></head><body>
      <nav><a href="/">Home</a></nav><h2>Leave</h2><p>Annual leave is 25\u200B days.</p>
      <ul><li>Ask your manager</li><li>Book it</li></ul><ol><li>Open the portal</li><li>Submit</li></ol><table><tr><th>Grade</th><th>Days</th></tr><tr><td>A</td><td>25</td></tr></table></body></html>`;
    const parsed = await parse(utf8(html));
    const texts = parsed.blocks.map((block) => block.text);
    expect(parsed.blocks[0]).toMatchObject({ kind: 'heading', text: 'Handbook' });
    expect(parsed.blocks).toContainEqual({ kind: 'heading', level: 2, text: 'Leave', page: null });
    expect(texts).toContain('Annual leave is 25 days.');
    // List items keep their list's marker, as Markdown writes it: answers keep a procedure's steps.
    expect(texts).toContain('- Ask your manager');
    expect(texts).toContain('2. Submit');
    // A table reads as Markdown writes one, its header row first: answers name a row's values by column.
    expect(texts).toContain('| Grade | Days |\n|---|---|\n| A | 25 |');
    expect(texts.join(' ')).not.toContain('alert');
  });

  it('HTML: a table without header cells keeps every row as data, and pipes inside cells', async () => {
    const html = `<html><body><h1>Contacts</h1><table><caption>Who to call</caption><tbody>
      <tr><td>Payroll</td><td>ext. 4120 | 4121</td></tr><tr><td>IT</td><td>ext.\n4357</td></tr>
      </tbody></table></body></html>`;
    const texts = (await parse(utf8(html))).blocks.map((block) => block.text);
    expect(texts).toContain('Who to call');
    expect(texts).toContain('|  |  |\n|---|---|\n| Payroll | ext. 4120 / 4121 |\n| IT | ext. 4357 |');
  });

  it('Markdown: ATX and setext headings, code fences are not headings', async () => {
    const parsed = await parse(
      utf8('# Title\n\nIntro text.\n\nSub\n---\n\n```\n# not a heading\n```\n\nEnd.'),
      'a.md',
    );
    expect(parsed.blocks.filter((block) => block.kind === 'heading').map((block) => block.text)).toEqual([
      'Title',
      'Sub',
    ]);
  });

  it('CSV: rows as header: value records', async () => {
    const parsed = await parse(
      utf8('part,torque (Nm),note\nbolt A,42,"tighten, then check"\nbolt B,50,\n'),
      'x.csv',
    );
    expect(parsed.blocks.map((block) => block.text)).toEqual([
      'part: bolt A\ntorque (Nm): 42\nnote: tighten, then check',
      'part: bolt B\ntorque (Nm): 50',
    ]);
  });

  it('plain text: paragraphs', async () => {
    const parsed = await parse(utf8('First para\nline two.\n\nSecond para.'));
    expect(parsed.blocks.map((block) => block.text)).toEqual(['First para\nline two.', 'Second para.']);
  });

  it('a ".pdf" that is HTML is parsed as HTML, never as PDF', async () => {
    const bytes = utf8('<html><body><p>Quarterly numbers.</p></body></html>');
    expect(sniffDocumentType(bytes, 'report.pdf').kind).toBe('html');
    expect((await parse(bytes, 'report.pdf')).blocks.map((block) => block.text)).toContain(
      'Quarterly numbers.',
    );
  });
});

describe('hostile inputs fail with a reason', () => {
  it('encrypted PDF', async () => {
    await expect(parse(buildEncryptedPdf())).rejects.toThrow(/password-protected/);
  });

  it('truncated PDF', async () => {
    const whole = await buildPdf(['some text here', 'more text here']);
    await expect(parse(whole.subarray(0, Math.floor(whole.length * 0.3)))).rejects.toBeInstanceOf(ParseError);
  });

  it('DOCX zip bomb, by declared ratio and when lying about sizes', async () => {
    const honest = buildDocxBomb({ mb: 20, lie: false });
    expect(sniffDocumentType(honest).kind).toBe('docx');
    await expect(parse(honest)).rejects.toThrow(/zip bomb/);
    await expect(parse(buildDocxBomb({ mb: 20, lie: true }))).rejects.toThrow(/zip bomb/);
  });

  it('the child process enforces a timeout and reports parser failures', async () => {
    const file = path.join(dir, 'encrypted.pdf');
    writeFileSync(file, buildEncryptedPdf());
    await expect(parseInChild(file, 'pdf', { timeoutMs: 60_000, maxMemoryMb: 256 })).rejects.toThrow(
      /password-protected/,
    );
    const good = path.join(dir, 'good.pdf');
    writeFileSync(good, await buildPdf(['one', 'two']));
    await expect(parseInChild(good, 'pdf', { timeoutMs: 1, maxMemoryMb: 256 })).rejects.toThrow(
      /longer than/,
    );
    const parsed = await parseInChild(good, 'pdf', { timeoutMs: 60_000, maxMemoryMb: 256 });
    expect(parsed.pageCount).toBe(2);
  });
});
