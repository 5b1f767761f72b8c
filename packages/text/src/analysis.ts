/// <reference path="./wink.d.ts" />
import stemWord from 'wink-porter2-stemmer';

/**
 * PostgreSQL's `english` text search stop list (tsearch_data/english.stop, the Snowball list): the index
 * (`to_tsvector('english', ...)`) drops exactly these words, so the answerer and the query parser do too.
 */
export const STOPWORDS: ReadonlySet<string> = new Set(
  `i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her
  hers herself it its itself they them their theirs themselves what which who whom this that these
  those am is are was were be been being have has had having do does did doing a an the and but if or
  because as until while of at by for with about against between into through during before after
  above below to from up down in out on off over under again further then once here there when where
  why how all any both each few more most other some such no nor not only own same so than too very s
  t can will just don should now`.split(/\s+/),
);

/** One word of a text with its offsets (end exclusive). */
export type Token = { text: string; lower: string; start: number; end: number };

// Runs of letters and digits ("Q3", "S3" and "nm" stay one word, as in PostgreSQL's parser), figures with
// their inner separators ("1,200", "0.38", "08:30"); hyphens split ("per-diem" is two words, whose parts
// PostgreSQL's parser also indexes); a possessive 's is dropped.
const WORD = /\p{N}+(?:[.,:]\p{N}+)+|[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:['’]\p{L}+)?/gu;

/** The words and numbers of a text, in order, with offsets. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(WORD)) {
    const word = match[0].replace(/['’]s$/u, '');
    tokens.push({
      text: word,
      lower: word.toLowerCase(),
      start: match.index,
      end: match.index + word.length,
    });
  }
  return tokens;
}

/** True for a word the index ignores. */
export function isStopword(word: string): boolean {
  return STOPWORDS.has(word.toLowerCase());
}

const stems = new Map<string, string>();

/**
 * The Snowball English (Porter2) stem of a lower-case word: the algorithm of PostgreSQL's english_stem
 * dictionary, so a stem computed here equals the lexeme the index stores for the same word.
 */
export function stem(word: string): string {
  const cached = stems.get(word);
  if (cached !== undefined) return cached;
  const result = /^\p{N}/u.test(word) ? word : stemWord(word);
  if (stems.size > 200_000) stems.clear();
  stems.set(word, result);
  return result;
}

/** The index terms of a text: stems of its words that aren't stopwords, in order (repeats kept). */
export function analyze(text: string): string[] {
  return tokenize(text)
    .filter((token) => !STOPWORDS.has(token.lower))
    .map((token) => stem(token.lower));
}
