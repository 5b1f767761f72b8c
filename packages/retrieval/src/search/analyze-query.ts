import { PREPARED, Prisma, type RawQueryClient } from '@clearance/db';
import {
  correctSpelling,
  findSynonyms,
  inCaseOf,
  isDictionaryWord,
  isStopword,
  maxEdits,
  tokenize,
  type VocabularyWord,
} from '@clearance/text';
import { BM25_STATS_KEY } from '../lexical/update-lexical-stats.ts';
import { inScopeSql, isGrantedSql } from './scope-sql.ts';

type QueryClient = RawQueryClient;

/** Texts to search with their weights: the query (corrected), and synonyms found in the scope. */
export type AnalyzedQuery = {
  texts: string[];
  weights: number[];
  /** The query with its misspelt words corrected, when any was; what "Showing results for" shows. */
  corrected: string | null;
  /**
   * The texts' english lexemes, each with the heaviest weight of a text holding it, when the statement
   * could read them (nothing was corrected; otherwise null: the corrected text was not known in SQL).
   */
  lexemes: { term: string; weight: number }[] | null;
  /** The value of input.context, or null when no statement ran. */
  context: unknown;
};

/**
 * Most candidates read for one misspelt word: the most frequent in scope first, then by word, so both
 * sides candidates are read from (candidateWordsSql) keep the same ones.
 */
const MAX_CANDIDATES = 5000;

/**
 * Reads a query the way the documents the asker may read are written. A word that none of those
 * documents contains and that is a few edits from one that does is corrected ("internatonal per deim" ->
 * "international per diem"); the query's words gain their WordNet synonyms that those documents use, at
 * `synonymWeight` ("km" -> "kilometre"). Every suggestion comes from the scope's own vocabulary
 * (document_words through `granted`, and row-level security in read mode), so a correction or an
 * expansion never reveals a word of a document the asker can't read.
 */
export async function analyzeQuery(
  tx: QueryClient,
  input: {
    query: string;
    granted: Prisma.Sql;
    synonymWeight: number;
    spelling: boolean;
    /** SearchConfig.spellingScopeShare: which side a misspelt word's candidates are read from. */
    scopeShare: number;
    /** A scalar expression the caller wants read (or settings it wants made) in the same round trip. */
    context?: Prisma.Sql;
  },
): Promise<AnalyzedQuery> {
  const tokens = tokenize(input.query).filter((t) => /^\p{L}+$/u.test(t.text) && !isStopword(t.lower));
  const words = [...new Set(tokens.map((t) => t.lower))];
  const synonyms = new Map<string, string[]>();
  if (input.synonymWeight > 0) {
    for (const word of words)
      synonyms.set(
        word,
        findSynonyms(word).filter((s) => /^\p{L}+$/u.test(s)),
      );
  }
  const checked = [...new Set([...words, ...[...synonyms.values()].flat()])];
  // Only a word that is no English word is a misspelling ("many" is not a typo of "may").
  const misspellable = input.spelling
    ? words.filter((w) => maxEdits(w.length) > 0 && !isDictionaryWord(w))
    : [];
  // Each misspelt word's candidates start with its letter: words from the letter up to the next one.
  const firstLetters = misspellable.map((word) => {
    const letter = word.codePointAt(0) ?? 0;
    return { from: String.fromCodePoint(letter), to: String.fromCodePoint(letter + 1) };
  });
  if (checked.length === 0) {
    return { texts: [input.query], weights: [1], corrected: null, lexemes: null, context: null };
  }
  const rows = await tx.$queryRaw<
    {
      word: string;
      known: boolean;
      candidates: VocabularyWord[] | null;
      lexemes: string[];
      query_lexemes: string[];
      context: unknown;
    }[]
  >`${PREPARED}
    WITH q AS (SELECT DISTINCT unnest(${checked}::text[]) AS word),
    -- A word is known once one readable document has it: stop at the first (a common word has a row
    -- per document, 15k rows read for three words on 100k chunks before). The grant is probed for that
    -- row alone: row-level security's check runs first, so only a readable row reaches the probe, where
    -- a hashed set cost building from every grant of the scope (4 ms for 10,000 on bench:retrieval).
    known AS (
      SELECT q.word FROM q WHERE EXISTS (
        SELECT 1 FROM document_words w
        WHERE w.word = q.word
          AND ${isGrantedSql(Prisma.sql`w.document_id`, input.granted)})),
    -- Once each: a document granted to two of the roles counts its words once.
    scope_documents AS (SELECT DISTINCT g.document_id FROM (${input.granted}) g),
    -- Counted only when a word needs candidates (a CTE is read on demand).
    by_scope AS (
      SELECT ${input.scopeShare}::float8 >= 1 OR COALESCE(
        (SELECT COUNT(*) FROM scope_documents) < ${input.scopeShare}::float8
          * (SELECT (value->>'documents')::float8 FROM settings WHERE key = ${BM25_STATS_KEY}),
        false) AS yes)
    SELECT q.word, (q.word IN (SELECT word FROM known)) AS known,
      CASE WHEN s.word IS NOT NULL AND q.word NOT IN (SELECT word FROM known) THEN (
        SELECT json_agg(json_build_object('word', c.word, 'frequency', c.frequency)) FROM (
          SELECT w.word, SUM(w.tf)::int AS frequency FROM (${candidateWordsSql(input.granted)}) w
          GROUP BY w.word ORDER BY frequency DESC, w.word LIMIT ${MAX_CANDIDATES}) c)
      END AS candidates,
      tsvector_to_array(to_tsvector('english', q.word)) AS lexemes,
      tsvector_to_array(to_tsvector('english', ${input.query}::text)) AS query_lexemes,
      ${input.context ?? Prisma.sql`NULL`} AS context
    FROM q LEFT JOIN unnest(${misspellable}::text[], ${firstLetters.map((l) => l.from)}::text[],
      ${firstLetters.map((l) => l.to)}::text[]) AS s(word, from_word, to_word) ON s.word = q.word`;
  const known = new Set(rows.filter((r) => r.known).map((r) => r.word));
  const corrections = new Map<string, string>();
  for (const row of rows) {
    if (row.known || !row.candidates) continue;
    const fix = correctSpelling(row.word, row.candidates);
    if (fix) corrections.set(row.word, fix);
  }
  const corrected =
    corrections.size === 0
      ? null
      : tokenize(input.query).reduceRight(
          (text, token) =>
            corrections.has(token.lower)
              ? text.slice(0, token.start) +
                inCaseOf(token.text, corrections.get(token.lower)!) +
                text.slice(token.end)
              : text,
          input.query,
        );
  const texts = [corrected ?? input.query];
  const weights = [1];
  for (const list of synonyms.values()) {
    for (const synonym of list) {
      if (known.has(synonym)) {
        texts.push(synonym);
        weights.push(input.synonymWeight);
      }
    }
  }
  return {
    texts,
    weights,
    corrected,
    lexemes: corrected === null ? weighLexemes(rows, texts, weights) : null,
    context: rows[0]?.context ?? null,
  };
}

/**
 * The readable words (word, tf per document) that could correct q.word: its first letter (`s`, the
 * letter's range), within three letters of its length (correctSpelling's most edits). A scope holding a
 * small share of the corpus's documents (by_scope) reads each of its documents' words with that letter,
 * one range of document_words_document_id_word_idx per document; a broad one reads the letter's words
 * across the corpus and checks each row's document, which costs less once most documents are in scope.
 * Both read through row-level security, and both give the same rows: only the time differs.
 */
function candidateWordsSql(granted: Prisma.Sql): Prisma.Sql {
  // Words starting with the letter as one index range (text_pattern_ops compares bytes, and UTF-8 orders
  // bytes as code points). The bounds are bound values: row-level security lets only leakproof conditions
  // run in the index, so LIKE, or bounds computed from q.word, were filters on every row of the scan.
  const matches = Prisma.sql`w.word ~>=~ s.from_word AND w.word ~<~ s.to_word
    AND length(w.word) BETWEEN length(q.word) - 3 AND length(q.word) + 3`;
  // OFFSET 0 keeps the per-document read a parameterised index scan, whatever the row estimates.
  return Prisma.sql`
    SELECT w.word, w.tf FROM scope_documents d CROSS JOIN LATERAL (
      SELECT w.word, w.tf FROM document_words w
      WHERE w.document_id = d.document_id AND ${matches} OFFSET 0) w
    WHERE (SELECT yes FROM by_scope)
    UNION ALL
    SELECT w.word, w.tf FROM document_words w
    WHERE NOT (SELECT yes FROM by_scope) AND ${matches}
      AND ${inScopeSql(Prisma.sql`w.document_id`, granted)}`;
}

/**
 * What `to_tsvector('english', text)` gives each text, merged: the query's lexemes came with every row, a
 * synonym's with its own row (every checked word has one). Each lexeme keeps its heaviest text's weight.
 */
function weighLexemes(
  rows: { word: string; lexemes: string[]; query_lexemes: string[] }[],
  texts: string[],
  weights: number[],
): { term: string; weight: number }[] {
  const byWord = new Map(rows.map((row) => [row.word, row.lexemes]));
  const weightOf = new Map<string, number>();
  texts.forEach((text, index) => {
    const lexemes = index === 0 ? (rows[0]?.query_lexemes ?? []) : (byWord.get(text) ?? []);
    const weight = weights[index] ?? 0;
    for (const term of lexemes) weightOf.set(term, Math.max(weightOf.get(term) ?? weight, weight));
  });
  return [...weightOf].map(([term, weight]) => ({ term, weight }));
}
