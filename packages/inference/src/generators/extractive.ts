import { cosine, type Embedder } from '../embedder.ts';
import { createGeneration } from './create-generation.ts';
import type { ChatMessage, GenerateOptions, Generation, Generator, GroundingPassage } from './types.ts';

/** The extractive backend's reply when the passages don't answer; detect it with isNoAnswer. */
export const NO_ANSWER_TEXT = "I couldn't find an answer to that in the documents available to you.";

/** True when a generated answer is the plain "couldn't find" reply rather than an answer. */
export function isNoAnswer(text: string): boolean {
  return text.trimStart().startsWith("I couldn't find");
}

// Function words, and words that name the form of an answer rather than its subject ("the Q3 revenue
// figures", "details of the leave policy"): a passage need not contain them to answer.
const STOPWORDS = new Set(
  `a an the and or but if of to in on at by for with from as is are was were be been being do does did done
  have has had i me my we our you your he she it its they them their this that these those what which who whom
  whose when where why how can could should would will shall may might must not no yes there here than then
  so such too very just about into over under again any all each few more most other some own same only also
  up down out off get got please tell know need want let us many much
  figure figures number numbers detail details information info`.split(/\s+/),
);

/** Lower-cased content words with a light suffix stemmer (leave/leaves, invoice/invoices, approve/approved). */
export function contentTerms(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => !STOPWORDS.has(w)).map(stem);
}

function stem(w: string): string {
  if (w.length <= 3) return w;
  for (const [suffix, replacement] of [
    ['ies', 'y'],
    ['sses', 'ss'],
    ['ing', ''],
    ['ed', ''],
    ['es', ''],
    ['s', ''],
  ] as const) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 3) return w.slice(0, -suffix.length) + replacement;
  }
  return w;
}

type Sentence = {
  passage: number;
  index: number;
  marker: number;
  text: string;
  terms: Set<string>;
  /** Terms of the heading the sentence sits under: they tell what a terse step or row is about. */
  context: Set<string>;
};

/** One answerable unit of a passage: a sentence, a table row or record read as a sentence, or a heading. */
export type TextUnit = { text: string; heading: boolean };

const TABLE_ROW = /^\s*\|.*\|\s*$/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;
const RECORD_FIELD = /^[^:|]{1,40}:\s*\S/;
const SENTENCE_BOUNDARY = /(?<=[.!?])["”')\]]*\s+(?=["“([]?[\p{Lu}\p{N}])/u;

function tableCells(row: string): string[] {
  return row
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((cell) => stripMarkup(cell));
}

/** Markdown emphasis, code ticks, list bullets and task-list boxes are layout, not words of the answer. */
function stripMarkup(text: string): string {
  return text
    .replace(/^\s*(?:[-*•]|\d+[.)])\s+/, '')
    .replace(/^\s*\[[ xX]\]\s*/, '')
    .replace(/\*\*|__|`/g, '')
    .replace(/^#+\s+/, '')
    .trim();
}

/** A title-like line: short, no sentence punctuation and no figures (those are facts, not headings). */
function looksLikeHeading(text: string): boolean {
  return !/[.!?:;]$/.test(text) && text.split(/\s+/).length <= 6 && !/\d/.test(text);
}

/**
 * Splits a passage into answerable units. Prose splits into sentences; bullet and numbered lines are
 * units of their own; a markdown table row becomes "first cell: header value; header value" with its
 * table's header (header and separator rows are not units); a block of "key: value" lines (a CSV record,
 * a form) is one unit; short title-like lines are headings.
 */
export function splitUnits(text: string): TextUnit[] {
  const units: TextUnit[] = [];
  for (const block of text.split(/\n\s*\n/)) {
    const lines = block.split('\n').filter((line) => line.trim() !== '');
    if (lines.length >= 2 && lines.every((line) => RECORD_FIELD.test(line) && !TABLE_ROW.test(line))) {
      units.push({ text: lines.map((line) => stripMarkup(line)).join('; '), heading: false });
      continue;
    }
    let header: string[] | undefined;
    lines.forEach((line, i) => {
      if (TABLE_SEPARATOR.test(line)) return;
      if (TABLE_ROW.test(line)) {
        const cells = tableCells(line);
        if (TABLE_SEPARATOR.test(lines[i + 1] ?? '')) {
          header = cells;
          return;
        }
        const [first, ...rest] = cells;
        const values = rest.map((cell, c) => {
          const name = header?.[c + 1];
          return name ? `${name} ${cell}` : cell;
        });
        units.push({ text: `${first}: ${values.join('; ')}`, heading: false });
        return;
      }
      for (const sentence of line.split(SENTENCE_BOUNDARY)) {
        const clean = stripMarkup(sentence);
        if (clean) units.push({ text: clean, heading: looksLikeHeading(clean) });
      }
    });
  }
  return units;
}

/** The sentences of a passage that could answer: units of three words or more that aren't headings. */
export function splitSentences(text: string): string[] {
  return splitUnits(text)
    .filter((unit) => !unit.heading && unit.text.split(/\s+/).length >= 3)
    .map((unit) => unit.text);
}

// Weights and thresholds tuned on the hand-written passages in extractive.test.ts and the demo questions
// (npm run eval:answers): a sentence needs a quarter of the question's (idf-weighted) content terms, or
// near-paraphrase similarity on its own. Terms only in the sentence's heading count half.
const OVERLAP_WEIGHT = 0.55;
const CONTEXT_WEIGHT = 0.5;
// A sentence must carry at least this share of the question's (idf-weighted) terms. At 0.25 another
// role's passages "answered" with a sentence sharing one generic word ("How long is the probation period?"
// -> a card policy's "12-month period"): eval:answers declined 21/24 for the other role, 24/24 at 0.4, with
// every own-role answer still correct. Paraphrases pass on PARAPHRASE_COSINE instead.
const MIN_OVERLAP = 0.4;
const MIN_SCORE = 0.3;
const PARAPHRASE_COSINE = 0.8;
const REDUNDANT_COSINE = 0.9;
const MAX_SENTENCES = 3;
/** Questions whose answer is a quantity, a time or a date: a sentence with a figure is likelier to answer. */
const ASKS_FOR_FIGURE =
  /\b(how (much|many|big|long|often|far|old|large|soon|high|low|fast)|what time|when|which date|what (is|was|are|were) the \w* ?(rate|limit|cap|amount|price|cost|number|total|deadline|budget|allowance|speed))\b/i;
const FIGURE_BONUS = 0.1;

/** Chooses and orders the sentences that answer; returns the answer text or NO_ANSWER_TEXT. */
export async function composeExtractiveAnswer(
  embedder: Embedder,
  question: string,
  passages: GroundingPassage[],
): Promise<{ text: string; answered: boolean }> {
  const sentences: Sentence[] = [];
  passages.forEach((p, passage) => {
    const title = (p.title ?? '').trim().toLowerCase();
    let context = new Set<string>();
    splitUnits(p.text).forEach((unit, index) => {
      if (unit.heading || unit.text.toLowerCase() === title) {
        context = new Set(contentTerms(unit.text));
        return;
      }
      if (unit.text.split(/\s+/).length < 3) return;
      const terms = new Set(contentTerms(unit.text));
      sentences.push({ passage, index, marker: p.marker, text: unit.text, terms, context });
    });
  });
  const qTerms = [...new Set(contentTerms(question))];
  if (sentences.length === 0 || question.trim() === '') return { text: NO_ANSWER_TEXT, answered: false };

  const df = new Map<string, number>();
  for (const s of sentences) for (const t of s.terms) df.set(t, (df.get(t) ?? 0) + 1);
  const idf = (t: string) => Math.log(1 + (sentences.length + 1) / ((df.get(t) ?? 0) + 0.5));
  const qWeight = qTerms.reduce((sum, t) => sum + idf(t), 0) || 1;
  const wantsFigure = ASKS_FOR_FIGURE.test(question);

  const [qVec] = await embedder.embed([question], { kind: 'query' });
  const sVecs = await embedder.embed(
    sentences.map((s) => s.text),
    { kind: 'document' },
  );
  const scored = sentences.map((s, i) => {
    const matched = qTerms.reduce(
      (sum, t) => sum + (s.terms.has(t) ? idf(t) : s.context.has(t) ? CONTEXT_WEIGHT * idf(t) : 0),
      0,
    );
    const overlap = matched / qWeight;
    const sim = Math.max(0, cosine(qVec!, sVecs[i]!));
    const bonus = wantsFigure && /\d/.test(s.text) ? FIGURE_BONUS : 0;
    return { s, i, overlap, sim, score: OVERLAP_WEIGHT * overlap + (1 - OVERLAP_WEIGHT) * sim + bonus };
  });
  const eligible = scored.filter(
    (x) => (x.overlap >= MIN_OVERLAP && x.score >= MIN_SCORE) || x.sim >= PARAPHRASE_COSINE,
  );
  if (eligible.length === 0) return { text: NO_ANSWER_TEXT, answered: false };

  const best = Math.max(...eligible.map((x) => x.score));
  const picked: typeof eligible = [];
  // Maximal marginal relevance: strong sentences first, skipping ones that repeat a pick.
  const pool = eligible.filter((x) => x.score >= 0.6 * best);
  while (picked.length < MAX_SENTENCES && pool.length > 0) {
    let bestIdx = -1;
    let bestValue = Number.NEGATIVE_INFINITY;
    pool.forEach((x, k) => {
      const redundancy = Math.max(0, ...picked.map((p) => cosine(sVecs[p.i]!, sVecs[x.i]!)));
      const value = x.score - 0.3 * redundancy;
      if (value > bestValue) {
        bestValue = value;
        bestIdx = k;
      }
    });
    const [next] = pool.splice(bestIdx, 1);
    const repeats = picked.some((p) => cosine(sVecs[p.i]!, sVecs[next!.i]!) >= REDUNDANT_COSINE);
    if (!repeats) picked.push(next!);
  }
  // The best sentence leads (the reader's answer); supporting ones follow in document order.
  const [lead, ...support] = picked;
  support.sort((a, b) => a.s.passage - b.s.passage || a.s.index - b.s.index);
  return { text: [lead!, ...support].map((x) => cite(x.s.text, x.s.marker)).join(' '), answered: true };
}

/** "Leave accrues monthly." + 2 -> "Leave accrues monthly [2]." */
function cite(sentence: string, marker: number): string {
  const m = /^(.*?)([.!?:;]*["”')\]]*)$/su.exec(sentence.trim())!;
  const end = m[2]?.replace(/[:;]/g, '') || '.';
  return `${m[1]} [${marker}]${end}`;
}

/** The default backend: answers with the passages' own sentences, each cited; declines when none answers. */
export function createExtractiveGenerator(embedder: Embedder): Generator {
  return {
    id: 'extractive',
    device: embedder.device,
    generate(messages: ChatMessage[], options: GenerateOptions = {}): Generation {
      return createGeneration(async (emit) => {
        const question =
          options.grounding?.question ??
          [...messages].reverse().find((m) => m.role === 'user')?.content ??
          '';
        const passages = options.grounding?.passages ?? [];
        const promptTokens =
          embedder.countTokens(question) + passages.reduce((n, p) => n + embedder.countTokens(p.text), 0);
        const { text, answered } = await composeExtractiveAnswer(embedder, question, passages);
        const maxWords = options.maxTokens ?? Number.POSITIVE_INFINITY;
        const words = text.match(/\S+\s*/g) ?? [];
        let count = 0;
        for (const word of words) {
          if (options.signal?.aborted) {
            return { promptTokens, completionTokens: count, stopped: true, finishReason: 'abort', answered };
          }
          if (count >= maxWords) {
            return {
              promptTokens,
              completionTokens: count,
              stopped: false,
              finishReason: 'length',
              answered,
            };
          }
          emit(word);
          count++;
          // Yield so the answer streams word by word instead of arriving in one chunk.
          await new Promise((r) => setImmediate(r));
        }
        return {
          promptTokens,
          completionTokens: embedder.countTokens(text),
          stopped: false,
          finishReason: 'stop',
          answered,
        };
      });
    },
  };
}
