import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { getInferenceEnv } from './env.ts';
import { processWide } from './process-wide.ts';

/** The built GloVe model: its vocabulary is GloVe's word list, ordered by frequency in its 6B-token corpus. */
const RANKED_VOCABULARY_MODEL = 'glove-100d';

function loadRanks(): Map<string, number> | null {
  return processWide('word-ranks', () => {
    const file = path.join(getInferenceEnv().modelsDir, RANKED_VOCABULARY_MODEL, 'tokenizer.json');
    if (!existsSync(file)) return null;
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { model?: { vocab?: Record<string, number> } };
    return parsed.model?.vocab ? new Map(Object.entries(parsed.model.vocab)) : null;
  });
}

/**
 * How specific a word is in general English, from 0.2 (the commonest words: "first", "day") to 1 (rare or
 * unknown words: "probation", product names): log of its frequency rank in GloVe's corpus over log of the
 * vocabulary size. A question's common words say little about whether a passage is on its subject; its
 * specific ones say much. Every word weighs 1 when the GloVe model isn't built.
 */
export function wordSpecificity(word: string): number {
  const table = loadRanks();
  if (!table) return 1;
  const rank = table.get(word.toLowerCase());
  if (rank === undefined) return 1;
  return Math.min(1, Math.max(0.2, Math.log(rank + 2) / Math.log(table.size)));
}
