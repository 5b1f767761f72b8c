/**
 * A cited passage as a reader should see it in the sources panel. Chunks keep their source's Markdown, so
 * a table row arrives as "| Component Overhaul | 21.4 | 19.1 |" with "|---|---|" rules between rows: the
 * cells are shown separated by " · ", rules and emphasis markers dropped. Words and figures are unchanged.
 */
export function readablePassage(text: string): string {
  const plain = text.replace(/\*\*|__/g, '');
  if (!plain.includes('|')) return plain;
  return plain
    .split('|')
    .map((cell) => cell.trim())
    .filter((cell) => cell !== '' && !/^:?-{3,}:?$/.test(cell))
    .join(' · ');
}
