/// <reference path="./wink.d.ts" />
import { limited as damerauLevenshtein } from 'talisman/metrics/damerau-levenshtein.js';

/** A word of the searchable vocabulary and how often it occurs there. */
export type VocabularyWord = { word: string; frequency: number };

/** Edits allowed for a word of this length: one for short words, two from six letters, three from twelve. */
export function maxEdits(length: number): number {
  return length < 4 ? 0 : length < 6 ? 1 : length < 12 ? 2 : 3;
}

/**
 * The vocabulary word closest to a misspelt one by Damerau-Levenshtein distance (a swap of two neighbouring
 * letters, "deim" -> "diem", is one edit), the more frequent on a tie; null when none is within maxEdits.
 * The caller passes only words the asker may read, so a correction never reveals another role's words.
 */
export function correctSpelling(word: string, vocabulary: VocabularyWord[]): string | null {
  const limit = maxEdits(word.length);
  if (limit === 0) return null;
  let best: { word: string; distance: number; frequency: number } | null = null;
  for (const candidate of vocabulary) {
    if (candidate.word === word || Math.abs(candidate.word.length - word.length) > limit) continue;
    const distance = damerauLevenshtein(limit, word, candidate.word);
    if (!Number.isFinite(distance)) continue;
    if (
      !best ||
      distance < best.distance ||
      (distance === best.distance && candidate.frequency > best.frequency)
    ) {
      best = { word: candidate.word, distance, frequency: candidate.frequency };
    }
  }
  return best?.word ?? null;
}

/**
 * A correction written as the asker wrote the word: "Theodor" -> "Theodore", "NCCA" -> "NCAA", "travle" ->
 * "travel" (the vocabulary is lower case; "Showing results for" quotes the asker's own question).
 */
export function inCaseOf(written: string, correction: string): string {
  if (written.length > 1 && written === written.toUpperCase() && written !== written.toLowerCase())
    return correction.toUpperCase();
  const first = written[0] ?? '';
  return first !== first.toLowerCase() ? correction[0]!.toUpperCase() + correction.slice(1) : correction;
}
