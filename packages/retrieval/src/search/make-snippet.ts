/** A short excerpt around the best-matching span of a passage. */
export type Snippet = { before: string; match: string; after: string };

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

/** Whether a surface word plausibly stems to `lexeme` (english snowball mostly keeps a prefix). */
function matchesLexeme(word: string, lexeme: string): boolean {
  const lower = word.toLowerCase();
  if (lower === lexeme || lower.startsWith(lexeme)) return true;
  // studies -> studi, happily -> happili: the stem shares all but its last letter with the word.
  let shared = 0;
  while (shared < lower.length && shared < lexeme.length && lower[shared] === lexeme[shared]) shared++;
  return shared >= 3 && shared >= lexeme.length - 1;
}

/**
 * The window of `text` around the matched word that has the most distinct query lexemes nearby, with
 * the match split out for highlighting. Without a match, the passage's opening.
 */
export function makeSnippet(text: string, lexemes: string[], radius = 120): Snippet {
  const terms = [...new Set(lexemes.filter((lexeme) => lexeme.length > 0))];
  const matches: { start: number; end: number; term: string }[] = [];
  if (terms.length > 0) {
    for (const found of text.matchAll(WORD)) {
      const term = terms.find((lexeme) => matchesLexeme(found[0], lexeme));
      if (term) matches.push({ start: found.index, end: found.index + found[0].length, term });
    }
  }
  if (matches.length === 0) {
    const end = cutAtWord(text, Math.min(text.length, radius * 2), 'end');
    return { before: '', match: '', after: text.slice(0, end) };
  }
  let best = matches[0] as (typeof matches)[number];
  let bestCount = -1;
  for (const candidate of matches) {
    const near = new Set(
      matches.filter((m) => Math.abs(m.start - candidate.start) <= radius).map((m) => m.term),
    );
    if (near.size > bestCount) {
      bestCount = near.size;
      best = candidate;
    }
  }
  const start = cutAtWord(text, Math.max(0, best.start - radius), 'start');
  const end = cutAtWord(text, Math.min(text.length, best.end + radius), 'end');
  return {
    before: text.slice(start, best.start),
    match: text.slice(best.start, best.end),
    after: text.slice(best.end, end),
  };
}

/** Moves a cut point to a word boundary so snippets never start or end mid-word. */
function cutAtWord(text: string, index: number, side: 'start' | 'end'): number {
  if (index <= 0 || index >= text.length) return Math.max(0, Math.min(index, text.length));
  if (side === 'start') {
    const space = text.indexOf(' ', index);
    return space === -1 || space - index > 20 ? index : space + 1;
  }
  const space = text.lastIndexOf(' ', index);
  return space === -1 || index - space > 20 ? index : space;
}
