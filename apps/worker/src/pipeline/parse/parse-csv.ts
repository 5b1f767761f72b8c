import { cleanText, type ParsedBlock, type ParsedDocument } from '@clearance/retrieval';
import { ParseError } from './parse-error.ts';

/** RFC 4180 rows: quoted fields may hold delimiters, doubled quotes and newlines. */
export function readCsvRows(source: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < source.length; i++) {
    const char = source[i]!;
    if (quoted) {
      if (char === '"') {
        if (source[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += char;
    } else if (char === '"' && field === '') quoted = true;
    else if (char === delimiter) {
      row.push(field);
      field = '';
    } else if (char === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((value) => value.trim() !== ''));
}

function detectDelimiter(firstLine: string): string {
  const candidates = [',', ';', '\t', '|'];
  return candidates.reduce((best, candidate) =>
    firstLine.split(candidate).length > firstLine.split(best).length ? candidate : best,
  );
}

/**
 * CSV: each data row becomes one record block of "header: value" lines, so a chunk of rows still says
 * what each value means (a bare "42" retrieves nothing; "Torque (Nm): 42" does).
 */
export function parseCsv(source: string): ParsedDocument {
  const text = cleanText(source);
  const rows = readCsvRows(text, detectDelimiter(text.slice(0, text.indexOf('\n') >>> 0)));
  const [header, ...records] = rows;
  if (!header) throw new ParseError('The CSV file has no rows.');
  const names = header.map((name, i) => name.trim() || `column ${i + 1}`);
  const blocks: ParsedBlock[] = records.map((record) => ({
    kind: 'paragraph',
    page: null,
    text: record
      .map((value, i) => [names[i] ?? `column ${i + 1}`, value.trim()] as const)
      .filter(([, value]) => value !== '')
      .map(([name, value]) => `${name}: ${value}`)
      .join('\n'),
  }));
  // A header-only file still says something: index the column names.
  if (blocks.length === 0) blocks.push({ kind: 'paragraph', page: null, text: names.join(', ') });
  return { blocks, pageCount: null };
}
