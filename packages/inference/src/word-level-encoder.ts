import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Token ids for a text, without special tokens, cut at `maxLength`. */
export type WordLevelEncoder = (text: string, maxLength?: number) => number[];

// transformers.js's BertPreTokenizer pattern, verbatim: a run of non-space, non-punctuation characters, or
// one punctuation character (Unicode P* plus the ASCII symbol ranges BERT treats as punctuation).
const PUNCTUATION = '\\p{P}\\u0021-\\u002F\\u003A-\\u0040\\u005B-\\u0060\\u007B-\\u007E';
const BERT_PRE_TOKENS = new RegExp(`[^\\s${PUNCTUATION}]+|[${PUNCTUATION}]`, 'gu');

type TokenizerJson = {
  normalizer: { type: string } | null;
  pre_tokenizer: { type: string } | null;
  post_processor: unknown;
  added_tokens?: Array<{ content: string }>;
  model: { type: string; vocab: Record<string, number>; unk_token: string };
};

/**
 * A direct encoder for word-level vocabularies (the glove-100d layout: Lowercase normaliser, BERT
 * pre-tokenizer, WordLevel model, no post-processor), reading the same tokenizer.json. transformers.js
 * spends ~16 µs per short text on its generic pipeline, half of a glove embedding's cost; this map lookup
 * makes tokenising cheap enough for micro-batching to pay off. Returns undefined for any other tokenizer
 * shape, which then goes through transformers.js; tests check both give identical ids.
 */
export function createWordLevelEncoder(modelDir: string): WordLevelEncoder | undefined {
  const json = JSON.parse(readFileSync(path.join(modelDir, 'tokenizer.json'), 'utf8')) as TokenizerJson;
  const isWordLevel =
    json.model?.type === 'WordLevel' &&
    (json.normalizer === null || json.normalizer?.type === 'Lowercase') &&
    json.pre_tokenizer?.type === 'BertPreTokenizer' &&
    json.post_processor === null;
  if (!isWordLevel) return undefined;
  const vocab = new Map(Object.entries(json.model.vocab));
  const unk = vocab.get(json.model.unk_token) ?? 0;
  const lowercase = json.normalizer?.type === 'Lowercase';
  const addedTokens = (json.added_tokens ?? []).map((token) => token.content);
  return (text, maxLength = Number.POSITIVE_INFINITY) => {
    // Added tokens ([PAD], [UNK]) typed into a text are split out by transformers.js; such texts are rare
    // enough to be refused here, so callers fall back to the generic tokenizer.
    if (addedTokens.some((token) => text.includes(token))) throw new NeedsGenericTokenizer();
    const normalized = lowercase ? text.toLowerCase() : text;
    const ids: number[] = [];
    for (const match of normalized.trim().matchAll(BERT_PRE_TOKENS)) {
      ids.push(vocab.get(match[0]) ?? unk);
      if (ids.length >= maxLength) break;
    }
    return ids;
  };
}

/** Thrown by a fast encoder for a text it can't encode exactly like transformers.js. */
export class NeedsGenericTokenizer extends Error {}
